"""Property tests of the engine (Hypothesis) on the official 2025-2026 data."""

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from tinhso.workcalendar.tests.conftest import seeded_calendar

CAL = seeded_calendar()
HOUR = datetime.timedelta(hours=1)

moments = st.datetimes(min_value=datetime.datetime(2024, 12, 1), max_value=datetime.datetime(2026, 12, 31))
units = st.sampled_from(["working_days", "working_hours", "days"])
amounts = st.integers(min_value=0, max_value=120)


def is_working_moment(t):
    if not CAL.is_working_day(t.date()):
        return False
    s = CAL.schedule_on(t.date())
    tod = ((t.hour * 60 + t.minute) * 60 + t.second) * 1_000_000 + t.microsecond
    return s.morning_start <= tod <= s.morning_end or s.afternoon_start <= tod <= s.afternoon_end


@settings(max_examples=400, deadline=None)
@given(moments, amounts, units)
def test_due_not_before_counting_start_and_on_working_moment(t, n, unit):
    counting = CAL.start_of_counting(t)
    due = CAL.add(t, n, unit)
    assert due >= counting >= CAL.local(t)
    assert CAL.is_working_day(due.date())
    assert is_working_moment(due)
    assert is_working_moment(counting)


@settings(max_examples=400, deadline=None)
@given(moments, amounts)
def test_working_hours_are_exact(t, n):
    counting = CAL.start_of_counting(t)
    assert CAL.working_time_between(counting, CAL.add(t, n, "working_hours")) == n * HOUR
    assert CAL.working_time_between(t, counting) == datetime.timedelta(0)


@settings(max_examples=300, deadline=None)
@given(moments, amounts, amounts, units)
def test_monotonic_in_amount(t, a, b, unit):
    a, b = sorted((a, b))
    assert CAL.add(t, a, unit) <= CAL.add(t, b, unit)


@settings(max_examples=300, deadline=None)
@given(moments, st.integers(min_value=1, max_value=60))
def test_working_days_equal_eight_hours_each(t, n):
    # one uniform schedule: n working days == n * 8 working hours
    assert CAL.add(t, n, "working_days") == CAL.add(t, n * 8, "working_hours")


@settings(max_examples=300, deadline=None)
@given(moments, amounts, units, st.lists(st.tuples(moments, st.integers(min_value=0, max_value=10 * 24 * 60)),
                                          max_size=3))
def test_pause_shift_consistency(t, n, unit, raw):
    pauses = [(ps, ps + datetime.timedelta(minutes=m)) for ps, m in raw]
    due = CAL.add(t, n, unit)
    moved = CAL.due_after_pauses(t, n, unit, pauses)
    assert moved >= due
    assert CAL.due_after_pauses(t, n, unit, []) == due
    assert is_working_moment(moved)
    if unit == "working_hours" and n > 0:
        # active working time (total minus paused part up to the due time) is the amount
        counting = CAL.start_of_counting(t)
        clipped = sorted((max(CAL.local(ps), counting), min(CAL.local(pe), moved)) for ps, pe in pauses)
        paused = datetime.timedelta(0)
        last = counting
        for ps, pe in clipped:
            ps = max(ps, last)
            if pe > ps:
                paused += CAL.working_time_between(ps, pe)
                last = pe
        assert CAL.working_time_between(counting, moved) - paused == n * HOUR
    if not pauses:
        assert moved == due


@settings(max_examples=200, deadline=None)
@given(moments, moments, moments)
def test_working_time_is_additive(a, b, c):
    a, b, c = sorted((a, b, c))
    assert CAL.working_time_between(a, c) == CAL.working_time_between(a, b) + CAL.working_time_between(b, c)
    assert CAL.working_time_between(a, b) >= datetime.timedelta(0)
