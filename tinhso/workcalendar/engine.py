"""Working-time engine: deadlines in working hours, working days or calendar
days, built from the calendar data (WorkSchedule, confirmed CalendarDay).

Pure Python, no database access except in `get_calendar()`.

Conventions (see docs/calendar.md):

* Times are Vietnam time (Asia/Ho_Chi_Minh, UTC+7, no daylight saving).
  Naive datetimes are taken as Vietnam time; results are aware datetimes in
  that zone.
* Working intervals of a working day are [morning_start, morning_end) and
  [afternoon_start, afternoon_end). A moment *starts* counting only inside
  one of them; otherwise (before opening, at lunch, at or after closing, on a
  non-working day) counting starts at the next opening.
* A due time is the EARLIEST moment at which the required working time has
  elapsed: a deadline that uses up a session exactly ends at its closing
  time (11:30 or 17:00), it is not rolled to the next opening. Due moments
  are therefore in the closed intervals [open, close].
* `working_hours`: n hours of working time from the counting start.
* `working_days`: n working days from the counting start, each day counted
  with its own length (8 h by default): the due time is on the n-th working
  day after the counting day at the same share of the day. Counting from an
  opening (07:00), the due is the closing (17:00) of the (n-1)-th working
  day after it, e.g. Monday 07:00 + 1 working day = Monday 17:00; from
  Monday 09:00 it is Tuesday 09:00. With a uniform schedule this equals
  n × 8 working hours.
* `days`: n calendar days (24 h each) from the counting start; if that moment
  is not a working moment it moves to the next one (the next opening, or the
  afternoon opening at lunch), so a due date never falls on a day off.
* Pauses (supplement requests) move the due time by the working time inside
  them, counted in chronological order against the moving due time.

Performance: per-day arrays (working length, cumulative working time,
working-day rank) are precomputed over a span of years, so each call is a
couple of O(1) look-ups plus one bisect. The span covers 2000-2100 and the
years in the data ±1, and is extended on demand for any other year.
"""

from __future__ import annotations

import datetime
import threading
import time
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
US = 1_000_000
HOUR_US = 3600 * US
DAY_US = 86400 * US

WORKING_DAYS = "working_days"
WORKING_HOURS = "working_hours"
DAYS = "days"
SAME_DAY = "same_day"  # trả trong ngày; received after the cut-off: the next working day (amount is ignored)
UNITS = (WORKING_DAYS, WORKING_HOURS, DAYS, SAME_DAY)
DEFAULT_CUTOFF = datetime.time(15, 0)

DAY_OFF = {"holiday", "compensatory", "swapped_day_off"}
WORK_DAY = {"makeup_workday"}

DEFAULT_FIRST_YEAR = 2000
DEFAULT_LAST_YEAR = 2100
MIN_ORDINAL = datetime.date(1, 1, 2).toordinal()
MAX_ORDINAL = datetime.date(9999, 12, 30).toordinal()
_EPOCH_ORDINAL = datetime.date(1970, 1, 1).toordinal()  # day 0 of numpy datetime64


class CalendarRangeError(ValueError):
    """A date outside what the engine can represent (years 1-9999)."""


def _tod(t: datetime.time) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * US + t.microsecond


@dataclass(frozen=True)
class Schedule:
    """Working hours from `valid_from` on (times as microseconds of the day)."""

    valid_from: datetime.date
    morning_start: int
    morning_end: int
    afternoon_start: int
    afternoon_end: int
    weekdays: frozenset  # ISO weekdays 1..7

    @classmethod
    def make(cls, valid_from: datetime.date, morning_start=datetime.time(7), morning_end=datetime.time(11, 30),
             afternoon_start=datetime.time(13, 30), afternoon_end=datetime.time(17),
             weekdays: Iterable[int] | str = "12345") -> Schedule:
        s = cls(valid_from, _tod(morning_start), _tod(morning_end), _tod(afternoon_start), _tod(afternoon_end),
                frozenset(int(c) for c in weekdays))
        if not (s.morning_start < s.morning_end <= s.afternoon_start < s.afternoon_end <= DAY_US):
            raise ValueError("working hours must be morning_start < morning_end <= afternoon_start < afternoon_end")
        if not s.weekdays or not s.weekdays <= set(range(1, 8)):
            raise ValueError("weekdays must be ISO weekdays 1..7")
        return s

    @property
    def morning_length(self) -> int:
        return self.morning_end - self.morning_start

    @property
    def length(self) -> int:
        return self.morning_end - self.morning_start + self.afternoon_end - self.afternoon_start

    def tod_at(self, r: int) -> int:
        """Time of day after `r` working microseconds of the day, earliest
        moment (r == morning length gives morning_end, not afternoon_start)."""
        m = self.morning_end - self.morning_start
        return self.morning_start + r if r <= m else self.afternoon_start + (r - m)

    def worked_before(self, tod: int) -> int:
        """Working microseconds of the day elapsed at time of day `tod`."""
        return (min(max(tod, self.morning_start), self.morning_end) - self.morning_start
                + min(max(tod, self.afternoon_start), self.afternoon_end) - self.afternoon_start)


DEFAULT_SCHEDULE = Schedule.make(datetime.date(1, 1, 1))


class _NeedMore(Exception):
    """Internal: the span is too short for the requested result."""


class _Span:
    """Precomputed arrays for the days first..first+n-1 (ordinals)."""

    __slots__ = ("first", "n", "sched", "length", "cum", "rank", "wd_day", "wd_cum_end", "_arrays")

    def __init__(self, first: int, last: int, schedules: tuple[Schedule, ...], overrides: Mapping[int, bool]):
        self.first = first
        self.n = n = last - first + 1
        starts = [s.valid_from.toordinal() for s in schedules]
        sched = [0] * n
        length = [0] * n
        cum = [0] * (n + 1)
        rank = [0] * (n + 1)
        wd_day: list[int] = []
        wd_cum_end: list[int] = []
        si = max(bisect_left(starts, first + 1) - 1, 0)
        weekday = datetime.date.fromordinal(first).isoweekday()
        total = 0
        for i in range(n):
            o = first + i
            while si + 1 < len(starts) and starts[si + 1] <= o:
                si += 1
            s = schedules[si]
            sched[i] = si
            working = overrides.get(o)
            if working is None:
                working = weekday in s.weekdays
            rank[i] = len(wd_day)
            cum[i] = total
            if working:
                length[i] = s.length
                total += s.length
                wd_day.append(i)
                wd_cum_end.append(total)
            weekday = 1 if weekday == 7 else weekday + 1
        cum[n] = total
        rank[n] = len(wd_day)
        self.sched, self.length, self.cum, self.rank = sched, length, cum, rank
        self.wd_day, self.wd_cum_end = wd_day, wd_cum_end
        self._arrays = None  # numpy copies for WorkCalendar.add_many, built on first use


class _SpanArrays:
    """numpy (int64) copies of a span's arrays plus the per-day opening and
    closing times, for the vectorised `WorkCalendar.add_many`."""

    __slots__ = ("length", "cum", "rank", "wd_day", "wd_cum_end", "ms", "me", "as_", "ae", "uniform")

    def __init__(self, span: _Span, schedules: tuple[Schedule, ...]):
        import numpy as np

        sched = np.asarray(span.sched, dtype=np.int64)
        self.length = np.asarray(span.length, dtype=np.int64)
        self.cum = np.asarray(span.cum, dtype=np.int64)
        self.rank = np.asarray(span.rank, dtype=np.int64)
        self.wd_day = np.asarray(span.wd_day, dtype=np.int64)
        self.wd_cum_end = np.asarray(span.wd_cum_end, dtype=np.int64)
        self.ms = np.asarray([s.morning_start for s in schedules], dtype=np.int64)[sched]
        self.me = np.asarray([s.morning_end for s in schedules], dtype=np.int64)[sched]
        self.as_ = np.asarray([s.afternoon_start for s in schedules], dtype=np.int64)[sched]
        self.ae = np.asarray([s.afternoon_end for s in schedules], dtype=np.int64)[sched]
        # every schedule has the same working length: working_days never rescales
        self.uniform = len({s.length for s in schedules}) == 1


def _span_arrays(span: _Span, schedules: tuple[Schedule, ...]) -> _SpanArrays:
    arrays = span._arrays
    if arrays is None:  # a race only builds the same arrays twice
        arrays = span._arrays = _SpanArrays(span, schedules)
    return arrays


class WorkCalendar:
    """An immutable view of the calendar data with fast working-time queries.

    Build it with `WorkCalendar(schedules, days)` where `days` maps a date to
    a CalendarDay kind (only confirmed rows), or obtain the current one with
    `get_calendar()`."""

    def __init__(self, schedules: Iterable[Schedule] = (), days: Mapping[datetime.date, str] | None = None,
                 *, token: str = "", first_year: int = DEFAULT_FIRST_YEAR, last_year: int = DEFAULT_LAST_YEAR):
        self.token = token
        scheds = tuple(sorted(schedules, key=lambda s: s.valid_from)) or (DEFAULT_SCHEDULE,)
        self.schedules = scheds
        overrides: dict[int, bool] = {}
        for day, kind in (days or {}).items():
            if kind in DAY_OFF:
                overrides[day.toordinal()] = False
            elif kind in WORK_DAY:
                overrides[day.toordinal()] = True
        self.overrides = overrides
        self.days = dict(days or {})
        years = [datetime.date.fromordinal(o).year for o in overrides]
        first_year = min([first_year, *[y - 1 for y in years]])
        last_year = max([last_year, *[y + 1 for y in years]])
        self._lock = threading.Lock()
        self._span = _Span(datetime.date(max(first_year, 1), 1, 1).toordinal(),
                           datetime.date(min(last_year, 9999), 12, 31).toordinal(), scheds, overrides)

    # ----- span management -------------------------------------------------

    def _cover(self, lo: int, hi: int) -> _Span:
        """A span that contains ordinals lo..hi (extended with a margin)."""
        span = self._span
        if lo >= span.first and hi < span.first + span.n:
            return span
        if lo < MIN_ORDINAL or hi > MAX_ORDINAL:
            raise CalendarRangeError("date outside the supported range (years 1-9999)")
        with self._lock:
            span = self._span
            first, last = span.first, span.first + span.n - 1
            if lo < first:
                first = max(min(lo - 3660, first - 3660), MIN_ORDINAL - 1)
            if hi > last:
                last = min(max(hi + 3660, last + (last - first) // 2), MAX_ORDINAL + 1)
            span = _Span(first, last, self.schedules, self.overrides)
            self._span = span
        return span

    def _run(self, fn, lo: int, hi: int):
        span = self._cover(lo, hi)
        while True:
            try:
                return fn(span)
            except _NeedMore:
                last = span.first + span.n - 1
                if last >= MAX_ORDINAL:
                    raise CalendarRangeError("result outside the supported range (years 1-9999)") from None
                span = self._cover(span.first, min(last + max(span.n, 3660), MAX_ORDINAL))

    # ----- conversions -----------------------------------------------------

    @staticmethod
    def local(t: datetime.datetime | datetime.date) -> datetime.datetime:
        """Aware Vietnam time; naive input is taken as Vietnam time."""
        if not isinstance(t, datetime.datetime):
            t = datetime.datetime.combine(t, datetime.time())
        if t.tzinfo is None:
            return t.replace(tzinfo=TZ)
        return t.astimezone(TZ)

    @classmethod
    def _split(cls, t) -> tuple[int, int]:
        t = cls.local(t)
        return t.toordinal(), _tod(t.timetz())

    @staticmethod
    def _join(o: int, tod: int) -> datetime.datetime:
        d = datetime.date.fromordinal(o)
        return datetime.datetime(d.year, d.month, d.day, tzinfo=TZ) + datetime.timedelta(microseconds=tod)

    # ----- primitives on a span (index i = ordinal - span.first) ------------

    def _sched(self, span: _Span, i: int) -> Schedule:
        return self.schedules[span.sched[i]]

    def _next_wd(self, span: _Span, i: int) -> int:
        """Index of the first working day at or after day index i."""
        k = span.rank[i] if i <= span.n else span.rank[span.n]
        if k >= len(span.wd_day):
            raise _NeedMore
        return span.wd_day[k]

    def _counting(self, span: _Span, i: int, tod: int) -> tuple[int, int]:
        if span.length[i]:
            s = self._sched(span, i)
            if tod < s.morning_start:
                return i, s.morning_start
            if tod < s.morning_end:
                return i, tod
            if tod < s.afternoon_start:
                return i, s.afternoon_start
            if tod < s.afternoon_end:
                return i, tod
        j = self._next_wd(span, i + 1)
        return j, self._sched(span, j).morning_start

    def _working_moment(self, span: _Span, i: int, tod: int) -> tuple[int, int]:
        """The moment itself if it is a working moment (closed intervals), else
        the next opening."""
        if span.length[i]:
            s = self._sched(span, i)
            if tod < s.morning_start:
                return i, s.morning_start
            if tod <= s.morning_end:
                return i, tod
            if tod < s.afternoon_start:
                return i, s.afternoon_start
            if tod <= s.afternoon_end:
                return i, tod
        j = self._next_wd(span, i + 1)
        return j, self._sched(span, j).morning_start

    def _position(self, span: _Span, i: int, tod: int) -> int:
        if not span.length[i]:
            return span.cum[i]
        return span.cum[i] + self._sched(span, i).worked_before(tod)

    def _at_position(self, span: _Span, p: int) -> tuple[int, int]:
        """Earliest moment whose working position is >= p."""
        k = bisect_left(span.wd_cum_end, p)
        if k >= len(span.wd_day):
            raise _NeedMore
        j = span.wd_day[k]
        s = self._sched(span, j)
        r = p - span.cum[j]
        if r <= 0:
            return j, s.morning_start
        return j, s.tod_at(r)

    def _add_us(self, span: _Span, i: int, tod: int, us: int) -> tuple[int, int]:
        if us <= 0:
            return i, tod
        return self._at_position(span, self._position(span, i, tod) + us)

    def _add(self, span: _Span, o: int, tod: int, amount, unit: str) -> tuple[int, int]:
        i, tod = self._counting(span, o - span.first, tod)
        if unit == WORKING_HOURS:
            return self._add_us(span, i, tod, round(amount * HOUR_US))
        if unit == WORKING_DAYS:
            n = int(amount)
            if n != amount:
                raise ValueError("working_days must be a whole number")
            if n == 0:
                return i, tod
            L = span.length[i]
            r = self._sched(span, i).worked_before(tod)
            k = span.rank[i] + n
            if r == 0:
                if k - 1 >= len(span.wd_day):
                    raise _NeedMore
                j = span.wd_day[k - 1]
                return j, self._sched(span, j).afternoon_end
            if k >= len(span.wd_day):
                raise _NeedMore
            j = span.wd_day[k]
            Lj = span.length[j]
            r2 = r if Lj == L else r * Lj // L
            return j, self._sched(span, j).tod_at(r2)
        if unit == DAYS:
            n = int(amount)
            if n != amount:
                raise ValueError("days must be a whole number")
            j = i + n
            if j >= span.n:
                raise _NeedMore
            return self._working_moment(span, j, tod)
        raise ValueError(f"unknown unit {unit!r}; use one of {', '.join(UNITS)}")

    # ----- public API ------------------------------------------------------

    def is_working_day(self, day: datetime.date) -> bool:
        if isinstance(day, datetime.datetime):
            day = self.local(day).date()
        o = day.toordinal()
        span = self._cover(o, o)
        return bool(span.length[o - span.first])

    def working_seconds_of_day(self, day: datetime.date) -> int:
        o = day.toordinal()
        span = self._cover(o, o)
        return span.length[o - span.first] // US

    def schedule_on(self, day: datetime.date) -> Schedule:
        starts = [s.valid_from for s in self.schedules]
        return self.schedules[max(bisect_left(starts, day + datetime.timedelta(days=1)) - 1, 0)]

    def next_working_day(self, day: datetime.date, *, include: bool = True) -> datetime.date:
        o = day.toordinal() + (0 if include else 1)

        def run(span):
            return span.first + self._next_wd(span, o - span.first)

        return datetime.date.fromordinal(self._run(run, o, o + 60))

    def start_of_counting(self, t: datetime.datetime) -> datetime.datetime:
        """When the clock starts for something received at `t`."""
        o, tod = self._split(t)

        def run(span):
            i, tod2 = self._counting(span, o - span.first, tod)
            return span.first + i, tod2

        return self._join(*self._run(run, o, o + 60))

    def closing(self, day: datetime.date) -> datetime.datetime:
        """The end of the working hours of `day` (a working day)."""
        midnight = datetime.datetime.combine(day, datetime.time(), tzinfo=TZ)
        return self.add_working_time(midnight, datetime.timedelta(seconds=self.working_seconds_of_day(day)))

    def same_day(self, start: datetime.datetime, cutoff: datetime.time = DEFAULT_CUTOFF) -> datetime.datetime:
        """Trả trong ngày: the close of the day of reception when received on a
        working day before `cutoff`; otherwise the close of the next working day
        (a reception in the evening, on a day off or after the cut-off)."""
        t = self.local(start)
        day = t.date()
        if self.is_working_day(day) and t.time() < cutoff and self.start_of_counting(t).date() == day:
            return self.closing(day)
        return self.closing(self.next_working_day(day, include=False))

    def end_of_day(self, t: datetime.datetime) -> datetime.datetime:
        """The Civil Code's reading of a period in days: it ends with the last
        day, here the close of that working day."""
        return self.closing(self.local(t).date()) if self.is_working_day(self.local(t).date()) else self.local(t)

    def add(self, start: datetime.datetime, amount, unit: str = WORKING_DAYS,
            cutoff: datetime.time | None = None) -> datetime.datetime:
        """Due time for `amount` `unit`s counted from `start_of_counting(start)`;
        `same_day` (amount ignored) with its `cutoff` (15:00 by default)."""
        if unit not in UNITS:
            raise ValueError(f"unknown unit {unit!r}; use one of {', '.join(UNITS)}")
        if amount < 0:
            raise ValueError("amount must not be negative")
        if unit == SAME_DAY:
            return self.same_day(start, cutoff or DEFAULT_CUTOFF)
        o, tod = self._split(start)

        def run(span):
            i, tod2 = self._add(span, o, tod, amount, unit)
            return span.first + i, tod2

        return self._join(*self._run(run, o, o + 60))

    def add_many(self, starts, amounts, unit: str = WORKING_DAYS):
        """Vectorised `add` for many pairs (numpy arrays in and out): see
        tinhso/workcalendar/batch.py."""
        from tinhso.workcalendar import batch

        return batch.add_many(self, starts, amounts, unit)


    def working_time_between(self, a: datetime.datetime, b: datetime.datetime) -> datetime.timedelta:
        """Working time in [a, b]; negative when b is before a."""
        oa, ta = self._split(a)
        ob, tb = self._split(b)

        def run(span):
            return (self._position(span, ob - span.first, tb) - self._position(span, oa - span.first, ta))

        return datetime.timedelta(microseconds=self._run(run, min(oa, ob), max(oa, ob)))

    def due_after_pauses(self, start: datetime.datetime, amount, unit: str = WORKING_DAYS,
                         pauses: Iterable[tuple[datetime.datetime, datetime.datetime]] = ()) -> datetime.datetime:
        """Due time when the clock was stopped during `pauses` (supplement
        periods). Overlapping pauses are merged; the parts before the counting
        start are ignored; a pause that starts at or after the (already moved)
        due time has no effect. The due time moves by the working time inside
        the remaining pauses."""
        due = self.add(start, amount, unit)
        counting = self.start_of_counting(start)
        intervals = []
        for ps, pe in pauses:
            ps, pe = self.local(ps), self.local(pe)
            if pe < ps:
                raise ValueError("a pause must not end before it starts")
            intervals.append((max(ps, counting), pe))
        intervals.sort()
        merged: list[list[datetime.datetime]] = []
        for ps, pe in intervals:
            if pe <= ps:
                continue
            if merged and ps <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], pe)
            else:
                merged.append([ps, pe])
        for ps, pe in merged:
            if ps >= due:
                break
            paused = self.working_time_between(ps, pe)
            due = self.add_working_time(due, paused)
        return due

    def add_working_time(self, t: datetime.datetime, delta: datetime.timedelta) -> datetime.datetime:
        """The earliest moment after `t` with `delta` of working time in
        between (t itself when delta is zero)."""
        o, tod = self._split(t)
        us = (delta.days * 86400 + delta.seconds) * US + delta.microseconds
        if us <= 0:
            return self.local(t)

        def run(span):
            i, tod2 = self._add_us(span, o - span.first, tod, us)
            return span.first + i, tod2

        return self._join(*self._run(run, o, o + 60))


# ----- the per-process cache ------------------------------------------------

_cache_lock = threading.Lock()
_cached: WorkCalendar | None = None
_checked_at = float("-inf")


def recheck_seconds() -> float:
    from django.conf import settings

    return float(getattr(settings, "TINHSO_CALENDAR_RECHECK_SECONDS", 3))


def build_from_db(token: str | None = None) -> WorkCalendar:
    from tinhso.workcalendar.models import CalendarDay, CalendarRevision, WorkSchedule

    if token is None:
        token = CalendarRevision.current_token()
    schedules = [Schedule.make(w.valid_from, w.morning_start, w.morning_end, w.afternoon_start, w.afternoon_end,
                               w.weekdays) for w in WorkSchedule.objects.all()]
    days = dict(CalendarDay.objects.confirmed().values_list("date", "kind"))
    return WorkCalendar(schedules, days, token=token)


def get_calendar() -> WorkCalendar:
    """The current engine. Built once per process and rebuilt when the
    revision token in the database changes; the token is re-read at most every
    `TINHSO_CALENDAR_RECHECK_SECONDS` (3 s by default), and at once after a
    change made by this process."""
    global _cached, _checked_at
    cal = _cached
    now = time.monotonic()
    if cal is not None and now - _checked_at < recheck_seconds():
        return cal
    from tinhso.workcalendar.models import CalendarRevision

    token = CalendarRevision.current_token()  # read before the data: a race only makes us rebuild again
    if cal is None or cal.token != token:
        with _cache_lock:
            cal = build_from_db(token)
            _cached = cal
    _checked_at = now
    return cal


def invalidate_local() -> None:
    """Make the next `get_calendar()` in this process re-read the token."""
    global _checked_at
    _checked_at = float("-inf")


def reset_cache() -> None:
    """Drop the cached engine (tests)."""
    global _cached
    _cached = None
    invalidate_local()
