"""What the document transitions share: roles per agency, the row lock,
history and audit rows, numbering, and telling people after commit."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from tinhso.accounts.models import Role, RoleAssignment
from tinhso.accounts.permissions import has_role
from tinhso.audit.actions import record
from tinhso.core.counters import next_value
from tinhso.core.errors import Conflict, NotFound, PermissionDenied
from tinhso.notifications.actions import notify
from tinhso.officialdocs.models import DocumentEvent, OfficialDocument, Register, RegisterCounter

DRAFTERS = (Role.SPECIALIST, Role.HEAD_OF_DIVISION, Role.LEADER)


def clerical_of(user, agency) -> bool:
    """The agency's clerical office: the role held in the agency (or above),
    or in its office (văn phòng), a child agency of kind "office"."""
    if has_role(user, Role.CLERICAL_OFFICE, agency):
        return True
    return RoleAssignment.objects.active().filter(user_id=getattr(user, "pk", None), role=Role.CLERICAL_OFFICE,
                                                  agency__parent=agency, agency__kind="office").exists()


def member_of(user, roles, agency) -> bool:
    """One of `roles` in `agency` or in a unit below it (a specialist or head
    of a division works on its department's documents), or above it."""
    if has_role(user, roles, agency):
        return True
    return RoleAssignment.objects.active().filter(user_id=getattr(user, "pk", None), role__in=list(roles),
                                                  agency__path__startswith=agency.path).exists()


def clerks(agency):
    rows = RoleAssignment.objects.active().filter(
        Q(agency=agency) | Q(agency__parent=agency, agency__kind="office"), role=Role.CLERICAL_OFFICE)
    return [a.user for a in rows.select_related("user")]


def holders_of(role, agency):
    """Who holds `role` in `agency` or a unit below it."""
    return [a.user for a in RoleAssignment.objects.active().filter(role=role, agency__path__startswith=agency.path)
            .select_related("user")]


def require(ok: bool, message: str) -> None:
    if not ok:
        raise PermissionDenied(message, code="not_allowed")


def locked(pk) -> OfficialDocument:
    doc = (OfficialDocument.objects.select_for_update(of=("self",)).select_related("agency", "doc_type", "register")
           .filter(pk=pk).first())
    if doc is None:
        raise NotFound("Không tìm thấy văn bản.", code="document_not_found")
    return doc


def require_status(doc, allowed, verb: str) -> None:
    if doc.status not in allowed:
        raise Conflict(f"Không thể {verb}: văn bản đang ở trạng thái “{doc.get_status_display()}”.",
                       code="wrong_status")


def log(doc, action: str, to_status: str, *, actor, at, note: str = "", data: dict | None = None,
        from_status: str | None = None) -> DocumentEvent:
    user = actor if getattr(actor, "is_authenticated", False) else None
    event = DocumentEvent.objects.create(
        document=doc, at=at, action=action, from_status=doc.status if from_status is None else from_status,
        to_status=to_status, actor=user, actor_name=user.get_full_name() if user else "Hệ thống", note=note,
        data=data or {})
    record(actor=user, action=f"officialdocs.{action}", obj=doc, changes={"status": [event.from_status, to_status],
                                                                         **(data or {})})
    return event


def register_for(agency, year: int, direction: str, series: str) -> Register:
    register, _ = Register.objects.get_or_create(agency=agency, year=year, direction=direction, series=series)
    return register


def next_number(register: Register) -> int:
    """The register's next number (from 1 each calendar year), unique under concurrency."""
    return next_value(RegisterCounter, {"register": register.pk})


def tell(users, doc, title: str, body: str = "") -> None:
    users = list(users)
    url = reverse("officialdocs:detail", args=[doc.pk])
    transaction.on_commit(lambda: notify(users, kind="officialdocs", title=title, body=body, url=url))


def today() -> datetime.date:
    return timezone.localdate()
