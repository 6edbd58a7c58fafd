import datetime

import pytest

from tinhso.workcalendar import lunar

D = datetime.date


@pytest.mark.parametrize("year,expected", [
    (2007, D(2007, 2, 17)),  # China: 18 Feb
    (2024, D(2024, 2, 10)),
    (2025, D(2025, 1, 29)),
    (2026, D(2026, 2, 17)),
    # New moon 2 Feb 2030 16:07 UT = 23:07 in UTC+7 but 00:07 on 3 Feb in UTC+8: Vietnam
    # celebrates on 2 Feb, China on 3 Feb (see docs/calendar.md).
    (2030, D(2030, 2, 2)),
    (1985, D(1985, 1, 21)),  # China: 20 Feb (differs by a whole month)
])
def test_tet(year, expected):
    assert lunar.tet(year) == expected


def test_china_differs_in_utc8():
    assert lunar.lunar_to_solar(1, 1, 2007, tz=8.0) == D(2007, 2, 18)
    assert lunar.lunar_to_solar(1, 1, 2030, tz=8.0) == D(2030, 2, 3)


@pytest.mark.parametrize("year,expected", [(2025, D(2025, 4, 7)), (2026, D(2026, 4, 26)), (2024, D(2024, 4, 18))])
def test_hung_kings_day(year, expected):
    assert lunar.hung_kings_day(year) == expected


def test_round_trip_and_leap_month():
    assert lunar.solar_to_lunar(D(2023, 3, 22)) == lunar.LunarDate(1, 2, 2023, True)  # leap 2nd month 2023
    assert lunar.lunar_to_solar(1, 2, 2023, leap=True) == D(2023, 3, 22)
    with pytest.raises(ValueError):
        lunar.lunar_to_solar(1, 5, 2023, leap=True)
    d = D(1990, 1, 1)
    while d < D(2061, 1, 1):
        ld = lunar.solar_to_lunar(d)
        assert lunar.lunar_to_solar(ld.day, ld.month, ld.year, ld.leap) == d
        d += datetime.timedelta(days=13)


def test_last_day_of_lunar_year_is_eve_of_tet():
    for year in range(2000, 2101):
        eve = lunar.tet(year) - datetime.timedelta(days=1)
        ld = lunar.solar_to_lunar(eve)
        assert ld.month == 12 and ld.day in (29, 30) and ld.year == year - 1
