"""The security watch's rules that are dated data (tinhso/policies)."""

from __future__ import annotations

from tinhso.policies.registry import BadValue, Spec, integer, register

_DAYS = integer(365, 3650)


def _retention(value) -> int:
    if str(value).strip() == "0":
        return 0
    try:
        return _DAYS(value)
    except BadValue:
        raise BadValue("Nhập 0 (lưu mãi) hoặc số ngày từ 365 đến 3650.") from None


RETENTION_DAYS = register(Spec(
    "secwatch.retention_days", "Thời gian lưu sự kiện an toàn thông tin (ngày)",
    "Sự kiện cũ hơn số ngày này bị xóa bởi tác vụ hằng đêm secwatch.prune (mỗi lần xóa được ghi nhật ký hệ thống). "
    "Mặc định 730 ngày (2 năm): hơn mức tối thiểu 12 tháng lưu nhật ký hệ thống của Nghị định 53/2022/NĐ-CP "
    "(chưa đối chiếu cho hệ thống của cơ quan nhà nước), đủ cho một kỳ thanh tra, kiểm tra và điều tra sự cố về "
    "trước. 0: không xóa. Khi gửi sự kiện sang SIEM (syslog), sự kiện chưa gửi không bị xóa.",
    730, _retention))
