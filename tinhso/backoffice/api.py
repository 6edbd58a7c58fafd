"""The audit log over the API (/api/v1/audit): system administrators only, as
the page /audit/ of the back office (the audit app itself names no app above it). Newest first, filtered by action prefix, actor, object,
personal-data access and period."""

from __future__ import annotations

import datetime

from ninja import Field, Query, Router, Schema
from ninja.security import django_auth

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import require_role
from tinhso.audit.models import AuditEvent
from tinhso.core.api import ErrorOut

router = Router(tags=["Nhật ký hệ thống"])


class EventOut(Schema):
    id: int
    created_at: datetime.datetime
    actor: str
    action: str
    object_type: str | None
    object_id: str
    object_repr: str
    changes: dict
    note: str
    personal_data: bool


class EventPage(Schema):
    count: int
    items: list[EventOut]


class EventQuery(Schema):
    action: str | None = Field(None, max_length=100, description="Tiền tố mã thao tác, ví dụ `dossiers.`")
    actor: str | None = Field(None, max_length=150, description="Tên đăng nhập người thực hiện (một phần)")
    object_id: str | None = Field(None, max_length=64)
    personal_data: bool | None = Field(None, description="Chỉ các lần truy cập dữ liệu cá nhân")
    since: datetime.datetime | None = None
    until: datetime.datetime | None = None
    offset: int = Field(0, ge=0, le=1_000_000)
    limit: int = Field(50, ge=1, le=500)


@router.get("", auth=django_auth, response={200: EventPage, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
            summary="Nhật ký hệ thống", description="Chỉ quản trị hệ thống. Mới nhất trước.")
def list_events(request, filters: Query[EventQuery]):
    require_role(request.user, Role.SYSTEM_ADMIN)
    qs = AuditEvent.objects.select_related("content_type").order_by("-id")
    if filters.action:
        qs = qs.filter(action__startswith=filters.action)
    if filters.actor:
        qs = qs.filter(actor_repr__icontains=filters.actor)
    if filters.object_id:
        qs = qs.filter(object_id=filters.object_id)
    if filters.personal_data is not None:
        qs = qs.filter(personal_data=filters.personal_data)
    if filters.since:
        qs = qs.filter(created_at__gte=filters.since)
    if filters.until:
        qs = qs.filter(created_at__lt=filters.until)
    page = list(qs[filters.offset:filters.offset + filters.limit])
    return {"count": qs.count(), "items": [{
        "id": e.pk, "created_at": e.created_at, "actor": e.actor_repr, "action": e.action,
        "object_type": f"{e.content_type.app_label}.{e.content_type.model}" if e.content_type_id else None,
        "object_id": e.object_id, "object_repr": e.object_repr, "changes": e.changes, "note": e.note,
        "personal_data": e.personal_data} for e in page]}
