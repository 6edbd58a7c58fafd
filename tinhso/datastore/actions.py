"""The citizen's personal electronic data store."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from tinhso.audit.actions import record
from tinhso.core.errors import InvalidInput, PermissionDenied
from tinhso.datastore.models import DataStoreItem, ItemKind
from tinhso.dossiers.uploads import check_upload


def put(*, owner_id, kind: str, title: str, name: str, content_type: str, data: bytes, sha256: str,
        paper_code: str = "", source_dossier=None, issued_on=None) -> DataStoreItem:
    """Store one paper in a citizen's data store (the one place that writes items)."""
    item = DataStoreItem(owner_id=owner_id, kind=kind, title=title[:500], paper_code=paper_code[:60],
                         original_name=name, content_type=content_type, size=len(data), sha256=sha256,
                         source_dossier=source_dossier, issued_on=issued_on)
    item.file.save(name, ContentFile(data), save=False)
    item.save()
    return item


def _require_citizen(user):
    if not getattr(user, "is_authenticated", False) or not user.is_citizen:
        raise PermissionDenied("Chỉ công dân đăng nhập bằng định danh điện tử mới dùng được kho dữ liệu.")


@transaction.atomic
def add_item(*, acting_user, title: str, upload, kind: str = ItemKind.DIGITISED) -> DataStoreItem:
    """A citizen puts a digitised paper into their store."""
    _require_citizen(acting_user)
    title = (title or "").strip()
    if not title:
        raise InvalidInput("Cần nhập tên giấy tờ.", code="required",
                           errors=[{"field": "title", "message": "Trường này là bắt buộc."}])
    checked = check_upload(upload, "file")
    item = put(owner_id=acting_user.pk, kind=kind, title=title, name=checked.name, content_type=checked.content_type,
               data=checked.data, sha256=checked.sha256)
    record(actor=acting_user, action="datastore.item.added", obj=item, personal_data=True)
    return item


@transaction.atomic
def remove_item(*, acting_user, item: DataStoreItem) -> None:
    if item.owner_id != getattr(acting_user, "pk", None):
        raise PermissionDenied("Giấy tờ này không thuộc kho dữ liệu của bạn.")
    record(actor=acting_user, action="datastore.item.removed", obj=item, personal_data=True)
    item.file.delete(save=False)
    item.delete()


def store_results(dossier) -> list[DataStoreItem]:
    """Put a returned dossier's result files into its citizen's store (called
    inside the return transaction)."""
    if dossier.citizen_id is None:
        return []
    items = []
    for row in dossier.files.filter(kind="result"):
        with row.file.open("rb") as handle:
            data = handle.read()
        items.append(put(owner_id=dossier.citizen_id, kind=ItemKind.RESULT,
                         title=dossier.result_summary or dossier.procedure.result_name or row.original_name,
                         name=row.original_name, content_type=row.content_type, data=data, sha256=row.sha256,
                         paper_code=dossier.result_number, source_dossier=dossier,
                         issued_on=dossier.result_signed_at or timezone.localdate()))
    return items


def as_upload(item: DataStoreItem) -> SimpleUploadedFile:
    """A copy of a stored paper, to attach to a new dossier instead of a new upload."""
    with item.file.open("rb") as handle:
        return SimpleUploadedFile(item.original_name, handle.read(), content_type=item.content_type)
