"""Example tests of the deadline rules on the official 2025-2026 calendar."""

import datetime

import pytest

from tinhso.workcalendar.engine import TZ, WorkCalendar, Schedule, get_calendar

W = datetime.datetime


def vn(*args):
    return W(*args, tzinfo=TZ)


def test_friday_16h_plus_one_working_day(cal):
    # Fri 5 Dec 2025 16:00 = 7 h into the day; +8 h -> Mon 8 Dec 16:00.
    assert cal.add(W(2025, 12, 5, 16), 1, "working_days") == vn(2025, 12, 8, 16)
    assert cal.add(W(2025, 12, 5, 16), 8, "working_hours") == vn(2025, 12, 8, 16)


def test_received_at_lunch_starts_at_13_30(cal):
    assert cal.start_of_counting(W(2025, 12, 3, 12, 15)) == vn(2025, 12, 3, 13, 30)
    # 4.5 h of the day already gone at 13:30; the next day reaches 4.5 h at 11:30, and the due
    # time is the earliest such moment (11:30, not 13:30: same working time, see docs/calendar.md)
    assert cal.add(W(2025, 12, 3, 12, 15), 1, "working_days") == vn(2025, 12, 4, 11, 30)
    assert cal.add(W(2025, 12, 3, 12, 15), 2, "working_hours") == vn(2025, 12, 3, 15, 30)


def test_received_before_opening_and_after_closing(cal):
    assert cal.start_of_counting(W(2025, 12, 3, 6, 0)) == vn(2025, 12, 3, 7)
    assert cal.start_of_counting(W(2025, 12, 3, 17, 0)) == vn(2025, 12, 4, 7)
    assert cal.start_of_counting(W(2025, 12, 5, 18, 0)) == vn(2025, 12, 8, 7)


def test_received_saturday(cal):
    assert cal.start_of_counting(W(2025, 12, 6, 9)) == vn(2025, 12, 8, 7)
    assert cal.add(W(2025, 12, 6, 9), 1, "working_days") == vn(2025, 12, 8, 17)
    assert cal.add(W(2025, 12, 6, 9), 2, "working_days") == vn(2025, 12, 9, 17)


def test_new_year_2026_and_makeup_saturday(cal):
    # Wed 31 Dec 2025 09:00. Off: Thu 1 Jan (holiday), Fri 2 Jan (swapped). Sat 10 Jan is worked.
    start = W(2025, 12, 31, 9)
    assert cal.add(start, 1, "working_days") == vn(2026, 1, 5, 9)
    # working days after 31 Dec: 5, 6, 7, 8, 9 Jan (Mon-Fri), 10 Jan (Sat, make-up), 12 Jan (Mon)
    assert cal.add(start, 5, "working_days") == vn(2026, 1, 9, 9)
    assert cal.add(start, 6, "working_days") == vn(2026, 1, 10, 9)
    assert cal.add(start, 7, "working_days") == vn(2026, 1, 12, 9)
    assert cal.is_working_day(datetime.date(2026, 1, 10))
    assert not cal.is_working_day(datetime.date(2026, 1, 1))
    assert not cal.is_working_day(datetime.date(2026, 1, 2))
    assert cal.working_time_between(W(2026, 1, 9, 17), W(2026, 1, 12, 7)) == datetime.timedelta(hours=8)


def test_tet_2026(cal):
    # Fri 13 Feb 2026 10:00; Tết off 16-20 Feb (Mon-Fri); next working day Mon 23 Feb.
    assert cal.add(W(2026, 2, 13, 10), 1, "working_days") == vn(2026, 2, 23, 10)
    assert cal.start_of_counting(W(2026, 2, 17, 9)) == vn(2026, 2, 23, 7)
    for d in range(14, 23):
        assert not cal.is_working_day(datetime.date(2026, 2, d))
    # 10 calendar days from Thu 12 Feb 10:00 = Sun 22 Feb -> next opening Mon 23 Feb 07:00
    assert cal.add(W(2026, 2, 12, 10), 10, "days") == vn(2026, 2, 23, 7)


def test_two_working_hours_end_at_11_30_then_continue_at_13_30(cal):
    assert cal.add(W(2025, 12, 3, 9, 30), 2, "working_hours") == vn(2025, 12, 3, 11, 30)
    assert cal.add(W(2025, 12, 3, 9, 30), 3, "working_hours") == vn(2025, 12, 3, 14, 30)
    # ending exactly at closing stays at 17:00
    assert cal.add(W(2025, 12, 3, 7), 8, "working_hours") == vn(2025, 12, 3, 17)
    assert cal.add(W(2025, 12, 3, 7), 1, "working_days") == vn(2025, 12, 3, 17)


def test_zero_amount_is_the_counting_start(cal):
    assert cal.add(W(2025, 12, 6, 9), 0, "working_hours") == vn(2025, 12, 8, 7)
    assert cal.add(W(2025, 12, 3, 9), 0, "working_days") == vn(2025, 12, 3, 9)


def test_days_unit_rolls_out_of_hours_and_lunch(cal):
    assert cal.add(W(2025, 12, 1, 12), 2, "days") == vn(2025, 12, 3, 13, 30)  # counting from 13:30
    assert cal.add(W(2025, 12, 1, 16), 5, "days") == vn(2025, 12, 8, 7)  # Sat 6 Dec -> Mon
    assert cal.add(W(2025, 12, 1, 8), 2, "days") == vn(2025, 12, 3, 8)


def test_pauses_move_the_due_time(cal):
    start = W(2025, 12, 1, 8)  # Mon
    assert cal.add(start, 3, "working_days") == vn(2025, 12, 4, 8)
    # supplement request Tue 9:00 -> Wed 9:00 (8 working hours) moves due by one working day
    pauses = [(W(2025, 12, 2, 9), W(2025, 12, 3, 9))]
    assert cal.due_after_pauses(start, 3, "working_days", pauses) == vn(2025, 12, 5, 8)
    # a pause over a weekend only counts its working hours: Fri 16:00 -> Mon 08:00 = 1 h + 1 h
    pauses = [(W(2025, 12, 5, 16), W(2025, 12, 8, 8))]
    assert cal.due_after_pauses(W(2025, 12, 4, 8), 3, "working_days", pauses) == vn(2025, 12, 9, 10)
    # pause after the due time changes nothing; overlapping pauses are merged
    assert cal.due_after_pauses(start, 1, "working_days", [(W(2025, 12, 10, 8), W(2025, 12, 11, 8))]) \
        == cal.add(start, 1, "working_days")
    merged = [(W(2025, 12, 2, 9), W(2025, 12, 2, 10)), (W(2025, 12, 2, 9, 30), W(2025, 12, 2, 11))]
    assert cal.due_after_pauses(start, 3, "working_days", merged) == vn(2025, 12, 4, 10)
    with pytest.raises(ValueError):
        cal.due_after_pauses(start, 1, "working_days", [(W(2025, 12, 3), W(2025, 12, 2))])


def test_aware_input_is_converted_to_vietnam_time(cal):
    utc = datetime.timezone.utc
    assert cal.start_of_counting(W(2025, 12, 3, 1, 0, tzinfo=utc)) == vn(2025, 12, 3, 8)
    assert cal.add(W(2025, 12, 3, 1, 0, tzinfo=utc), 1, "working_days").isoformat() == "2025-12-04T08:00:00+07:00"


def test_years_without_data_use_weekends_and_far_years_extend_lazily(cal):
    assert cal.add(W(2031, 3, 7, 9), 1, "working_days") == vn(2031, 3, 10, 9)  # Fri -> Mon
    assert cal.add(W(2150, 3, 6, 9), 1, "working_days") == vn(2150, 3, 9, 9)   # beyond 2100
    assert cal.add(W(1980, 3, 7, 9), 1, "working_days") == vn(1980, 3, 10, 9)
    assert cal.add(W(2100, 12, 1, 9), 2000, "working_days").year == 2108


def test_schedule_with_effective_date():
    cal = WorkCalendar([Schedule.make(datetime.date(2000, 1, 1)),
                        Schedule.make(datetime.date(2026, 6, 1), datetime.time(7, 30), datetime.time(11, 30),
                                      datetime.time(13), datetime.time(16, 30))])
    assert cal.add(W(2026, 5, 29, 7), 8, "working_hours") == vn(2026, 5, 29, 17)
    assert cal.add(W(2026, 6, 1, 7), 7.5, "working_hours") == vn(2026, 6, 1, 16, 30)
    assert cal.add(W(2026, 6, 1, 7), 8, "working_hours") == vn(2026, 6, 2, 8)
    assert cal.start_of_counting(W(2026, 6, 1, 7)) == vn(2026, 6, 1, 7, 30)
    assert cal.working_seconds_of_day(datetime.date(2026, 6, 1)) == 7.5 * 3600
    # working_days counts days, not hours: Fri 29 May 9:00 (2 h of 8) -> Mon 1 Jun at 2 h of 7.5
    assert cal.add(W(2026, 5, 29, 9), 1, "working_days") == vn(2026, 6, 1, 9, 22, 30)


def test_bad_arguments(cal):
    with pytest.raises(ValueError):
        cal.add(W(2025, 12, 1), -1, "working_days")
    with pytest.raises(ValueError):
        cal.add(W(2025, 12, 1), 1, "weeks")
    with pytest.raises(ValueError):
        cal.add(W(2025, 12, 1), 1.5, "working_days")
    assert cal.add(W(2025, 12, 1, 7), 1.5, "working_hours") == vn(2025, 12, 1, 8, 30)


@pytest.mark.django_db
def test_engine_from_database_matches_seed(cal):
    db_cal = get_calendar()
    d = datetime.date(2024, 12, 1)
    while d < datetime.date(2027, 2, 1):
        assert db_cal.is_working_day(d) == cal.is_working_day(d), d
        d += datetime.timedelta(days=1)
    assert db_cal.token
