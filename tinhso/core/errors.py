"""Domain errors. Actions raise these; the API turns them into JSON with a
stable `code` and a Vietnamese `message`, the views into form errors or
messages. Never raise a bare Exception for something a user can cause."""

from __future__ import annotations


class DomainError(Exception):
    status = 400
    code = "invalid_request"
    default_message = "Yêu cầu không hợp lệ."

    def __init__(self, message: str | None = None, *, code: str | None = None, errors: list | None = None):
        self.message = message or self.default_message
        if code:
            self.code = code
        self.errors = errors or []
        super().__init__(self.message)


class InvalidInput(DomainError):
    status = 422
    code = "invalid_input"
    default_message = "Dữ liệu gửi lên không hợp lệ."


class PermissionDenied(DomainError):
    status = 403
    code = "permission_denied"
    default_message = "Bạn không có quyền thực hiện thao tác này."


class NotFound(DomainError):
    status = 404
    code = "not_found"
    default_message = "Không tìm thấy đối tượng yêu cầu."


class Conflict(DomainError):
    status = 409
    code = "conflict"
    default_message = "Dữ liệu đã bị thay đổi bởi người khác. Vui lòng tải lại và thử lại."


class TooManyAttempts(DomainError):
    status = 429
    code = "too_many_attempts"
    default_message = "Bạn đã thử quá nhiều lần. Vui lòng thử lại sau."


def field_error(field: str, message: str, code: str = "invalid_input") -> InvalidInput:
    """Bad input in one field: the message, and the field it belongs to (the
    API's `errors` list; a form puts it beside that field)."""
    return InvalidInput(message, code=code, errors=[{"field": field, "message": message}])


def is_pk(value) -> bool:
    """A database id: ASCII digits that fit a 64-bit integer (anything else
    would be a 500 in the database driver, not a clear message)."""
    text = str(value if value is not None else "")
    return text.isascii() and text.isdecimal() and 0 < len(text) < 19
