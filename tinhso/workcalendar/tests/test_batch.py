"""WorkCalendar.add_many (vectorised) must return exactly the instants of
WorkCalendar.add (one call per pair) for every input."""

import datetime
import random
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinhso.workcalendar.engine import UNITS, CalendarRangeError, Schedule, WorkCalendar, get_calendar
from tinhso.workcalendar.tests.conftest import SEED, seeded_calendar

W = datetime.datetime
CAL = seeded_calendar()


def expected(cal, starts, amounts, unit):
    """add() per pair, as Vietnam wall-clock datetime64[us] (what add_many returns)."""
    return np.array([cal.add(s, a, unit).replace(tzinfo=None) for s, a in zip(starts, amounts)],
                    dtype="datetime64[us]")


def assert_same(cal, starts, amounts, unit):
    want = expected(cal, starts, amounts, unit)
    for got in (cal.add_many(starts, amounts, unit),
                cal.add_many(np.array([cal.local(s).replace(tzinfo=None) for s in starts], dtype="datetime64[us]"),
                             np.asarray(amounts), unit)):
        assert got.dtype == np.dtype("datetime64[us]")
        bad = np.nonzero(got != want)[0]
        assert not len(bad), [(starts[i], amounts[i], unit, got[i], want[i]) for i in bad[:5]]


def random_moments(rng, n, first=W(2024, 12, 1), days=790):
    return [first + datetime.timedelta(microseconds=rng.randrange(days * 86400 * 10**6)) for _ in range(n)]


def boundary_moments(days):
    """Openings, closings, lunch and midnight of each day, and 1 µs either side."""
    one = datetime.timedelta(microseconds=1)
    out = []
    for d in days:
        for h, m in ((0, 0), (6, 59), (7, 0), (9, 0), (11, 30), (12, 0), (13, 30), (16, 0), (17, 0), (23, 59)):
            t = W.combine(d, datetime.time(h, m))
            out += [t - one, t, t + one]
    return out


@pytest.mark.parametrize("unit", UNITS)
def test_random_pairs_2025_2026(unit):
    rng = random.Random(f"batch-{unit}")
    starts = random_moments(rng, 4000)
    amounts = [rng.randrange(0, 130) for _ in starts]
    assert_same(CAL, starts, amounts, unit)


@pytest.mark.parametrize("unit", UNITS)
def test_boundaries_days_off_and_makeup_days(unit):
    # every seeded holiday / make-up day and its neighbours, plus the turn of the year
    days = sorted({d + datetime.timedelta(days=k) for d, _, _, _ in SEED.DAYS for k in (-1, 0, 1)}
                  | {datetime.date(2025, 12, 31), datetime.date(2026, 12, 31)})
    starts = boundary_moments(days)
    rng = random.Random(f"edges-{unit}")
    amounts = [rng.choice([0, 1, 2, 3, 5, 8, 22, 60, 250]) for _ in starts]
    assert_same(CAL, starts, amounts, unit)


def test_fractional_and_exact_hours():
    rng = random.Random(7)
    starts = random_moments(rng, 2000)
    floats = [rng.random() * 50 for _ in starts[:1000]] + [rng.randrange(0, 400) / 8 for _ in starts[1000:]]
    assert_same(CAL, starts, floats, "working_hours")
    decimals = [Decimal(rng.randrange(0, 10**7)) / Decimal(10**5) for _ in starts]
    want = expected(CAL, starts, decimals, "working_hours")
    assert (CAL.add_many(starts, decimals, "working_hours") == want).all()


def test_whole_float_days_are_accepted():
    starts = [W(2025, 12, 5, 16), W(2026, 2, 13, 9)]
    for unit in ("working_days", "days"):
        want = expected(CAL, starts, [3.0, 4.0], unit)
        assert (CAL.add_many(starts, np.array([3.0, 4.0]), unit) == want).all()


def schedule_change_calendar():
    # 1 Jun 2026: shorter day (7.5 h) and working Saturday mornings-only day pattern;
    # 1 Jan 2027: an 8 h day with no lunch break, Monday to Friday.
    return WorkCalendar([
        Schedule.make(datetime.date(2000, 1, 1)),
        Schedule.make(datetime.date(2026, 6, 1), datetime.time(7, 30), datetime.time(11, 30), datetime.time(13),
                      datetime.time(16, 30), weekdays="123456"),
        Schedule.make(datetime.date(2027, 1, 1), datetime.time(8), datetime.time(12), datetime.time(12),
                      datetime.time(16)),
    ], {d: kind for d, kind, _, _ in SEED.DAYS})


@pytest.mark.parametrize("unit", UNITS)
def test_schedule_changes(unit):
    cal = schedule_change_calendar()
    rng = random.Random(f"schedules-{unit}")
    starts = random_moments(rng, 3000, W(2026, 4, 1), 400)
    starts += boundary_moments([datetime.date(2026, 5, 29) + datetime.timedelta(days=k) for k in range(5)]
                               + [datetime.date(2026, 12, 30) + datetime.timedelta(days=k) for k in range(6)])
    amounts = [rng.randrange(0, 70) for _ in starts]
    assert_same(cal, starts, amounts, unit)
    if unit == "working_hours":
        assert_same(cal, starts, [rng.random() * 30 for _ in starts], unit)


@pytest.mark.parametrize("unit", UNITS)
def test_far_years_extend_the_span(unit):
    cal = seeded_calendar()  # a fresh engine: its span starts at 2000-2100
    starts = [W(1980, 3, 7, 9), W(2100, 12, 1, 9), W(2150, 3, 6, 9), W(1999, 12, 31, 16), W(2026, 3, 3, 10)]
    amounts = [1, 2000, 1, 3, 40000]
    assert_same(cal, starts, amounts, unit)


def test_aware_starts_dates_and_scalar_amount():
    utc = datetime.timezone.utc
    starts = [W(2025, 12, 3, 1, 0, tzinfo=utc), W(2025, 12, 5, 20, 30, tzinfo=utc), datetime.date(2026, 2, 16),
              W(2026, 1, 2, 10)]
    for unit in UNITS:
        want = expected(CAL, starts, [3] * len(starts), unit)
        assert (CAL.add_many(starts, 3, unit) == want).all()
    assert str(CAL.add_many(starts[:1], [1])[0]) == "2025-12-04T08:00:00.000000"


def test_empty_and_non_microsecond_input():
    assert CAL.add_many([], []).shape == (0,)
    days = np.array(["2025-12-05", "2025-12-06"], dtype="datetime64[D]")  # midnight
    want = expected(CAL, [W(2025, 12, 5), W(2025, 12, 6)], [1, 1], "working_days")
    assert (CAL.add_many(days, [1, 1]) == want).all()


def test_bad_arguments_raise_like_add():
    t = [W(2025, 12, 1)]
    with pytest.raises(ValueError):
        CAL.add_many(t, [-1], "working_days")
    with pytest.raises(ValueError):
        CAL.add_many(t, [-0.5], "working_hours")
    with pytest.raises(ValueError):
        CAL.add_many(t, [1], "weeks")
    with pytest.raises(ValueError):
        CAL.add_many(t, [1.5], "working_days")
    with pytest.raises(ValueError):
        CAL.add_many(t, [1.5], "days")
    with pytest.raises(ValueError):
        CAL.add_many(t, [1, 2], "days")
    with pytest.raises(ValueError):
        CAL.add_many(np.array(["NaT"], dtype="datetime64[us]"), [1])
    with pytest.raises(CalendarRangeError):
        CAL.add_many([W(9999, 12, 20)], [1])
    with pytest.raises(CalendarRangeError):
        CAL.add_many(np.array(["-0005-01-01"], dtype="datetime64[D]"), [1])


def test_batch_does_not_change_single_calls():
    cal = seeded_calendar()
    before = [cal.add(W(2026, 2, 13, 9), n, u) for n in (1, 5, 30) for u in UNITS]
    cal.add_many(random_moments(random.Random(3), 500), list(range(500)), "days")
    assert [cal.add(W(2026, 2, 13, 9), n, u) for n in (1, 5, 30) for u in UNITS] == before


moments = st.datetimes(min_value=W(2024, 12, 1), max_value=W(2026, 12, 31))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(moments, st.integers(min_value=0, max_value=300)), min_size=1, max_size=40),
       st.sampled_from(UNITS))
def test_hypothesis_batches(pairs, unit):
    starts, amounts = zip(*pairs)
    assert_same(CAL, list(starts), list(amounts), unit)


@pytest.mark.django_db
def test_calendar_from_database():
    cal = get_calendar()
    rng = random.Random(11)
    starts = random_moments(rng, 1500)
    for unit in UNITS:
        assert_same(cal, starts, [rng.randrange(0, 80) for _ in starts], unit)
