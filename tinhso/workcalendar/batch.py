"""The batch path of the deadline engine: `WorkCalendar.add_many`, the
vectorised `add` for many (start, amount) pairs at once (numpy), used by the
province-year generator and benchmarked against numpy.busday_offset
(bench/bench_calendar.py). Kept apart from engine.py, which holds the
calendar itself; `WorkCalendar.add_many` delegates here."""

from __future__ import annotations

from tinhso.workcalendar import engine as E


def add_many(self, starts, amounts, unit: str = "working_days"):
    """Vectorised `add`: the due times for many (start, amount) pairs.

    `starts`: a numpy ``datetime64`` array (any precision), taken as
    Vietnam wall-clock time like a naive datetime, or any iterable of
    datetimes/dates (aware ones are converted to Vietnam time).
    `amounts`: an array or sequence of the same length, or one number for
    all starts. Returns a ``datetime64[us]`` array of Vietnam wall-clock
    due times (naive; UTC+7 without daylight saving), element for
    element the instant `add(start, amount, unit)` returns, with the same
    errors (ValueError, CalendarRangeError) if any pair is invalid.

    Requires numpy, imported here only: numpy is a test/benchmark
    dependency of the project, so a production code path that calls this
    method must have numpy installed. Each call is a fixed number of
    numpy passes over the input (`searchsorted` for working hours), about
    0.1 µs per pair; use it for bulk recomputation, `add` for one due
    date."""
    import numpy as np

    if unit not in E.UNITS:
        raise ValueError(f"unknown unit {unit!r}; use one of {', '.join(E.UNITS)}")
    if unit == E.SAME_DAY:  # a handful of cases: the scalar rule, one start at a time
        seq = starts.astype("datetime64[us]").astype(object) if isinstance(starts, np.ndarray) else list(starts)
        out = [self.add(t, 0, E.SAME_DAY).replace(tzinfo=None) for t in seq]
        return np.array(out, dtype="datetime64[us]")
    if isinstance(starts, np.ndarray) and starts.dtype.kind == "M":
        local = starts.astype("datetime64[us]")
    else:
        local = np.array([self.local(t).replace(tzinfo=None) for t in starts], dtype="datetime64[us]")
    local = local.reshape(-1)
    if np.isnat(local).any():
        raise ValueError("start must not be NaT")
    us = local.view(np.int64)
    day, tod = np.divmod(us, E.DAY_US)
    o = day + E._EPOCH_ORDINAL
    amounts = _batch_amounts(np, amounts, unit, len(o))
    if len(o) == 0:
        return np.empty(0, dtype="datetime64[us]")
    lo, hi = int(o.min()), int(o.max())
    if lo < E.MIN_ORDINAL or hi + 60 > E.MAX_ORDINAL:
        raise E.CalendarRangeError("date outside the supported range (years 1-9999)")
    span = self._cover(lo, hi + 60)
    while True:
        try:
            rd, rtod = _add_many_span(self, np, span, o, tod, amounts, unit)
            break
        except E._NeedMore:
            last = span.first + span.n - 1
            if last >= E.MAX_ORDINAL:
                raise E.CalendarRangeError("result outside the supported range (years 1-9999)") from None
            span = self._cover(span.first, min(last + max(span.n, 3660), E.MAX_ORDINAL))
    rd += span.first - E._EPOCH_ORDINAL
    rd *= E.DAY_US
    rd += rtod
    return rd.view("datetime64[us]")

def _batch_amounts(np, amounts, unit: str, n: int):
    """The amounts as int64: microseconds for working_hours, whole
    days/working days otherwise (same rounding and checks as `add`)."""
    a = np.asarray(amounts)
    if a.ndim == 0:
        a = np.full(n, a.item() if a.dtype.kind != "O" else a[()], dtype=a.dtype)
    a = a.reshape(-1)
    if len(a) != n:
        raise ValueError("starts and amounts must have the same length")
    if a.dtype.kind == "b":
        a = a.astype(np.int64)
    if a.dtype.kind in "iu":
        if (a < 0).any():
            raise ValueError("amount must not be negative")
        a = a.astype(np.int64)
        if unit == E.WORKING_HOURS:
            if n and int(a.max()) > (2**63 - 1) // E.HOUR_US:
                raise E.CalendarRangeError("result outside the supported range (years 1-9999)")
            return a * E.HOUR_US
        return a
    if a.dtype.kind == "f":
        if (a < 0).any():
            raise ValueError("amount must not be negative")
        if not np.isfinite(a).all():
            raise ValueError("amount must be finite")
        a = a.astype(np.float64)
        if unit == E.WORKING_HOURS:
            x = a * E.HOUR_US  # the same float product as `add`, rounded half to even like round()
            if n and x.max() >= 2.0**62:
                raise E.CalendarRangeError("result outside the supported range (years 1-9999)")
            return np.rint(x).astype(np.int64)
        if (np.floor(a) != a).any():
            raise ValueError(f"{unit} must be a whole number")
        if n and a.max() >= 2.0**62:
            raise E.CalendarRangeError("result outside the supported range (years 1-9999)")
        return a.astype(np.int64)
    # anything else (Decimal, Fraction, mixed objects): exact Python arithmetic per element
    out = []
    for x in a.tolist():
        if x < 0:
            raise ValueError("amount must not be negative")
        if unit == E.WORKING_HOURS:
            out.append(round(x * E.HOUR_US))
        else:
            k = int(x)
            if k != x:
                raise ValueError(f"{unit} must be a whole number")
            out.append(k)
    if out and max(out) > 2**62:
        raise E.CalendarRangeError("result outside the supported range (years 1-9999)")
    return np.asarray(out, dtype=np.int64).reshape(-1)

def _add_many_span(self, np, span, o, tod, amounts, unit: str):
    """Vectorised `_add` on one span: (day index, time of day) arrays;
    raises E._NeedMore like `_add` when the span is too short."""
    A = E._span_arrays(span, self.schedules)
    nwd = len(A.wd_day)
    i = o - span.first
    tod = tod.copy()

    def next_wd(idx):  # first working day at or after idx (idx <= span.n)
        k = A.rank[idx]
        if len(k) and int(k.max()) >= nwd:
            raise E._NeedMore
        return A.wd_day[k]

    # counting start (`_counting`): half-open intervals
    ms, me, as_, ae = A.ms[i], A.me[i], A.as_[i], A.ae[i]
    working = A.length[i] > 0
    inside = working & (((tod >= ms) & (tod < me)) | ((tod >= as_) & (tod < ae)))
    tod = np.where(working & (tod < ms), ms, tod)
    lunch = working & (tod >= me) & (tod < as_)
    tod = np.where(lunch, as_, tod)
    rolled = ~(inside | lunch | (working & (tod == ms)))
    if rolled.any():
        j = next_wd(i[rolled] + 1)
        i[rolled] = j
        tod[rolled] = A.ms[j]
    # now (i, tod) is a working moment of a working day, tod in [ms, me) or [as_, ae)

    if unit == E.WORKING_HOURS:
        ms, me, as_, ae = A.ms[i], A.me[i], A.as_[i], A.ae[i]
        p = A.cum[i] + (np.minimum(tod, me) - ms) + (np.maximum(tod, as_) - as_)
        p += amounts
        k = np.searchsorted(A.wd_cum_end, p, side="left")
        if len(k) and int(k.max()) >= nwd:
            raise E._NeedMore
        j = A.wd_day[k]
        r = p - A.cum[j]
        m = A.me[j] - A.ms[j]
        t2 = np.where(r <= m, A.ms[j] + r, A.as_[j] + (r - m))
        t2 = np.where(r <= 0, A.ms[j], t2)
        zero = amounts <= 0
        return np.where(zero, i, j), np.where(zero, tod, t2)

    if unit == E.WORKING_DAYS:
        ms, me, as_ = A.ms[i], A.me[i], A.as_[i]
        r = (np.minimum(tod, me) - ms) + (np.maximum(tod, as_) - as_)
        k = A.rank[i] + amounts
        at_open = r == 0
        kk = np.where(at_open, k - 1, k)
        if len(kk) and int(kk.max()) >= nwd:
            raise E._NeedMore
        zero = amounts == 0
        kk = np.where(zero, 0, kk)
        j = A.wd_day[kk]
        if not A.uniform:
            L, Lj = A.length[i], A.length[j]
            diff = np.nonzero((Lj != L) & ~at_open & ~zero)[0]
            if len(diff):  # r * Lj // L exactly (may exceed int64), only where the day lengths differ
                r = r.copy()
                for x, rr, l1, l2 in zip(diff.tolist(), r[diff].tolist(), L[diff].tolist(),
                                         Lj[diff].tolist()):
                    r[x] = rr * l2 // l1
        m = A.me[j] - A.ms[j]
        t2 = np.where(r <= m, A.ms[j] + r, A.as_[j] + (r - m))
        t2 = np.where(at_open, A.ae[j], t2)
        return np.where(zero, i, j), np.where(zero, tod, t2)

    # DAYS: calendar days, then the moment itself if working (closed intervals) else the next opening
    j = i + amounts
    if len(j) and int(j.max()) >= span.n:
        raise E._NeedMore
    ms, me, as_, ae = A.ms[j], A.me[j], A.as_[j], A.ae[j]
    working = A.length[j] > 0
    t2 = np.where(tod < ms, ms, tod)
    t2 = np.where((tod > me) & (tod < as_), as_, t2)
    ok = working & (tod <= ae)
    bad = ~ok
    if bad.any():
        jj = next_wd(j[bad] + 1)
        j[bad] = jj
        t2[bad] = A.ms[jj]
    return j, t2
