"""Shared machinery of the dossier transitions."""

from __future__ import annotations

import copy
import datetime
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from tinhso.accounts.permissions import has_role, require_role, use_cached_roles
from tinhso.audit.actions import record
from tinhso.catalogue.refcache import refs, token_subquery
from tinhso.core.errors import Conflict, InvalidInput, PermissionDenied
from tinhso.dossiers.models import Dossier, DossierEvent, DossierFile, IdempotencyRecord, Status
from tinhso.dossiers.routing import step_agency
from tinhso.dossiers.uploads import check_upload
from tinhso.workcalendar.engine import get_calendar

log = logging.getLogger(__name__)


def now(at: datetime.datetime | None = None) -> datetime.datetime:
    return at or timezone.now()


def lock(dossier: Dossier, expected_version: int | None, actor=None) -> Dossier:
    """Re-read the dossier under a row lock. With `expected_version` (the
    version the user saw), a dossier changed since is refused: of two staff
    acting at once, the second is told to reload.

    Only the dossier row is read and locked (no joins: PostgreSQL then
    returns the new version of a row changed while we waited for the lock);
    the same query reads the reference revision, and the case, procedure,
    agencies and current step are attached from the per-process reference
    cache as of that revision (tinhso/catalogue/refcache.py), and so are
    the role assignments of `actor` unless this request has read them
    already (`use_cached_roles`)."""
    locked = (Dossier.objects.select_for_update().annotate(ref_token=token_subquery())
              .filter(pk=dossier.pk).first())
    if locked is None:
        raise Dossier.DoesNotExist("Dossier matching query does not exist.")
    attach_refs(locked, refs(locked.ref_token or ""))
    use_cached_roles(actor, locked._refs)
    locked.agency_before = locked.current_agency  # the sender's side of the hand-off
    locked._as_read = _values(locked)  # write_event writes only what the transition changed
    if expected_version is not None and locked.version != expected_version:
        raise Conflict("Hồ sơ vừa được người khác cập nhật. Vui lòng tải lại trang và thực hiện lại.",
                       code="dossier_changed")
    return locked


def read_with_refs(dossier_id, actor=None) -> Dossier:
    """The dossier (no lock) with its reference objects attached as `lock` does."""
    current = Dossier.objects.annotate(ref_token=token_subquery()).get(pk=dossier_id)
    attach_refs(current, refs(current.ref_token or ""))
    use_cached_roles(actor, current._refs)
    return current


def attach_refs(dossier: Dossier, ref) -> None:
    """Set the dossier's case, procedure, agencies and current step from the
    reference snapshot `ref` (shared, read-only instances); `dossier._refs`
    keeps the snapshot for the transition's other reference reads."""
    dossier.case = ref.case(dossier.case_id)
    dossier.procedure = ref.procedure(dossier.procedure_id)
    for name in ("receiving_agency", "competent_agency", "current_agency"):
        setattr(dossier, name, ref.agency(getattr(dossier, f"{name}_id")))
    dossier.current_step = ref.step(dossier.current_step_id)
    dossier._refs = ref


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
                from_step=None, comment: str = "", attachments=(), previous_step_due=None,
                created: bool = False, data: dict | None = None) -> DossierEvent:
    """The history row, the version bump and the audit row of one transition.
    `created=True`: the dossier row was just inserted with its version already
    bumped (`new_version`), so it is not written a second time."""
    event = DossierEvent.objects.create(
        dossier=dossier, at=at, action=action, from_status=from_status, to_status=dossier.status,
        from_step=from_step, to_step=dossier.current_step,
        sender=actor if getattr(actor, "is_authenticated", False) else None,
        sender_name=(actor.get_full_name() if getattr(actor, "is_authenticated", False) else "Hệ thống")[:200],
        sender_agency=getattr(dossier, "agency_before", None) or dossier.current_agency,
        step_name=dossier.current_step.name if dossier.current_step_id else "",
        receiver=dossier.current_handler, receiver_agency=dossier.current_agency, receiver_role=dossier.current_role,
        receiver_name=_receiver_name(dossier),
        step_due_at=dossier.step_due_at, previous_step_due_at=previous_step_due, comment=comment, data=data or {},
    )
    if attachments:
        event.attachments.add(*attachments)  # a new event: one INSERT, no read of the current set
    from tinhso.nationalportal.outbox import enqueue

    enqueue(dossier, event)  # the national portal sync's outbox row: one INSERT, same transaction
    if created and dossier.portal_synced:
        Dossier.objects.filter(pk=dossier.pk).update(portal_synced=False)
    dossier.portal_synced = False  # a new event waits for the national portal (tinhso/dossiers/flags.py)
    if not created:
        dossier.version += 1
        _save(dossier)
    record(actor=actor, action=f"dossiers.{action}", obj=dossier,
           changes={"status": [from_status, dossier.status]}, note=comment[:500])
    from tinhso.dossiers.notifications import notify_after_commit

    notify_after_commit(event)
    return event


_FIELDS = [f for f in Dossier._meta.concrete_fields if not f.primary_key]


def _values(dossier: Dossier) -> dict:
    return {f.attname: copy.deepcopy(v) if isinstance(v := getattr(dossier, f.attname), (dict, list)) else v
            for f in _FIELDS}


def _save(dossier: Dossier) -> None:
    """UPDATE the columns the transition changed (the row is locked since it
    was read, so the others hold what was read), or all of them for a
    dossier that did not come from `lock`."""
    as_read = getattr(dossier, "_as_read", None)
    if as_read is None:
        dossier.save()
        return
    changed = [f.name for f in _FIELDS if getattr(dossier, f.attname) != as_read[f.attname]]
    dossier.save(update_fields=[*changed, "updated_at"])
    dossier._as_read = _values(dossier)


def new_version(dossier: Dossier) -> None:
    """A new dossier is inserted at the version its first event gives it (see
    `write_event(created=True)`)."""
    dossier.version += 1


def store_files(dossier: Dossier, uploads, *, kind: str, actor, component=None, field: str = "files") -> list:
    """Check every file first (nothing is stored if one is bad), then store."""
    checked = [check_upload(u, field) for u in uploads or []]
    return save_files([(component, item) for item in checked], dossier=dossier, kind=kind, actor=actor)


def save_files(items, *, dossier: Dossier, kind: str, actor) -> list:
    """Store already checked files, given as (component, CheckedUpload) pairs:
    each file to the storage, then their rows in one INSERT."""
    uploaded_by = actor if getattr(actor, "is_authenticated", False) else None
    rows = []
    for component, item in items:
        row = DossierFile(dossier=dossier, component=component, kind=kind, original_name=item.name,
                          content_type=item.content_type, size=len(item.data), sha256=item.sha256,
                          uploaded_by=uploaded_by)
        row.file.save(item.name, item.content(), save=False)
        rows.append(row)
    return DossierFile.objects.bulk_create(rows) if rows else []


def remembered(actor, scope: str, key: str | None):
    """The result of an earlier request with the same idempotency key, if any."""
    if not key:
        return None
    user = actor if getattr(actor, "is_authenticated", False) else None
    # No select_related: almost every key is new, and the dossier is read
    # only on a replay.
    return IdempotencyRecord.objects.filter(user=user, scope=scope, key=key).first()


def claim(actor, scope: str, key: str | None) -> IdempotencyRecord | None:
    """Claim the key before doing the work, in the same transaction. A twin
    request running at the same moment waits on the unique index and is then
    refused, its transaction rolled back; a later retry finds the record
    through `remembered` and gets the first result.

    Called inside the action's atomic block and never caught there: the
    Conflict leaves that block, which rolls back (to its own savepoint when
    nested), so no savepoint of its own is needed."""
    if not key:
        return None
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("claim() must run inside the action's transaction")
    user = actor if getattr(actor, "is_authenticated", False) else None
    try:
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
