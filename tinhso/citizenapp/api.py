"""The citizen app's own endpoints under /api/v1/app/ (the app also reads
/api/v1/me/dossiers, /api/v1/field-reports/mine and the content apps' APIs)."""

from __future__ import annotations

import datetime

from django.conf import settings
from ninja import Field as F
from ninja import Router, Schema
from ninja.security import django_auth

from tinhso.citizenapp import actions
from tinhso.citizenapp.push import vapid_keys
from tinhso.citizenapp.weather import WeatherUnavailable, forecast, place_for
from tinhso.core.api import ErrorOut
from tinhso.core.errors import NotFound
from tinhso.units.models import AdministrativeUnit

router = Router(tags=["Ứng dụng công dân"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class MeOut(Schema):
    signed_in: bool
    full_name: str = ""
    is_citizen: bool = False
    session_days: int


class PushKeyOut(Schema):
    public_key: str | None = None


class SubscriptionIn(Schema):
    endpoint: str = F(..., max_length=1000)
    p256dh: str = F(..., max_length=200)
    auth: str = F(..., max_length=100)
    topics: list[str] = []
    commune_id: int | None = None


class SubscriptionOut(Schema):
    endpoint: str
    topics: list[str]
    commune_id: int | None


class EndpointIn(Schema):
    endpoint: str = F(..., max_length=1000)


class WarningOut(Schema):
    id: int
    title: str
    text: str
    severity: str
    severity_label: str
    valid_until: datetime.datetime
    communes: list[str]


class WeatherOut(Schema):
    commune: str
    latitude: float
    longitude: float
    available: bool
    message: str = ""
    current: dict | None = None
    daily: list[dict] = []
    warnings: list[WarningOut] = []


def _commune(commune_id):
    if commune_id is None:
        return None
    if not 0 < commune_id < 2**63:
        raise NotFound("Không tìm thấy xã, phường này.")
    unit = AdministrativeUnit.objects.filter(pk=commune_id, level="commune", valid_to__isnull=True).first()
    if unit is None:
        raise NotFound("Không tìm thấy xã, phường này.")
    return unit


def _warning_out(w) -> dict:
    return {"id": w.pk, "title": w.title, "text": w.text, "severity": w.severity,
            "severity_label": str(w.get_severity_display()), "valid_until": w.valid_until,
            "communes": [c.name for c in w.communes.all()]}


@router.get("/me", response=MeOut, summary="Người đang dùng ứng dụng")
def me(request):
    user = request.user
    return {"signed_in": user.is_authenticated, "full_name": getattr(user, "full_name", "") if user.is_authenticated
            else "", "is_citizen": bool(getattr(user, "is_citizen", False)),
            "session_days": settings.TINHSO_CITIZEN_SESSION_DAYS}


@router.get("/weather", response={200: WeatherOut, **ERRORS}, summary="Thời tiết và cảnh báo của một xã, phường",
            description="`commune_id`: id của xã, phường (xem /api/v1/field-reports/communes); không có thì lấy "
                        "trung tâm tỉnh. Dữ liệu lưu đệm (TINHSO_WEATHER_CACHE_SECONDS).")
def weather(request, commune_id: int | None = None):
    commune = _commune(commune_id)
    lat, lng = place_for(commune)
    out = {"commune": commune.name if commune else "Trung tâm tỉnh", "latitude": lat, "longitude": lng,
           "available": True,
           "warnings": [_warning_out(w) for w in actions.active_warnings(commune)] if commune else
           [_warning_out(w) for w in actions.active_warnings()]}
    try:
        out.update(forecast(lat, lng))
    except WeatherUnavailable as exc:
        out.update(available=False, message=exc.message)
    return 200, out


@router.get("/push/key", response=PushKeyOut, summary="Khóa công khai VAPID cho trình duyệt")
def push_key(request):
    keys = vapid_keys()
    return {"public_key": keys["public_key"] if keys else None}


@router.post("/push/subscriptions", auth=django_auth, response={200: SubscriptionOut, **ERRORS},
             summary="Đăng ký hoặc cập nhật nhận thông báo đẩy trên thiết bị này")
def subscribe(request, payload: SubscriptionIn):
    sub = actions.subscribe(acting_user=request.user, endpoint=payload.endpoint, p256dh=payload.p256dh,
                            auth=payload.auth, topics=payload.topics, commune_id=payload.commune_id)
    return 200, {"endpoint": sub.endpoint, "topics": sub.topics, "commune_id": sub.commune_id}


@router.post("/push/unsubscribe", auth=django_auth, response={204: None, **ERRORS},
             summary="Thôi nhận thông báo đẩy trên thiết bị này")
def unsubscribe(request, payload: EndpointIn):
    actions.unsubscribe(acting_user=request.user, endpoint=payload.endpoint)
    return 204, None


@router.post("/sign-out-everywhere", auth=django_auth, response={204: None, **ERRORS},
             summary="Đăng xuất trên mọi thiết bị")
def sign_out_everywhere(request):
    actions.sign_out_everywhere(acting_user=request.user)
    return 204, None


