"""Same-day services (trả trong ngày) and the day-count convention: the engine
rule, the batch path, the dated cut-off, and a reception through the action."""

import datetime

import numpy as np
import pytest

from tinhso.policies import actions as policy_actions
from tinhso.workcalendar.engine import TZ
from tinhso.workcalendar.policies import due_for, same_day_cutoff

W = datetime.datetime


def vn(*args):
    return W(*args, tzinfo=TZ)


@pytest.mark.parametrize("received, due", [
    (W(2025, 12, 3, 9, 0), vn(2025, 12, 3, 17)),      # Wednesday morning: the same day's close
    (W(2025, 12, 3, 14, 59), vn(2025, 12, 3, 17)),    # just before the cut-off
    (W(2025, 12, 3, 15, 0), vn(2025, 12, 4, 17)),     # at the cut-off: the next working day
    (W(2025, 12, 3, 12, 0), vn(2025, 12, 3, 17)),     # at lunch, before the cut-off
    (W(2025, 12, 3, 6, 30), vn(2025, 12, 3, 17)),     # before opening
    (W(2025, 12, 3, 19, 0), vn(2025, 12, 4, 17)),     # in the evening
    (W(2025, 12, 5, 16, 0), vn(2025, 12, 8, 17)),     # Friday after the cut-off: Monday
    (W(2025, 12, 6, 9, 0), vn(2025, 12, 8, 17)),      # Saturday: Monday
    (W(2026, 1, 1, 9, 0), vn(2026, 1, 5, 17)),        # New Year's Day, then the day off of 2/1: Monday 5/1
])
def test_same_day_rule(cal, received, due):
    assert cal.add(received, 1, "same_day") == due
    assert cal.add(received, 1, "same_day", cutoff=datetime.time(16)) == (
        vn(2025, 12, 3, 17) if received == W(2025, 12, 3, 15, 0) else due)


def test_the_batch_path_agrees(cal):
    starts = np.array(["2025-12-03T09:00", "2025-12-03T15:30", "2025-12-06T09:00"], dtype="datetime64[us]")
    out = cal.add_many(starts, np.ones(3), "same_day")
    assert [str(x) for x in out] == ["2025-12-03T17:00:00.000000", "2025-12-04T17:00:00.000000",
                                     "2025-12-08T17:00:00.000000"]


def test_end_of_day_convention(cal):
    assert cal.end_of_day(vn(2025, 12, 4, 9, 0)) == vn(2025, 12, 4, 17)


@pytest.mark.django_db
def test_the_cut_off_and_the_convention_are_dated_rules(cal, monkeypatch):
    from tinhso.workcalendar import engine

    monkeypatch.setattr(engine, "get_calendar", lambda: cal)
    assert same_day_cutoff(vn(2025, 12, 3, 9)) == datetime.time(15)
    policy_actions.schedule(acting_user=None, key="calendar.same_day_cutoff", value="16:00",
                            effective_from=vn(2026, 1, 1, 0, 0))
    assert due_for(cal, vn(2025, 12, 3, 15, 30), 1, "same_day") == vn(2025, 12, 4, 17)  # the rule before 2026
    assert due_for(cal, vn(2026, 1, 5, 15, 30), 1, "same_day") == vn(2026, 1, 5, 17)
    with pytest.raises(Exception):
        policy_actions.schedule(acting_user=None, key="calendar.same_day_cutoff", value="25:00",
                                effective_from=vn(2026, 2, 1, 0, 0))
    assert due_for(cal, vn(2025, 12, 3, 9, 0), 1, "working_days") == vn(2025, 12, 4, 9)
    policy_actions.schedule(acting_user=None, key="calendar.day_count_convention", value="end_of_day",
                            effective_from=vn(2026, 1, 1, 0, 0))
    assert due_for(cal, vn(2025, 12, 3, 9, 0), 1, "working_days") == vn(2025, 12, 4, 9)  # received before: exact
    assert due_for(cal, vn(2026, 1, 5, 9, 0), 1, "working_days") == vn(2026, 1, 6, 17)
