"""Weeks as ISO weeks ("2026-W49"), Monday to Sunday in local time."""

from __future__ import annotations

import datetime
import re

from django.utils import timezone

from tinhso.core.errors import InvalidInput

WEEK_RE = re.compile(r"^(\d{4})-W(\d{1,2})$")


def monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def label(week_start: datetime.date) -> str:
    year, week, _ = week_start.isocalendar()
    return f"{year}-W{week:02d}"


def parse(value, today: datetime.date | None = None) -> datetime.date:
    """The Monday of `value` ("2026-W49", a date "2026-12-03", or empty for
    this week); a bad value is a Vietnamese InvalidInput, never a 500."""
    value = str(value or "").strip()
    if not value:
        return monday(today or timezone.localdate())
    match = WEEK_RE.match(value)
    try:
        if match:
            return datetime.date.fromisocalendar(int(match[1]), int(match[2]), 1)
        return monday(datetime.date.fromisoformat(value))
    except ValueError:
        pass
    message = "Tuần không hợp lệ: dùng dạng 2026-W49 hoặc một ngày YYYY-MM-DD."
    raise InvalidInput(message, code="invalid_week", errors=[{"field": "week", "message": message}])


def bounds(week_start: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(week_start, datetime.time.min, tzinfo=tz)
    return start, start + datetime.timedelta(days=7)
