"""Shared machinery of the dossier transitions."""

from __future__ import annotations

import datetime
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from tinhso.accounts.permissions import has_role, require_role
from tinhso.audit.actions import record
from tinhso.core.errors import Conflict, InvalidInput, PermissionDenied
from tinhso.dossiers.models import Dossier, DossierEvent, DossierFile, IdempotencyRecord, Status
from tinhso.dossiers.routing import step_agency
from tinhso.dossiers.uploads import check_upload
from tinhso.workcalendar.engine import get_calendar

log = logging.getLogger(__name__)


def now(at: datetime.datetime | None = None) -> datetime.datetime:
    return at or timezone.now()


def lock(dossier: Dossier, expected_version: int | None) -> Dossier:
    """Re-read the dossier under a row lock. With `expected_version` (the
    version the user saw), a dossier changed since is refused: of two staff
    acting at once, the second is told to reload."""
    locked = (Dossier.objects.select_for_update(of=("self",))
              .select_related("case", "procedure", "receiving_agency", "competent_agency", "current_agency",
                              "current_step")
              .get(pk=dossier.pk))
    locked.agency_before = locked.current_agency  # the sender's side of the hand-off
    if expected_version is not None and locked.version != expected_version:
        raise Conflict("Hồ sơ vừa được người khác cập nhật. Vui lòng tải lại trang và thực hiện lại.",
                       code="dossier_changed")
    return locked


def require_status(dossier: Dossier, allowed, action_label: str) -> None:
    if dossier.status not in allowed:
        raise InvalidInput(f"Không thể {action_label}: hồ sơ đang ở trạng thái “{dossier.get_status_display()}”.",
                           code="invalid_transition")


def require_current_holder(actor, dossier: Dossier, roles=None) -> None:
    """The actor must hold the role the dossier is waiting for (or one of
    `roles`) in the agency where it is now."""
    wanted = roles or [dossier.current_role]
    if not has_role(actor, wanted, dossier.current_agency):
        raise PermissionDenied(f"Hồ sơ đang chờ {_role_label(dossier.current_role)} tại "
                               f"{dossier.current_agency.name}; bạn không có vai trò này ở đó.")
    if dossier.current_handler_id and dossier.current_handler_id != actor.pk and roles is None:
        raise PermissionDenied("Hồ sơ đã được giao cho cán bộ khác xử lý.", code="assigned_to_other")


def _receiver_name(dossier) -> str:
    if dossier.current_handler_id:
        return dossier.current_handler.get_full_name()[:200]
    if dossier.current_role and dossier.is_open:
        return f"{_role_label(dossier.current_role)} - {dossier.current_agency.name}"[:200]
    return ""


def _role_label(role: str) -> str:
    from tinhso.accounts.models import Role

    try:
        return Role(role).label
    except ValueError:
        return role


def place_at_step(dossier: Dossier, step, at: datetime.datetime, receiver=None) -> None:
    """Put the dossier at `step`: its agency, role, handler and step deadline."""
    agency = step_agency(step, receiving=dossier.receiving_agency, competent=dossier.competent_agency)
    if receiver is not None and not has_role(receiver, step.role, agency):
        raise InvalidInput(f"{receiver} không có vai trò {_role_label(step.role)} tại {agency.name}.",
                           code="invalid_receiver", errors=[{"field": "receiver", "message": "Người nhận không hợp lệ."}])
    dossier.current_step = step
    dossier.current_agency = agency
    dossier.current_role = step.role
    dossier.current_handler = receiver
    dossier.step_due_at = get_calendar().add(at, step.allowance, step.allowance_unit)


def write_event(dossier: Dossier, *, actor, action: str, at: datetime.datetime, from_status: int | None,
                from_step=None, comment: str = "", attachments=(), previous_step_due=None) -> DossierEvent:
    """The history row, the version bump and the audit row of one transition."""
    event = DossierEvent.objects.create(
        dossier=dossier, at=at, action=action, from_status=from_status, to_status=dossier.status,
        from_step=from_step, to_step=dossier.current_step,
        sender=actor if getattr(actor, "is_authenticated", False) else None,
        sender_name=(actor.get_full_name() if getattr(actor, "is_authenticated", False) else "Hệ thống")[:200],
        sender_agency=getattr(dossier, "agency_before", None) or dossier.current_agency,
        step_name=dossier.current_step.name if dossier.current_step_id else "",
        receiver=dossier.current_handler, receiver_agency=dossier.current_agency, receiver_role=dossier.current_role,
        receiver_name=_receiver_name(dossier),
        step_due_at=dossier.step_due_at, previous_step_due_at=previous_step_due, comment=comment,
    )
    if attachments:
        event.attachments.set(attachments)
    dossier.version += 1
    dossier.save()
    record(actor=actor, action=f"dossiers.{action}", obj=dossier,
           changes={"status": [from_status, dossier.status]}, note=comment[:500])
    from tinhso.dossiers.notifications import notify_transition

    transaction.on_commit(lambda: notify_transition(event.pk))
    return event


def store_files(dossier: Dossier, uploads, *, kind: str, actor, component=None, field: str = "files") -> list:
    """Check every file first (nothing is stored if one is bad), then store."""
    checked = [check_upload(u, field) for u in uploads or []]
    stored = []
    for item in checked:
        row = DossierFile(dossier=dossier, component=component, kind=kind, original_name=item.name,
                          content_type=item.content_type, size=len(item.data), sha256=item.sha256,
                          uploaded_by=actor if getattr(actor, "is_authenticated", False) else None)
        row.file.save(item.name, item.content(), save=False)
        row.save()
        stored.append(row)
    return stored


def remembered(actor, scope: str, key: str | None):
    """The result of an earlier request with the same idempotency key, if any."""
    if not key:
        return None
    user = actor if getattr(actor, "is_authenticated", False) else None
    return IdempotencyRecord.objects.filter(user=user, scope=scope, key=key).select_related("dossier", "event").first()


def claim(actor, scope: str, key: str | None) -> IdempotencyRecord | None:
    """Claim the key before doing the work, in the same transaction. A twin
    request running at the same moment waits on the unique index and is then
    refused, its transaction rolled back; a later retry finds the record
    through `remembered` and gets the first result."""
    if not key:
        return None
    user = actor if getattr(actor, "is_authenticated", False) else None
    try:
        with transaction.atomic():
            return IdempotencyRecord.objects.create(user=user, scope=scope, key=key[:100])
    except IntegrityError:
        raise Conflict("Yêu cầu này đã được gửi và đang được xử lý.", code="duplicate_request") from None


def settle(claimed: IdempotencyRecord | None, *, dossier=None, event=None) -> None:
    if claimed is not None:
        claimed.dossier, claimed.event = dossier, event
        claimed.save(update_fields=["dossier", "event"])


def require_text(value: str, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(f"Cần nhập {label}.", code="required",
                           errors=[{"field": field, "message": "Trường này là bắt buộc."}])
    return value


__all__ = ["Status", "require_role", "log"]
