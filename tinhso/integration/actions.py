"""The integration platform's changes: registering client systems, granting
services, issuing, rotating and revoking credentials, issuing OAuth tokens,
editing the registry. Each one atomic, permission-checked and audited."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import require_role
from tinhso.audit.actions import record
from tinhso.core.errors import InvalidInput, NotFound
from tinhso.integration import registry
from tinhso.integration.models import (AccessToken, ApiKey, ClientSystem, CredentialKind, Direction, Service,
                                       ServiceStatus)


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _admin(acting_user) -> None:
    """The system administrator; `None` is the command line (manage.py)."""
    if acting_user is not None:
        require_role(acting_user, Role.SYSTEM_ADMIN)


def _user(acting_user):
    return acting_user if getattr(acting_user, "is_authenticated", False) else None


@transaction.atomic
def register_client(*, acting_user, name: str, owner: str = "", contact: str = "", code: str = "",
                    rate_limit: int | None = None) -> ClientSystem:
    _admin(acting_user)
    name = (name or "").strip()
    if not name:
        raise InvalidInput("Nhập tên hệ thống.", code="name_required", errors=[{"field": "name", "message": "Bắt buộc."}])
    client, created = ClientSystem.objects.get_or_create(name=name, defaults={
        "owner": owner.strip(), "contact": contact.strip(), "code": code.strip(),
        **({"rate_limit": rate_limit} if rate_limit else {})})
    if created:
        record(actor=acting_user, action="integration.client.registered", obj=client)
    return client


@transaction.atomic
def update_client(*, acting_user, client: ClientSystem, rate_limit: int | None = None, is_active: bool | None = None,
                  service_user=None, clear_service_user: bool = False) -> ClientSystem:
    _admin(acting_user)
    client = ClientSystem.objects.select_for_update().get(pk=client.pk)
    changes = {}
    if rate_limit is not None:
        if not 1 <= rate_limit <= 1_000_000:
            raise InvalidInput("Giới hạn lượt gọi phải từ 1 đến 1.000.000 mỗi phút.", code="invalid_rate_limit",
                               errors=[{"field": "rate_limit", "message": "Từ 1 đến 1.000.000."}])
        changes["rate_limit"] = [client.rate_limit, rate_limit]
        client.rate_limit = rate_limit
    if is_active is not None and is_active != client.is_active:
        changes["is_active"] = [client.is_active, is_active]
        client.is_active = is_active
    if service_user is not None or clear_service_user:
        if service_user is not None and (service_user.is_citizen or not service_user.is_active):
            raise InvalidInput("Tài khoản nghiệp vụ phải là tài khoản cán bộ.", code="invalid_service_user")
        changes["service_user"] = [client.service_user_id, getattr(service_user, "pk", None)]
        client.service_user = service_user
    client.save()
    record(actor=acting_user, action="integration.client.updated", obj=client, changes=changes)
    return client


def _check_scopes(scopes, allowed: set[str]) -> list[str]:
    scopes = sorted(set(scopes or []))
    unknown = [s for s in scopes if s not in allowed]
    if unknown or not scopes:
        raise InvalidInput(f"Phạm vi không hợp lệ: {', '.join(unknown) or '(trống)'}. Chọn trong: "
                           f"{', '.join(sorted(allowed)) or '(chưa cấp dịch vụ nào)'}.", code="invalid_scope",
                           errors=[{"field": "scopes", "message": "Phạm vi không hợp lệ."}])
    return scopes


@transaction.atomic
def grant_services(*, acting_user, client: ClientSystem, codes: list[str]) -> ClientSystem:
    """Set the offered services `client` may call. A service taken away is
    also taken out of the scopes of its credentials and live tokens, so it is
    refused from the next call on."""
    _admin(acting_user)
    registry.ensure()
    offered = set(Service.objects.filter(direction=Direction.OFFERED).values_list("code", flat=True))
    codes = sorted(set(codes or []))
    unknown = [c for c in codes if c not in offered]
    if unknown:
        raise InvalidInput(f"Không có dịch vụ: {', '.join(unknown)}.", code="invalid_scope")
    before = sorted(client.granted.values_list("code", flat=True))
    client.granted.set(Service.objects.filter(code__in=codes))
    for key in ApiKey.objects.select_for_update().filter(client=client):
        kept = [s for s in key.scopes if s in codes]
        if kept != key.scopes:
            key.scopes = kept
            key.save(update_fields=["scopes"])
            for token in AccessToken.objects.filter(credential=key):
                token.scopes = [s for s in token.scopes if s in codes]
                token.save(update_fields=["scopes"])
    record(actor=acting_user, action="integration.client.granted", obj=client, changes={"services": [before, codes]})
    return client


def _granted(client: ClientSystem) -> set[str]:
    return set(client.granted.values_list("code", flat=True))


@transaction.atomic
def issue_key(*, acting_user, client: ClientSystem, scopes: list[str], kind: str = CredentialKind.API_KEY,
              valid_days: int | None = None, rotated_from: ApiKey | None = None) -> tuple[ApiKey, str]:
    """A new credential for `client`: returns the row and the secret (the API
    key, or the OAuth client secret), never stored and never shown again.
    Scopes must be services granted to the client; granting happens here for
    the command line, where the administrator names them directly."""
    _admin(acting_user)
    registry.ensure()
    if acting_user is None:  # manage.py issue_api_key: the scopes named are granted at once
        offered = set(Service.objects.filter(direction=Direction.OFFERED).values_list("code", flat=True))
        scopes = _check_scopes(scopes, offered)
        client.granted.add(*Service.objects.filter(code__in=scopes))
    scopes = _check_scopes(scopes, _granted(client))
    if kind not in CredentialKind.values:
        raise InvalidInput("Loại thông tin xác thực không hợp lệ.", code="invalid_kind")
    days = valid_days if valid_days is not None else settings.TINHSO_CREDENTIAL_DAYS
    if days < 0 or days > 3660:
        raise InvalidInput("Thời hạn từ 0 (không hết hạn) đến 3.660 ngày.", code="invalid_validity",
                           errors=[{"field": "valid_days", "message": "Từ 0 đến 3.660."}])
    secret = ("ts_" if kind == CredentialKind.API_KEY else "tss_") + secrets.token_urlsafe(32)
    prefix = secret[:11] if kind == CredentialKind.API_KEY else "tsc_" + secrets.token_hex(10)
    row = ApiKey.objects.create(client=client, kind=kind, prefix=prefix, key_hash=secret_hash(secret), scopes=scopes,
                                created_by=_user(acting_user), rotated_from=rotated_from,
                                expires_at=timezone.now() + datetime.timedelta(days=days) if days else None)
    record(actor=acting_user, action="integration.key.issued", obj=row,
           changes={"scopes": row.scopes, "kind": kind, "expires_at": str(row.expires_at or "")})
    return row, secret


@transaction.atomic
def rotate_key(*, acting_user, key_id: int, grace_hours: int | None = None) -> tuple[ApiKey, str]:
    """A replacement with the same kind and scopes; the old one keeps working
    for `grace_hours` (TINHSO_ROTATION_GRACE_HOURS) so the partner can switch
    without downtime, then expires."""
    _admin(acting_user)
    old = ApiKey.objects.select_for_update().select_related("client").filter(pk=key_id).first()
    if old is None or old.revoked_at is not None:
        raise NotFound("Không có thông tin xác thực này hoặc đã bị thu hồi.", code="key_not_found")
    hours = settings.TINHSO_ROTATION_GRACE_HOURS if grace_hours is None else grace_hours
    new, secret = issue_key(acting_user=acting_user, client=old.client, scopes=old.scopes, kind=old.kind,
                            rotated_from=old)
    ends = timezone.now() + datetime.timedelta(hours=hours)
    if old.expires_at is None or old.expires_at > ends:
        old.expires_at = ends
        old.save(update_fields=["expires_at"])
    record(actor=acting_user, action="integration.key.rotated", obj=old, changes={"replaced_by": new.pk,
                                                                                    "expires_at": str(ends)})
    return new, secret


@transaction.atomic
def revoke_key(*, acting_user, key_id: int) -> ApiKey:
    """Refused from the next call on, in every process (each call reads the
    row); its OAuth tokens die with it."""
    _admin(acting_user)
    row = ApiKey.objects.select_for_update().filter(pk=key_id).first()
    if row is None:
        raise NotFound("Không có khóa này.", code="key_not_found")
    if row.revoked_at is None:
        row.revoked_at = timezone.now()
        row.save(update_fields=["revoked_at"])
        AccessToken.objects.filter(credential=row).delete()
        record(actor=acting_user, action="integration.key.revoked", obj=row)
    return row


def issue_token(credential: ApiKey, scopes: list[str]) -> tuple[AccessToken, str]:
    """An OAuth access token (client credentials grant) for an authenticated
    credential; called by the token endpoint after it checked the secret."""
    token = secrets.token_urlsafe(32)
    row = AccessToken.objects.create(
        credential=credential, token_hash=secret_hash(token), scopes=scopes,
        expires_at=timezone.now() + datetime.timedelta(seconds=settings.TINHSO_OAUTH_TOKEN_SECONDS))
    AccessToken.objects.filter(credential=credential, expires_at__lt=timezone.now()).delete()
    return row, token


SERVICE_FIELDS = {"name", "owner", "version", "spec_url", "description", "status", "timeout_seconds", "max_retries",
                  "failure_threshold", "cooldown_seconds"}


# field -> (type, lowest, highest, message): what the outbound client can live with (a retry count of
# thousands would hold a worker for hours and overflow the backoff; a threshold of 0 would never close)
SERVICE_BOUNDS = {
    "timeout_seconds": (float, 0.5, 300, "Thời gian chờ từ 0,5 đến 300 giây."),
    "max_retries": (int, 0, 5, "Số lần thử lại từ 0 đến 5."),
    "failure_threshold": (int, 1, 100, "Số lỗi liên tiếp để ngắt từ 1 đến 100."),
    "cooldown_seconds": (int, 5, 86400, "Thời gian ngắt từ 5 giây đến 1 ngày (86.400 giây)."),
}


def _bounded(name: str, value):
    kind, low, high, message = SERVICE_BOUNDS[name]
    try:
        number = kind(str(value).strip().replace(",", ".")) if not isinstance(value, (int, float)) else kind(value)
    except (TypeError, ValueError, OverflowError):
        number = None
    if number is None or number != number or not low <= number <= high:  # number != number: NaN
        raise InvalidInput(message, code=f"invalid_{name}", errors=[{"field": name, "message": message}])
    return number


@transaction.atomic
def update_service(*, acting_user, service: Service, **values) -> Service:
    _admin(acting_user)
    service = Service.objects.select_for_update().get(pk=service.pk)
    changes = {}
    for name, value in values.items():
        if name not in SERVICE_FIELDS:
            raise InvalidInput(f"Không sửa được trường {name}.", code="invalid_field")
        if name == "status" and value not in ServiceStatus.values:
            raise InvalidInput("Tình trạng không hợp lệ.", code="invalid_status",
                               errors=[{"field": "status", "message": "Không hợp lệ."}])
        if name in SERVICE_BOUNDS:
            value = _bounded(name, value)
        if getattr(service, name) != value:
            changes[name] = [str(getattr(service, name)), str(value)]
            setattr(service, name, value)
    if changes:
        service.save()
        record(actor=acting_user, action="integration.service.updated", obj=service, changes=changes)
        if "status" in changes:  # the gateway reads the status through a short cache: dropped now and at commit
            key = f"ts:svc-status:{service.code}"
            cache.delete(key)
            transaction.on_commit(lambda: cache.delete(key))
    return service


@transaction.atomic
def reset_breaker(*, acting_user, service: Service) -> Service:
    """Close the breaker by hand (the administrator knows the system is back)."""
    _admin(acting_user)
    Service.objects.filter(pk=service.pk).update(breaker="closed", failures=0, opened_at=None)
    record(actor=acting_user, action="integration.service.breaker_reset", obj=service)
    service.refresh_from_db()
    return service
