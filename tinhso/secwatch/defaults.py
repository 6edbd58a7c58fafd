"""The alert rules a new installation starts with (rows the administrator
then edits at /an-ninh/quy-tac/; added by the data migration and the demo)."""

DEFAULT_RULES = [
    # name, kind, threshold, window minutes, group by, severity
    ("Dò mật khẩu một tài khoản: 20 lần sai trong 10 phút", "signin_failed", 20, 10, "username", "high"),
    ("Dò mật khẩu từ một địa chỉ: 50 lần sai trong 10 phút", "signin_failed", 50, 10, "address", "high"),
    ("Sai mã xác thực hai bước: 5 lần trong 15 phút", "otp_failed", 5, 15, "username", "high"),
    ("Truy cập bị từ chối lặp lại: 30 lần trong 10 phút", "permission_denied", 30, 10, "username", "warning"),
    ("Hệ thống kết nối vượt giới hạn: 100 lần trong 10 phút", "api_limited", 100, 10, "address", "warning"),
    ("Thông tin xác thực API bị từ chối: 20 lần trong 10 phút", "api_refused", 20, 10, "address", "high"),
    ("Nhật ký hệ thống mất toàn vẹn", "audit_integrity", 1, 1440, "", "critical"),
]
