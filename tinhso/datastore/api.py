"""The citizen's personal data store over the API (/api/v1/datastore), as the
portal page /dvc/kho-du-lieu/: one's own papers only; adding and removing
through tinhso/datastore/actions.py (checked by content, audited as personal
data)."""

from __future__ import annotations

import datetime

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.security import django_auth

from tinhso.core.api import ErrorOut
from tinhso.datastore import actions
from tinhso.datastore.models import DataStoreItem

router = Router(tags=["Kho dữ liệu công dân"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class ItemOut(Schema):
    id: int
    kind: str
    title: str
    paper_code: str
    original_name: str
    content_type: str
    size: int
    issued_on: datetime.date | None
    created_at: datetime.datetime
    source_dossier: str | None


def _out(item: DataStoreItem) -> dict:
    return {"id": item.pk, "kind": item.kind, "title": item.title, "paper_code": item.paper_code,
            "original_name": item.original_name, "content_type": item.content_type, "size": item.size,
            "issued_on": item.issued_on, "created_at": item.created_at,
            "source_dossier": item.source_dossier.code if item.source_dossier_id else None}


def _mine(request):
    actions._require_citizen(request.user)
    return DataStoreItem.objects.filter(owner=request.user).select_related("source_dossier")


@router.get("", auth=django_auth, response={200: list[ItemOut], **ERRORS}, summary="Giấy tờ trong kho của tôi")
def list_items(request):
    return [_out(i) for i in _mine(request).order_by("-created_at", "-id")]


@router.post("", auth=django_auth, response={201: ItemOut, **ERRORS}, summary="Thêm giấy tờ (số hóa) vào kho",
             description="multipart/form-data: `title` và `file` (PDF, ảnh; kiểm tra theo nội dung tệp).")
def add_item(request, title: Form[str], file: File[UploadedFile]):
    return 201, _out(actions.add_item(acting_user=request.user, title=title, upload=file))


@router.get("/{item_id}/file", auth=django_auth, response={200: None, **ERRORS}, summary="Tải giấy tờ")
def download(request, item_id: int):
    item = get_object_or_404(_mine(request), pk=item_id)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.original_name,
                        content_type=item.content_type)


@router.delete("/{item_id}", auth=django_auth, response={204: None, **ERRORS}, summary="Xóa giấy tờ khỏi kho")
def remove(request, item_id: int):
    actions.remove_item(acting_user=request.user, item=get_object_or_404(_mine(request), pk=item_id))
    return 204, None
