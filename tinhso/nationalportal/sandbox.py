"""The sandbox national portal at /sandbox/dvcqg/ (only with
TINHSO_NATIONAL_PORTAL_SANDBOX): the protocol of protocol.py, what it
receives kept in SandboxRecord, one row per MaGiaoDich. For the demo and the
tests; production never uses it."""

from __future__ import annotations

import json

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.http import Http404, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from tinhso.nationalportal import protocol
from tinhso.nationalportal.models import SandboxRecord

SALT = "tinhso.nationalportal.sandbox"
SESSION_SECONDS = 3600


def _answer(code: str, message: str = "", status: int = 200, **extra):
    return JsonResponse({"error_code": code, "message": message, **extra}, status=status,
                        json_dumps_params={"ensure_ascii": False})


def _body(request):
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _sandbox(view):
    def wrapped(request, *args, **kwargs):
        if not getattr(settings, "TINHSO_NATIONAL_PORTAL_SANDBOX", False):
            raise Http404()
        body = _body(request)
        if body is None:
            return _answer("400", "JSON không hợp lệ", status=400)
        return view(request, body, *args, **kwargs)
    wrapped.__name__ = view.__name__
    return csrf_exempt(require_POST(wrapped))


def _unit(request) -> str | None:
    try:
        return signing.loads(request.headers.get(protocol.SESSION_HEADER, ""), salt=SALT, max_age=SESSION_SECONDS)
    except signing.BadSignature:
        return None


@_sandbox
def token(request, body):
    if (body.get("TaiKhoan") != settings.TINHSO_NATIONAL_PORTAL_USERNAME
            or body.get("MatKhau") != settings.TINHSO_NATIONAL_PORTAL_SANDBOX_PASSWORD or not body.get("MaDonVi")):
        return _answer("403", "Sai tài khoản kết nối", status=403)
    return _answer(protocol.OK, session=signing.dumps(str(body["MaDonVi"]), salt=SALT), expires_in=SESSION_SECONDS)


@_sandbox
def sync(request, body):
    unit = _unit(request)
    if unit is None:
        return _answer(protocol.SESSION_EXPIRED, "Phiên làm việc không hợp lệ hoặc đã hết hạn")
    key = str(body.get("MaGiaoDich") or "")[:64]
    data = body.get("data")
    if not key or not isinstance(data, list) or len(data) != 1 or not isinstance(data[0], dict):
        return _answer("1", "Thiếu MaGiaoDich hoặc data")
    record = data[0]
    try:
        status_code = int(record.get("TrangThaiHoSo"))
    except (TypeError, ValueError):
        status_code = 0
    if not record.get("MaHoSo") or not 1 <= status_code <= 10:
        return _answer("2", "Thiếu mã hồ sơ hoặc trạng thái không thuộc danh mục")
    if SandboxRecord.objects.filter(key=key).exists():
        return _answer(protocol.OK, "Đã nhận trước đó", MaGiaoDich=key, TrungLap=True)
    try:
        with transaction.atomic():
            SandboxRecord.objects.create(key=key, unit_code=unit, dossier_code=str(record["MaHoSo"])[:60],
                                         status_code=status_code, body=record)
    except IntegrityError:  # the same key at the same moment from another worker
        return _answer(protocol.OK, "Đã nhận trước đó", MaGiaoDich=key, TrungLap=True)
    return _answer(protocol.OK, "Thành công", MaGiaoDich=key, TrungLap=False)


@_sandbox
def lookup(request, body):
    unit = _unit(request)
    if unit is None:
        return _answer(protocol.SESSION_EXPIRED, "Phiên làm việc không hợp lệ hoặc đã hết hạn")
    codes = [str(c) for c in (body.get("DanhSachMaHoSo") or [])][:500]
    rows = SandboxRecord.objects.filter(unit_code=unit, dossier_code__in=codes).order_by("id")
    return _answer(protocol.OK, data=[{"MaHoSo": r.dossier_code, "MaGiaoDich": r.key, "TrangThaiHoSo": str(r.status_code),
                                       "ThoiGianCapNhat": r.received_at.isoformat()} for r in rows])


app_name = "sandbox_dvcqg"
urlpatterns = [
    path(protocol.TOKEN_PATH, token, name="token"),
    path(protocol.SYNC_PATH, sync, name="sync"),
    path(protocol.LOOKUP_PATH, lookup, name="lookup"),
]
