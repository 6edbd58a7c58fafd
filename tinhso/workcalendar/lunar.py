"""Vietnamese lunar calendar (Âm lịch Việt Nam).

Hồ Ngọc Đức's algorithm: months start on the day of the astronomical new
moon and the leap month is the first month without a major solar term
(trung khí), both computed for the meridian of UTC+7. This is why Vietnam and
China sometimes celebrate Tết on different days (2007: 17 Feb in Vietnam,
18 Feb in China; 1985 and 2030 differ too). No Chinese-calendar library is
used on purpose.

Reference: Hồ Ngọc Đức, "Thuật toán tính âm lịch" (astronomical formulas
after Jean Meeus, "Astronomical Algorithms", 1998). Valid roughly for 1800-2199.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from functools import lru_cache

VN_TZ = 7.0
_PI = math.pi
_DR = _PI / 180


def jd_from_date(dd: int, mm: int, yy: int) -> int:
    """Julian day number of a Gregorian (or, before 1582-10-15, Julian) date."""
    a = (14 - mm) // 12
    y = yy + 4800 - a
    m = mm + 12 * a - 3
    jd = dd + (153 * m + 2) // 5 + 365 * y + y // 4 - y // 100 + y // 400 - 32045
    if jd < 2299161:
        jd = dd + (153 * m + 2) // 5 + 365 * y + y // 4 - 32083
    return jd


def jd_to_date(jd: int) -> datetime.date:
    if jd > 2299160:
        a = jd + 32044
        b = (4 * a + 3) // 146097
        c = a - (b * 146097) // 4
    else:
        b = 0
        c = jd + 32082
    d = (4 * c + 3) // 1461
    e = c - (1461 * d) // 4
    m = (5 * e + 2) // 153
    day = e - (153 * m + 2) // 5 + 1
    month = m + 3 - 12 * (m // 10)
    year = b * 100 + d - 4800 + m // 10
    return datetime.date(year, month, day)


def new_moon(k: int) -> float:
    """Julian date (TT corrected to UT) of the k-th new moon after 1900-01-01 13:52 UT."""
    T = k / 1236.85
    T2 = T * T
    T3 = T2 * T
    jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * T2 - 0.000000155 * T3
    jd1 += 0.00033 * math.sin((166.56 + 132.87 * T - 0.009173 * T2) * _DR)
    M = 359.2242 + 29.10535608 * k - 0.0000333 * T2 - 0.00000347 * T3
    Mpr = 306.0253 + 385.81691806 * k + 0.0107306 * T2 + 0.00001236 * T3
    F = 21.2964 + 390.67050646 * k - 0.0016528 * T2 - 0.00000239 * T3
    C1 = (0.1734 - 0.000393 * T) * math.sin(M * _DR) + 0.0021 * math.sin(2 * _DR * M)
    C1 = C1 - 0.4068 * math.sin(Mpr * _DR) + 0.0161 * math.sin(_DR * 2 * Mpr)
    C1 = C1 - 0.0004 * math.sin(_DR * 3 * Mpr)
    C1 = C1 + 0.0104 * math.sin(_DR * 2 * F) - 0.0051 * math.sin(_DR * (M + Mpr))
    C1 = C1 - 0.0074 * math.sin(_DR * (M - Mpr)) + 0.0004 * math.sin(_DR * (2 * F + M))
    C1 = C1 - 0.0004 * math.sin(_DR * (2 * F - M)) - 0.0006 * math.sin(_DR * (2 * F + Mpr))
    C1 = C1 + 0.0010 * math.sin(_DR * (2 * F - Mpr)) + 0.0005 * math.sin(_DR * (2 * Mpr + M))
    if T < -11:
        deltat = 0.001 + 0.000839 * T + 0.0002261 * T2 - 0.00000845 * T3 - 0.000000081 * T * T3
    else:
        deltat = -0.000278 + 0.000265 * T + 0.000262 * T2
    return jd1 + C1 - deltat


def sun_longitude(jdn: float) -> float:
    """Sun's apparent longitude in radians (0..2π) at Julian date `jdn` (UT)."""
    T = (jdn - 2451545.0) / 36525
    T2 = T * T
    M = 357.52910 + 35999.05030 * T - 0.0001559 * T2 - 0.00000048 * T * T2
    L0 = 280.46645 + 36000.76983 * T + 0.0003032 * T2
    DL = (1.914600 - 0.004817 * T - 0.000014 * T2) * math.sin(_DR * M)
    DL += (0.019993 - 0.000101 * T) * math.sin(_DR * 2 * M) + 0.000290 * math.sin(_DR * 3 * M)
    L = (L0 + DL) * _DR
    return L - _PI * 2 * math.floor(L / (_PI * 2))


def _new_moon_day(k: int, tz: float) -> int:
    return math.floor(new_moon(k) + 0.5 + tz / 24)


def _sun_sector(day_number: int, tz: float) -> int:
    """Which of the 12 sectors (major solar terms) the sun is in at local
    midnight starting `day_number`: 0..11."""
    return math.floor(sun_longitude(day_number - 0.5 - tz / 24) / _PI * 6)


@lru_cache(maxsize=512)
def _lunar_month_11(yy: int, tz: float) -> int:
    """Day number of the start of lunar month 11 (the month containing the
    winter solstice) of solar year `yy`."""
    off = jd_from_date(31, 12, yy) - 2415021
    k = math.floor(off / 29.530588853)
    nm = _new_moon_day(k, tz)
    if _sun_sector(nm, tz) >= 9:
        nm = _new_moon_day(k - 1, tz)
    return nm


def _leap_month_offset(a11: int, tz: float) -> int:
    k = math.floor((a11 - 2415021.076998695) / 29.530588853 + 0.5)
    i = 1
    arc = _sun_sector(_new_moon_day(k + i, tz), tz)
    while True:
        last = arc
        i += 1
        arc = _sun_sector(_new_moon_day(k + i, tz), tz)
        if not (arc != last and i < 14):
            break
    return i - 1


@dataclass(frozen=True)
class LunarDate:
    day: int
    month: int
    year: int
    leap: bool = False

    def __str__(self):
        return f"{self.day}/{self.month}{' nhuận' if self.leap else ''}/{self.year} ÂL"


def solar_to_lunar(d: datetime.date, tz: float = VN_TZ) -> LunarDate:
    day_number = jd_from_date(d.day, d.month, d.year)
    k = math.floor((day_number - 2415021.076998695) / 29.530588853)
    month_start = _new_moon_day(k + 1, tz)
    if month_start > day_number:
        month_start = _new_moon_day(k, tz)
    a11 = _lunar_month_11(d.year, tz)
    b11 = a11
    if a11 >= month_start:
        lunar_year = d.year
        a11 = _lunar_month_11(d.year - 1, tz)
    else:
        lunar_year = d.year + 1
        b11 = _lunar_month_11(d.year + 1, tz)
    lunar_day = day_number - month_start + 1
    diff = math.floor((month_start - a11) / 29)
    leap = False
    lunar_month = diff + 11
    if b11 - a11 > 365:
        leap_diff = _leap_month_offset(a11, tz)
        if diff >= leap_diff:
            lunar_month = diff + 10
            if diff == leap_diff:
                leap = True
    if lunar_month > 12:
        lunar_month -= 12
    if lunar_month >= 11 and diff < 4:
        lunar_year -= 1
    return LunarDate(lunar_day, lunar_month, lunar_year, leap)


def lunar_to_solar(day: int, month: int, year: int, leap: bool = False, tz: float = VN_TZ) -> datetime.date:
    """Gregorian date of a lunar date; ValueError if it does not exist (a leap
    month that is not the leap month of that year)."""
    if month < 11:
        a11 = _lunar_month_11(year - 1, tz)
        b11 = _lunar_month_11(year, tz)
    else:
        a11 = _lunar_month_11(year, tz)
        b11 = _lunar_month_11(year + 1, tz)
    k = math.floor(0.5 + (a11 - 2415021.076998695) / 29.530588853)
    off = month - 11
    if off < 0:
        off += 12
    if b11 - a11 > 365:
        leap_off = _leap_month_offset(a11, tz)
        leap_month = leap_off - 2
        if leap_month < 0:
            leap_month += 12
        if leap and month != leap_month:
            raise ValueError(f"{year} has no leap month {month}")
        if leap or off >= leap_off:
            off += 1
    elif leap:
        raise ValueError(f"{year} has no leap month")
    month_start = _new_moon_day(k + off, tz)
    return jd_to_date(month_start + day - 1)


def tet(year: int) -> datetime.date:
    """Tết Nguyên đán: day 1 of month 1 of the lunar year that starts in `year`."""
    return lunar_to_solar(1, 1, year)


def hung_kings_day(year: int) -> datetime.date:
    """Giỗ Tổ Hùng Vương: day 10 of lunar month 3 (never the leap month)."""
    return lunar_to_solar(10, 3, year)
