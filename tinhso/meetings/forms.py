"""Reading the meeting forms' raw values (the actions validate them)."""

from __future__ import annotations

import datetime

from django.utils import timezone


def local_datetime(raw) -> datetime.datetime | None:
    """A `datetime-local` field (`2026-12-10T08:00`) in the province's time, or None."""
    raw = (raw or "").strip() if isinstance(raw, str) else ""
    if not raw or len(raw) > 32:
        return None
    try:
        value = datetime.datetime.fromisoformat(raw)
    except ValueError:
        return None
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def month(raw) -> datetime.date:
    """`2026-11` → 1 Nov 2026; anything else → this month."""
    try:
        year, mon = (int(x) for x in str(raw or "").split("-"))
        return datetime.date(year, mon, 1)
    except (TypeError, ValueError):
        return timezone.localdate().replace(day=1)
