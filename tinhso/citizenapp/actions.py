"""Every state change of the citizen app: push subscriptions, sign-out
everywhere, weather warnings. Atomic, permission-checked, audited."""

from __future__ import annotations

import base64
import binascii
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tinhso.accounts.permissions import require_role
from tinhso.audit.actions import record
from tinhso.citizenapp.models import ALL_TOPICS, PushSubscription, Severity, Topic, WeatherWarning
from tinhso.core.errors import InvalidInput, NotFound, PermissionDenied
from tinhso.units.models import AdministrativeUnit

WARNING_ROLES = ["operations_centre", "system_admin"]


def _citizen(user):
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_citizen", False):
        raise PermissionDenied("Chỉ tài khoản công dân (đăng nhập bằng định danh điện tử).")
    return user


def _key(value: str, size: int, field: str) -> str:
    text = (value or "").strip()
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != size:
        raise InvalidInput("Khóa của trình duyệt không hợp lệ.", code="invalid_push_key",
                           errors=[{"field": field, "message": "Khóa không đúng định dạng."}])
    return text


def _commune(commune_id):
    if commune_id in (None, ""):
        return None
    if not isinstance(commune_id, int) or not 0 < commune_id < 2**63:
        commune = None
    else:
        commune = AdministrativeUnit.objects.filter(pk=commune_id, level="commune", valid_to__isnull=True).first()
    if commune is None:
        raise InvalidInput("Xã, phường không hợp lệ.", code="invalid_commune",
                           errors=[{"field": "commune_id", "message": "Chọn một xã, phường hiện hành."}])
    return commune


def _endpoint(value: str) -> str:
    endpoint = (value or "").strip()
    try:
        parts = urlsplit(endpoint) if endpoint.isprintable() else None
    except ValueError:  # e.g. a broken IPv6 host
        parts = None
    allowed = ("https",) if settings.PRODUCTION else ("https", "http")
    if parts is None or parts.scheme not in allowed or not parts.netloc or len(endpoint) > 1000:
        raise InvalidInput("Địa chỉ dịch vụ đẩy không hợp lệ.", code="invalid_push_endpoint",
                           errors=[{"field": "endpoint", "message": "Cần một địa chỉ https."}])
    return endpoint


@transaction.atomic
def subscribe(*, acting_user, endpoint: str, p256dh: str, auth: str, topics: list[str],
              commune_id: int | None = None) -> PushSubscription:
    """Save (or update) this browser's push subscription with the chosen topics."""
    user = _citizen(acting_user)
    endpoint = _endpoint(endpoint)
    bad = [t for t in topics if t not in ALL_TOPICS]
    if bad:
        raise InvalidInput("Chủ đề không hợp lệ: %s." % ", ".join(bad), code="invalid_topic",
                           errors=[{"field": "topics", "message": "Chọn trong các chủ đề có sẵn."}])
    values = {"user": user, "p256dh": _key(p256dh, 65, "p256dh"), "auth": _key(auth, 16, "auth"),
              "topics": sorted(set(topics)), "commune": _commune(commune_id), "failures": 0}
    existing = PushSubscription.objects.select_for_update().filter(endpoint=endpoint).first()
    if existing is not None and existing.user_id != user.pk:
        existing.delete()  # the phone changed hands: the new citizen takes the endpoint over
        existing = None
    if existing is None:
        sub = PushSubscription.objects.create(endpoint=endpoint, **values)
    else:
        for name, value in values.items():
            setattr(existing, name, value)
        existing.save()
        sub = existing
    record(actor=user, action="citizenapp.push_subscribed", obj=sub,
           changes={"topics": sub.topics, "commune": sub.commune_id})
    return sub


@transaction.atomic
def unsubscribe(*, acting_user, endpoint: str) -> None:
    user = _citizen(acting_user)
    sub = PushSubscription.objects.filter(user=user, endpoint=_endpoint(endpoint)).first()
    if sub is None:
        raise NotFound("Thiết bị này chưa đăng ký nhận thông báo.")
    record(actor=user, action="citizenapp.push_unsubscribed", obj=sub)
    sub.delete()


@transaction.atomic
def sign_out_everywhere(*, acting_user) -> None:
    """End every session of the citizen on every device: a fresh unusable
    password changes the session hash Django's authentication middleware
    checks on each request, so all existing sessions are signed out (e-ID
    accounts never have a usable password). Push subscriptions go too."""
    user = _citizen(acting_user)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    devices = PushSubscription.objects.filter(user=user).delete()[0]
    record(actor=user, action="citizenapp.signed_out_everywhere", obj=user, changes={"push_devices": devices})


@transaction.atomic
def publish_warning(*, acting_user, title: str, text: str, severity: str, commune_ids: list[int],
                    valid_until) -> WeatherWarning:
    """Publish a weather warning for some communes; their subscribers get a
    push after commit."""
    require_role(acting_user, WARNING_ROLES)
    errors = []
    title, text = (title or "").strip(), (text or "").strip()
    if not title:
        errors.append({"field": "title", "message": "Nhập tiêu đề cảnh báo."})
    if not text:
        errors.append({"field": "text", "message": "Nhập nội dung cảnh báo."})
    if severity not in Severity.values:
        errors.append({"field": "severity", "message": "Chọn mức độ."})
    commune_ids = [i for i in commune_ids or [] if isinstance(i, int) and 0 < i < 2**63]
    communes = list(AdministrativeUnit.objects.filter(pk__in=commune_ids, level="commune",
                                                      valid_to__isnull=True))
    if not communes or len(communes) != len(set(commune_ids)):
        errors.append({"field": "communes", "message": "Chọn ít nhất một xã, phường hiện hành."})
    if valid_until is None or valid_until <= timezone.now():
        errors.append({"field": "valid_until", "message": "Thời hạn phải ở tương lai."})
    if errors:
        raise InvalidInput("Chưa đăng được cảnh báo; xem từng trường.", code="invalid_warning", errors=errors)
    warning = WeatherWarning.objects.create(title=title, text=text, severity=severity, valid_until=valid_until,
                                            published_by=acting_user)
    warning.communes.set(communes)
    record(actor=acting_user, action="citizenapp.warning_published", obj=warning,
           changes={"title": title, "severity": severity, "communes": [c.code for c in communes],
                    "valid_until": valid_until.isoformat()})
    from tinhso.citizenapp.tasks import push_warning

    transaction.on_commit(lambda: push_warning(warning.pk))
    return warning


def push_warning_now(warning_id: int) -> int:
    """Queue one push per citizen subscribed to warnings for a commune the
    warning covers; returns how many citizens."""
    from tinhso.citizenapp.push import queue

    warning = WeatherWarning.objects.filter(pk=warning_id).first()
    if warning is None:
        return 0
    commune_ids = set(warning.communes.values_list("pk", flat=True))
    users = {}
    for sub in PushSubscription.objects.filter(commune_id__in=commune_ids).select_related("user"):
        if Topic.WARNINGS in (sub.topics or []):
            users[sub.user_id] = sub.user
    for user in users.values():
        with transaction.atomic():
            queue(user, Topic.WARNINGS, f"⚠ {warning.title}", warning.text[:500], f"warning:{warning.pk}",
                  "/app/#thoi-tiet")
    return len(users)


def active_warnings(commune=None):
    rows = WeatherWarning.objects.filter(valid_until__gt=timezone.now()).prefetch_related("communes")
    if commune is not None:
        rows = rows.filter(communes=commune)
    return rows
