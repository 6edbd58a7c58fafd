"""The directory's dated rules (tinhso/policies)."""

from __future__ import annotations

from tinhso.policies.registry import BadValue, Spec, register
from tinhso.policies.rules import value


def _codes(raw):
    items = [v.strip() for v in raw.split(",")] if isinstance(raw, str) else raw
    if not isinstance(items, (list, tuple)) or not all(isinstance(v, str) for v in items):
        raise BadValue("Phải là danh sách mã cơ quan cách nhau bởi dấu phẩy, hoặc * cho toàn tỉnh.")
    return sorted({v.strip() for v in items if v.strip()})


def _days(raw):
    items = [v.strip() for v in raw.split(",")] if isinstance(raw, str) else raw
    if not isinstance(items, (list, tuple)):
        raise BadValue("Phải là danh sách số ngày cách nhau bởi dấu phẩy, ví dụ 30, 7, 1.")
    out = set()
    for v in items:
        text = str(v).strip()
        if isinstance(v, bool) or not text.isdigit() or not 1 <= int(text) <= 365:
            raise BadValue("Mỗi số ngày phải là số nguyên từ 1 đến 365.")
        out.add(int(text))
    if not out:
        raise BadValue("Cần ít nhất một số ngày.")
    return sorted(out, reverse=True)


PUBLIC_AGENCIES = register(Spec(
    "directory.public", "Danh bạ công khai",
    "Mã các cơ quan có danh bạ cán bộ được tra cứu công khai (họ tên, chức vụ, cơ quan, thư công vụ, điện thoại "
    "cơ quan; gồm cả các đơn vị trực thuộc); * là toàn tỉnh; để trống là không công khai.",
    [], _codes))

REMINDER_DAYS = register(Spec(
    "directory.certificate_reminder_days", "Nhắc chứng thư số sắp hết hạn",
    "Số ngày trước khi chứng thư số hết hạn thì nhắc người được cấp và quản trị hệ thống (mỗi mốc nhắc một lần).",
    [30, 7, 1], _days))


def public_codes(at=None) -> list[str]:
    return value(PUBLIC_AGENCIES.key, at)


def reminder_days(at=None) -> list[int]:
    return value(REMINDER_DAYS.key, at)
