"""Online-meeting rules that are dated data (tinhso/policies)."""

from __future__ import annotations

from tinhso.policies.registry import Spec, integer, register
from tinhso.policies.rules import value

CONNECTED_WINDOW = register(Spec(
    "meetings.connected_window_days", "Số ngày tính xã đã kết nối họp trực tuyến",
    "Chỉ tiêu “tỷ lệ xã kết nối họp trực tuyến” trên bảng điều hành tính các xã đã kết nối ít nhất một cuộc họp "
    "trong ngần ấy ngày gần nhất.", 90, integer(7, 730)))
TOKEN_GRACE = register(Spec(
    "meetings.token_grace_minutes", "Thời hạn thêm của vé vào phòng họp (phút)",
    "Vé vào phòng họp (JWT của Jitsi) hết hạn sau giờ kết thúc cuộc họp chừng ấy phút.", 120, integer(0, 1440)))


def connected_window_days(at=None) -> int:
    return value(CONNECTED_WINDOW.key, at)


def token_grace_minutes(at=None) -> int:
    return value(TOKEN_GRACE.key, at)

CHECKIN_OPENS = register(Spec(
    "meetings.checkin_opens_minutes", "Mở điểm danh trước giờ họp (phút)",
    "Đơn vị tham dự điểm danh “đã kết nối” từ chừng ấy phút trước giờ bắt đầu cuộc họp.", 30, integer(0, 1440)))


def checkin_opens_minutes(at=None) -> int:
    return value(CHECKIN_OPENS.key, at)
