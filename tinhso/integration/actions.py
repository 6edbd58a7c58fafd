"""Registering client systems, issuing and revoking their keys."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import require_role
from tinhso.audit.actions import record
from tinhso.core.errors import InvalidInput, NotFound, PermissionDenied
from tinhso.integration.models import ApiCall, ApiKey, ClientSystem, Scope


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _admin(acting_user) -> None:
    if acting_user is not None:
        require_role(acting_user, Role.SYSTEM_ADMIN)


@transaction.atomic
def register_client(*, acting_user, name: str, owner: str = "", contact: str = "") -> ClientSystem:
    _admin(acting_user)
    name = (name or "").strip()
    if not name:
        raise InvalidInput("Nhập tên hệ thống.", code="name_required", errors=[{"field": "name", "message": "Bắt buộc."}])
    client, created = ClientSystem.objects.get_or_create(name=name, defaults={"owner": owner, "contact": contact})
    if created:
        record(actor=acting_user, action="integration.client.registered", obj=client)
    return client


@transaction.atomic
def issue_key(*, acting_user, client: ClientSystem, scopes: list[str]) -> tuple[ApiKey, str]:
    """A new key for `client`: returns the row and the key itself, which is
    never stored and cannot be shown again."""
    _admin(acting_user)
    unknown = [s for s in scopes if s not in Scope.values]
    if unknown or not scopes:
        raise InvalidInput(f"Phạm vi không hợp lệ: {', '.join(unknown) or '(trống)'}. Chọn trong: "
                           f"{', '.join(Scope.values)}.", code="invalid_scope")
    key = "ts_" + secrets.token_urlsafe(32)
    row = ApiKey.objects.create(client=client, prefix=key[:11], key_hash=_hash(key), scopes=sorted(set(scopes)),
                                created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None)
    record(actor=acting_user, action="integration.key.issued", obj=row, changes={"scopes": row.scopes})
    return row, key


@transaction.atomic
def revoke_key(*, acting_user, key_id: int) -> ApiKey:
    _admin(acting_user)
    row = ApiKey.objects.select_for_update().filter(pk=key_id).first()
    if row is None:
        raise NotFound("Không có khóa này.", code="key_not_found")
    if row.revoked_at is None:
        row.revoked_at = timezone.now()
        row.save(update_fields=["revoked_at"])
        record(actor=acting_user, action="integration.key.revoked", obj=row)
    return row


def authenticate(key: str, scope: str) -> ApiKey:
    """The key row for a presented key, if it is valid for `scope`; raises
    PermissionDenied (a bad, revoked or out-of-scope key) otherwise."""
    key = (key or "").strip()
    if not key:
        raise PermissionDenied("Thiếu api_key.", code="api_key_missing")
    row = ApiKey.objects.select_related("client").filter(key_hash=_hash(key)).first()
    if row is None or row.revoked_at is not None or not row.client.is_active:
        raise PermissionDenied("api_key không hợp lệ hoặc đã bị thu hồi.", code="api_key_invalid")
    if scope not in row.scopes:
        raise PermissionDenied("api_key không được cấp quyền cho dịch vụ này.", code="api_key_scope")
    ApiKey.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
    return row


def log_call(*, service: str, request, status: int, started: float, key: ApiKey | None = None,
             digest: str = "") -> None:
    """One row per call of a machine interface, written whatever the outcome."""
    import time

    ApiCall.objects.create(client=key.client if key else None, key=key, service=service, method=request.method,
                           path=request.path[:300], status=status, latency_ms=int((time.monotonic() - started) * 1000),
                           request_digest=digest, address=(request.META.get("REMOTE_ADDR") or "")[:64])
