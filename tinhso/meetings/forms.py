"""Reading the meeting forms' raw values (the actions validate them)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.core.errors import field_error

# Years a meeting date or a report month may name: far enough either way for
# any real meeting, and far from the calendar's ends (year 1, year 9999),
# where moving a time by a zone offset or a month overflows.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def local_datetime(raw) -> datetime.datetime | None:
    """A `datetime-local` field (`2026-12-10T08:00`) in the province's time, or
    None for anything else (also a year outside FIRST_YEAR..LAST_YEAR)."""
    raw = (raw or "").strip() if isinstance(raw, str) else ""
    if not raw or len(raw) > 32:
        return None
    try:
        value = datetime.datetime.fromisoformat(raw)
    except ValueError:
        return None
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        return None
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def month(raw) -> datetime.date:
    """`2026-11` → 1 Nov 2026; nothing → this month; anything else (not
    YYYY-MM, or a year outside FIRST_YEAR..LAST_YEAR) → InvalidInput on the
    field `month`."""
    text = raw.strip() if isinstance(raw, str) else ""
    if not text:
        return timezone.localdate().replace(day=1)
    parts = text.split("-")
    try:
        if len(parts) != 2 or not all(p.isascii() and p.isdigit() for p in parts) or len(parts[0]) != 4:
            raise ValueError(text)
        value = datetime.date(int(parts[0]), int(parts[1]), 1)
    except ValueError:
        raise field_error("month", _("Tháng không hợp lệ, nhập theo dạng năm-tháng, ví dụ 2026-11."),
                          "invalid_month") from None
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise field_error("month", _("Chỉ xem báo cáo các tháng từ năm %(first)s đến năm %(last)s.")
                          % {"first": FIRST_YEAR, "last": LAST_YEAR}, "month_out_of_range")
    return value
