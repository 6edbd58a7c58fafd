"""Digital-team rules that are dated data (tinhso/policies)."""

from __future__ import annotations

from tinhso.policies.registry import Spec, integer, register
from tinhso.policies.rules import value

BACKDATE = register(Spec(
    "digitalteams.backdate_days", "Số ngày được ghi lùi hoạt động tổ công nghệ số",
    "Hoạt động hỗ trợ của tổ công nghệ số cộng đồng được ghi nhận cho ngày trong chừng ấy ngày gần nhất "
    "(để số liệu tháng đã báo cáo không bị thay đổi về sau).", 60, integer(1, 366)))


def backdate_days(at=None) -> int:
    return value(BACKDATE.key, at)
