"""Codes, time helpers and units shared by the generator's modules (int64 microseconds of Vietnam
wall-clock time; -1 and NAT for NULL)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tinhso.accounts.models import Role
from tinhso.dossiers.models.choices import Channel, OPEN_STATUSES, Status


GENERATOR_VERSION = 3  # 2: apologies, refusals on the merits, judged closures, handled_at (issue 17);
# 3: papers with their digitisation, result forms, the index flags (issue 14)


STAFF_PREFIX = "gen."


CHUNK = 50_000


US = 1_000_000


HOUR = 3600 * US


VN_OFFSET = 7 * HOUR  # Vietnam time is UTC+7 all year


NULL = -1  # NULL in integer columns


NAT = -(2**63)  # NULL in time columns (int64 microseconds of Vietnam wall-clock time)


NEVER = 2**62


KEEP = object()  # Group.emit: leave this part of the state as it is


# Status, channel and role codes as integers for the numpy columns, from their definitions (never re-declared).
SUBMITTED, RECEIVED, REFUSED, PROCESSING, SUPPLEMENT, PAYMENT, WITHDRAWN, STOPPED, FINISHED, RETURNED = (
    int(s) for s in Status)


OPEN = {int(s) for s in OPEN_STATUSES}


COUNTER, ONLINE, POST = int(Channel.COUNTER), int(Channel.ONLINE), int(Channel.POST)


ROLES = [""] + list(Role.values)  # index 0: no role


def _np():
    try:
        import numpy
    except ImportError:  # pragma: no cover - numpy is in requirements/test.txt
        from tinhso.core.errors import InvalidInput

        raise InvalidInput("Bộ sinh dữ liệu cần thư viện numpy (pip install -r requirements/test.txt).",
                           code="numpy_missing") from None
    return numpy


def _clean(text) -> str:
    """Text safe for COPY's text format (no tab, newline or backslash)."""
    return " ".join(str(text or "").replace("\\", "/").split())


def _us(t: datetime.datetime) -> int:
    return int((t - datetime.datetime(1970, 1, 1)) / datetime.timedelta(microseconds=1))


def _aware(us: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(1970, 1, 1) + datetime.timedelta(microseconds=int(us)))


def _iso(us: int) -> str:
    """An ISO time of an int64 of Vietnam wall-clock microseconds, with its offset (as form 04 reads it)."""
    import datetime as _dt

    return (_dt.datetime(1970, 1, 1) + _dt.timedelta(microseconds=int(us))).replace(
        tzinfo=_dt.timezone(_dt.timedelta(hours=7))).isoformat()


def _addh(world, t, hours):
    """Working hours after t (int64 local µs arrays), floored to the second."""
    np = world.np
    hours = _sec(np, hours)
    out = world.cal.add_many(np.asarray(t, dtype=np.int64).view("datetime64[us]"), hours, "working_hours")
    out = out.view(np.int64)
    return out - out % US


def _sec(np, hours):
    """Hours rounded to whole seconds: every generated moment is a whole
    second, so working time between two of them is exactly what was drawn."""
    return np.round(np.asarray(hours, dtype=float) * 3600.0) / 3600.0


def _add_unit(world, t, amounts, unit):
    np = world.np
    amounts = np.asarray(amounts, dtype=float)
    if unit != "working_hours" and (np.floor(amounts) != amounts).any():
        amounts, unit = amounts * 8.0, "working_hours"  # fractional days: as working hours
    out = world.cal.add_many(np.asarray(t, dtype=np.int64).view("datetime64[us]"), amounts, unit).view(np.int64)
    return out - out % US
