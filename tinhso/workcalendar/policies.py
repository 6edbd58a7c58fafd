"""The calendar's dated rules (tinhso/policies): the cut-off of same-day
services and the day-count convention, read at the moment a deadline is set."""

from __future__ import annotations

import datetime
import re

from tinhso.policies.registry import BadValue, Spec, one_of, register
from tinhso.policies.rules import value


def _clock(raw):
    text = str(raw or "").strip()
    if not re.fullmatch(r"([01]?\d|2[0-3]):[0-5]\d", text):
        raise BadValue("Nhập giờ dạng HH:MM, ví dụ 15:00.")
    hours, minutes = text.split(":")
    return f"{int(hours):02d}:{minutes}"


SAME_DAY_CUTOFF = register(Spec(
    "calendar.same_day_cutoff", "Giờ chốt của thủ tục trả trong ngày",
    "Hồ sơ của thủ tục “trong ngày” (chứng thực, nhiều việc hộ tịch) nhận trước giờ này thì trả trước khi hết giờ làm "
    "việc cùng ngày; nhận sau giờ này thì trả trong ngày làm việc tiếp theo.", "15:00", _clock))
DAY_COUNT = register(Spec(
    "calendar.day_count_convention", "Cách tính ngày hết hạn",
    "exact: hạn là đúng giờ đó của ngày cuối (cách tính hiện dùng); end_of_day: thời hạn tính theo ngày kết thúc "
    "vào cuối ngày cuối cùng (Bộ luật Dân sự) — ở đây là hết giờ làm việc của ngày đó. Áp dụng theo thời điểm tiếp "
    "nhận; hồ sơ đã tiếp nhận giữ hạn cũ.", "exact",
    one_of({"exact": "đúng giờ", "end_of_day": "cuối ngày cuối cùng"})))


def _rows(ref):
    return ref.policies() if ref is not None and hasattr(ref, "policies") else None


def same_day_cutoff(at=None, ref=None) -> datetime.time:
    hours, minutes = value(SAME_DAY_CUTOFF.key, at, _rows(ref)).split(":")
    return datetime.time(int(hours), int(minutes))


def due_for(calendar, start: datetime.datetime, amount, unit: str, *, ref=None) -> datetime.datetime:
    """A processing deadline from `start`, with the rules in force at `start`."""
    if unit == "same_day":
        return calendar.add(start, 0, unit, cutoff=same_day_cutoff(start, ref))
    due = calendar.add(start, amount, unit)
    if unit != "working_hours" and value(DAY_COUNT.key, start, _rows(ref)) == "end_of_day":
        due = calendar.end_of_day(due)
    return due
