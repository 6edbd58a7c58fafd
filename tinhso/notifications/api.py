"""The signed-in user's notices (/api/v1/notifications), as the page
/notifications/: one's own only."""

from __future__ import annotations

import datetime

from ninja import Field, Query, Router, Schema
from ninja.security import django_auth

from tinhso.core.api import ErrorOut
from tinhso.notifications.actions import mark_read
from tinhso.notifications.models import Notification

router = Router(tags=["Thông báo"])


class NoticeOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    created_at: datetime.datetime
    read_at: datetime.datetime | None


class NoticePage(Schema):
    count: int
    unread: int
    items: list[NoticeOut]


class NoticeQuery(Schema):
    unread: bool | None = Field(None, description="Chỉ thông báo chưa đọc")
    offset: int = Field(0, ge=0, le=1_000_000)
    limit: int = Field(50, ge=1, le=200)


class ReadIn(Schema):
    ids: list[int] | None = Field(None, max_length=500, description="Các thông báo đã đọc; bỏ trống: tất cả")


class ReadOut(Schema):
    marked: int


@router.get("", auth=django_auth, response={200: NoticePage, 401: ErrorOut, 422: ErrorOut},
            summary="Thông báo của tôi")
def list_notices(request, filters: Query[NoticeQuery]):
    mine = Notification.objects.filter(recipient=request.user)
    qs = mine.filter(read_at__isnull=True) if filters.unread else mine
    qs = qs.order_by("-created_at", "-id")
    return {"count": qs.count(), "unread": mine.filter(read_at__isnull=True).count(),
            "items": list(qs[filters.offset:filters.offset + filters.limit])}


@router.post("/read", auth=django_auth, response={200: ReadOut, 401: ErrorOut, 422: ErrorOut},
             summary="Đánh dấu đã đọc", description="Chỉ thông báo của chính mình.")
def read_notices(request, payload: ReadIn):
    return {"marked": mark_read(acting_user=request.user, notification_ids=payload.ids)}
