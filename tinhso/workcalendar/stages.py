"""Stage deadlines and their escalation ladder, for any object handled in
stages (a field report's confirm / handle / answer stages; any later app
whose work has a deadline per stage).

A stage starts at `start` and is due at `due` (from `due_for`, so the working
calendar and the dated counting rules apply). An escalation ladder is a list
of percentages of the stage's working time (80 = "most of the time is used",
100 = "breached", 150 ...): `moment(start, due, percent)` is when a percentage
is reached, in working time, and `next_rung` says which rung comes next after
the ones already told, so that a periodic job only reads rows whose
`next_escalation_at` has passed (an indexed column) and tells each rung once."""

from __future__ import annotations

import datetime


def moment(calendar, start: datetime.datetime, due: datetime.datetime, percent: int) -> datetime.datetime:
    """When `percent` of the working time between `start` and `due` is used."""
    if percent == 100:
        return due
    span = calendar.working_time_between(start, due)
    return calendar.add_working_time(start, span * percent / 100)


def next_rung(calendar, start, due, percents, done: int) -> tuple[int, datetime.datetime] | tuple[None, None]:
    """The first rung above `done` (the highest percentage already told) and
    when it is reached; (None, None) when every rung has been told."""
    for percent in sorted(set(percents)):
        if percent > done:
            return percent, moment(calendar, start, due, percent)
    return None, None
