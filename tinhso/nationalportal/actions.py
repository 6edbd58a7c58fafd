"""State changes of the sync outbox made by people: sending a refused row again."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import require_role
from tinhso.audit.actions import record
from tinhso.core.errors import InvalidInput, NotFound
from tinhso.nationalportal.models import SyncItem, SyncStatus

MANAGERS = (Role.LEADER, Role.SYSTEM_ADMIN)


@transaction.atomic
def resend(*, acting_user, item_ids) -> int:
    """Gửi lại: failed rows (refused by the portal) go back to the queue, due
    now; the next run of the sync job sends them, their dossier's later rows
    after them. A leader of the receiving agency or the system administrator."""
    try:
        ids = sorted({int(i) for i in item_ids})
    except (TypeError, ValueError):
        raise InvalidInput("Danh sách bản ghi không hợp lệ.", code="invalid_items") from None
    if not ids:
        raise InvalidInput("Chọn ít nhất một bản ghi để gửi lại.", code="required",
                           errors=[{"field": "items", "message": "Chưa chọn bản ghi."}])
    items = list(SyncItem.objects.select_for_update().select_related("agency").filter(pk__in=ids))
    if len(items) != len(ids):
        raise NotFound("Không tìm thấy bản ghi đồng bộ.")
    for item in items:
        require_role(acting_user, MANAGERS, item.agency)
        if item.status != SyncStatus.FAILED:
            raise InvalidInput(f"Bản ghi {item.dossier_code} #{item.key} không ở tình trạng lỗi; không cần gửi lại.",
                               code="not_failed")
    now = timezone.now()
    SyncItem.objects.filter(pk__in=ids).update(status=SyncStatus.PENDING, next_attempt_at=now, claimed_until=None,
                                               claim="")
    for item in items:
        record(actor=acting_user, action="nationalportal.sync.resend", obj=item,
               changes={"status": [SyncStatus.FAILED, SyncStatus.PENDING]}, note=item.last_error[:500])
    return len(items)
