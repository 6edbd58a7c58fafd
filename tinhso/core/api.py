"""Shared API pieces: the error schema, and turning errors into JSON with a
stable code and a Vietnamese message."""

from __future__ import annotations

import io
import logging

from django.http import Http404, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParser, MultiPartParserError
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from tinhso.core.errors import DomainError

log = logging.getLogger(__name__)


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    code: str
    message: str
    errors: list[FieldError] = []


PYDANTIC_MESSAGES = {
    "missing": "Trường này là bắt buộc.",
    "int_parsing": "Phải là một số nguyên.",
    "int_type": "Phải là một số nguyên.",
    "float_parsing": "Phải là một số.",
    "bool_parsing": "Phải là đúng hoặc sai (true/false).",
    "datetime_parsing": "Phải là thời điểm theo ISO 8601, ví dụ 2026-01-05T08:00:00+07:00.",
    "datetime_from_date_parsing": "Phải là thời điểm theo ISO 8601, ví dụ 2026-01-05T08:00:00+07:00.",
    "date_parsing": "Phải là ngày theo dạng YYYY-MM-DD.",
    "date_from_datetime_parsing": "Phải là ngày theo dạng YYYY-MM-DD.",
    "enum": "Giá trị không nằm trong danh sách cho phép.",
    "literal_error": "Giá trị không nằm trong danh sách cho phép.",
    "string_too_long": "Chuỗi quá dài.",
    "string_too_short": "Chuỗi quá ngắn.",
    "greater_than_equal": "Giá trị quá nhỏ.",
    "less_than_equal": "Giá trị quá lớn.",
    "greater_than": "Giá trị quá nhỏ.",
    "less_than": "Giá trị quá lớn.",
    "json_invalid": "Nội dung JSON không hợp lệ.",
    "model_attributes_type": "Nội dung không đúng định dạng.",
    "dict_type": "Nội dung không đúng định dạng.",
    "list_type": "Phải là một danh sách.",
    "string_type": "Phải là chuỗi ký tự.",
}


BAD_BODY_CODE = "invalid_body"
BAD_BODY_MESSAGE = ("Nội dung gửi lên không đọc được: dữ liệu multipart/form-data thiếu hoặc sai ranh giới (boundary). "
                    "Hãy gửi lại tệp bằng biểu mẫu hoặc một thư viện HTTP tạo đúng multipart.")


class BadRequestBodyMiddleware:
    """A request body Django cannot parse (multipart/form-data without a
    boundary, a truncated multipart body) answers 400 with a clear message on
    every page; the API's own handler (below) does the same in its JSON error
    format. Without this Django lets MultiPartParserError through as a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Checked before the CSRF middleware reads the form: Django's multipart parser validates the
        # content type, boundary and length in its constructor, before reading anything.
        if request.method in ("POST", "PUT", "PATCH") and \
                request.META.get("CONTENT_TYPE", "").lower().startswith("multipart/"):
            try:
                MultiPartParser(request.META, io.BytesIO(), [], request.encoding)
            except MultiPartParserError as exc:
                return self.process_exception(request, exc)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, MultiPartParserError):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"code": BAD_BODY_CODE, "message": BAD_BODY_MESSAGE, "errors": []}, status=400)
        return HttpResponse(BAD_BODY_MESSAGE, status=400, content_type="text/plain; charset=utf-8")


def _field_name(loc) -> str:
    parts = [str(p) for p in loc if p not in ("query", "body", "path", "form", "payload")]
    return ".".join(parts) or "body"


def install_error_handlers(api) -> None:
    def error(request, status: int, code: str, message: str, errors=None):
        return api.create_response(request, {"code": code, "message": message, "errors": errors or []},
                                   status=status)

    @api.exception_handler(ValidationError)
    def on_validation(request, exc: ValidationError):
        errors = [{"field": _field_name(e.get("loc", ())),
                   "message": PYDANTIC_MESSAGES.get(e.get("type", ""), e.get("msg", "Giá trị không hợp lệ."))}
                  for e in exc.errors]
        return error(request, 422, "invalid_input", "Dữ liệu gửi lên không hợp lệ.", errors)

    @api.exception_handler(DomainError)
    def on_domain(request, exc: DomainError):
        return error(request, exc.status, exc.code, exc.message, exc.errors)

    @api.exception_handler(AuthenticationError)
    def on_auth(request, exc):
        return error(request, 401, "not_authenticated", "Bạn cần đăng nhập để dùng chức năng này.")

    @api.exception_handler(Http404)
    def on_404(request, exc):
        return error(request, 404, "not_found", "Không tìm thấy đối tượng yêu cầu.")

    @api.exception_handler(HttpError)
    def on_http(request, exc: HttpError):
        return error(request, exc.status_code, "http_error", str(exc))

    @api.exception_handler(MultiPartParserError)
    def on_bad_body(request, exc):
        return error(request, 400, BAD_BODY_CODE, BAD_BODY_MESSAGE)

    @api.exception_handler(Exception)
    def on_unexpected(request, exc):
        log.exception("unexpected API error")
        return error(request, 500, "server_error", "Lỗi hệ thống. Sự cố đã được ghi lại; vui lòng thử lại sau.")
