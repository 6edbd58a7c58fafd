"""Errors of the citizen sign-in. Each carries a Vietnamese message for the
error page; none of them ever leaves a signed-in session behind."""

from __future__ import annotations

from tinhso.core.errors import DomainError


class IdentityError(DomainError):
    """Đăng nhập định danh điện tử không thành công."""

    status = 400
    code = "identity_error"
    default_message = "Đăng nhập bằng định danh điện tử không thành công. Vui lòng thử lại."

    def __init__(self, message: str | None = None, *, code: str | None = None, status: int | None = None):
        super().__init__(message, code=code)
        if status:
            self.status = status


class InvalidIdToken(IdentityError):
    code = "invalid_token"
    default_message = "Thông tin đăng nhập do cổng định danh trả về không hợp lệ. Vui lòng thử lại."


class StaffAccountRefused(IdentityError):
    status = 403
    code = "staff_account"
    default_message = ("Số định danh này đang gắn với một tài khoản cán bộ, không thể dùng để đăng nhập "
                       "công dân. Vui lòng liên hệ quản trị hệ thống.")

    def __init__(self, user=None):
        super().__init__()
        self.user = user
