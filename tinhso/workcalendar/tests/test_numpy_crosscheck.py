"""Day-level cross-check of the engine against numpy.busday_offset.

numpy cannot express a worked Saturday with a Mon-Fri weekmask, so the
busdaycalendar uses weekmask Mon-Sat and lists as holidays every confirmed
day off plus every Saturday that is not a make-up working day.

Exact correspondence (see docs/calendar.md): counting from an opening
(07:00) on working day d, N working days end at the closing (17:00) of
busday_offset(d, N - 1); the next opening after that due time is on
busday_offset(d, N). From a moment inside the day (09:00) the due time is
at 09:00 on busday_offset(d, N)."""

import datetime
import random

import numpy as np

from tinhso.workcalendar.tests.conftest import SEED, seeded_calendar

CAL = seeded_calendar()


def busdaycal():
    off = [d for d, kind, _, _ in SEED.DAYS if kind != "makeup_workday"]
    makeup = {d for d, kind, _, _ in SEED.DAYS if kind == "makeup_workday"}
    saturdays = []
    d = datetime.date(2024, 1, 6)
    while d < datetime.date(2028, 1, 1):
        if d not in makeup:
            saturdays.append(d)
        d += datetime.timedelta(days=7)
    return np.busdaycalendar(weekmask="1111110", holidays=np.array(off + saturdays, dtype="datetime64[D]"))


def test_day_results_match_busday_offset():
    bdc = busdaycal()
    rng = random.Random(20260101)
    days = [datetime.date(2025, 1, 1) + datetime.timedelta(days=i) for i in range(730)]
    working = [d for d in days if CAL.is_working_day(d)]
    # the calendars agree on which days are working days
    assert working == [d for d in days if np.is_busday(np.datetime64(d), busdaycal=bdc)]
    starts = rng.sample(working, 120) + [datetime.date(2025, 12, 31), datetime.date(2026, 2, 13),
                                         datetime.date(2026, 1, 9), datetime.date(2025, 4, 25)]
    checked = 0
    for d in starts:
        for n in range(1, 61):
            at_opening = CAL.add(datetime.datetime.combine(d, datetime.time(7)), n, "working_days")
            expected_close = np.busday_offset(np.datetime64(d), n - 1, roll="forward", busdaycal=bdc)
            expected_next = np.busday_offset(np.datetime64(d), n, roll="forward", busdaycal=bdc)
            assert np.datetime64(at_opening.date()) == expected_close, (d, n)
            assert at_opening.time() == datetime.time(17)
            assert np.datetime64(CAL.start_of_counting(at_opening).date()) == expected_next, (d, n)
            mid = CAL.add(datetime.datetime.combine(d, datetime.time(9)), n, "working_days")
            assert np.datetime64(mid.date()) == expected_next and mid.time() == datetime.time(9), (d, n)
            checked += 1
    assert checked == len(starts) * 60


def test_non_working_start_rolls_forward_like_numpy():
    bdc = busdaycal()
    for d in [datetime.date(2026, 2, 14) + datetime.timedelta(days=i) for i in range(9)] + [datetime.date(2026, 1, 3)]:
        t = datetime.datetime.combine(d, datetime.time(10))
        for n in (1, 5, 20):
            due = CAL.add(t, n, "working_days")
            # counting starts at the next opening: the same as a start at 07:00 on the rolled day
            assert np.datetime64(due.date()) == np.busday_offset(np.datetime64(d), n - 1, roll="forward",
                                                                  busdaycal=bdc)
