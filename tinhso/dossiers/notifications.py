"""Who is told what when a dossier moves."""

from __future__ import annotations

import threading
import weakref

from django.db import transaction
from django.urls import reverse

from tinhso.accounts.models import RoleAssignment
from tinhso.notifications.actions import notify

ACTION_TITLES = {
    "receive": "Hồ sơ mới tiếp nhận",
    "submit": "Hồ sơ trực tuyến mới",
    "accept": "Hồ sơ trực tuyến đã được tiếp nhận",
    "forward": "Hồ sơ chuyển đến bạn xử lý",
    "send_back": "Hồ sơ bị trả lại",
    "recall": "Hồ sơ đã được thu hồi",
    "submit_supplement": "Công dân đã nộp bổ sung",
    "accept_supplement": "Hồ sơ bổ sung đã được tiếp nhận",
    "confirm_payment": "Đã thực hiện nghĩa vụ tài chính",
    "finish": "Hồ sơ có kết quả, chờ trả",
    "request_withdrawal": "Công dân đề nghị rút hồ sơ",
    "propose_apology": "Đề xuất xin lỗi, hẹn lại chờ duyệt",
    "reject_apology": "Đề xuất xin lỗi không được duyệt",
}


def holders(dossier):
    """The handler, or everyone holding the awaited role in the agency."""
    if dossier.current_handler_id:
        return [dossier.current_handler]
    if not dossier.current_role:
        return []
    ref = getattr(dossier, "_refs", None)
    if ref is not None:
        return list(ref.holders(dossier.current_role, _line(dossier.current_agency)))
    return [a.user for a in RoleAssignment.objects.active().filter(
        role=dossier.current_role, agency_id__in=_line(dossier.current_agency)).select_related("user")]


def desk_clerks(dossier):
    ref = getattr(dossier, "_refs", None)
    if ref is not None:
        return list(ref.holders("clerk", _line(dossier.receiving_agency)))
    return [a.user for a in RoleAssignment.objects.active().filter(
        role="clerk", agency_id__in=_line(dossier.receiving_agency)).select_related("user")]


def apology_approvers(dossier):
    from tinhso.dossiers.policies import apology_approver_roles

    return [a.user for a in RoleAssignment.objects.active().filter(
        role__in=apology_approver_roles(dossier), agency_id__in=_line(dossier.competent_agency)).select_related("user")]


def _line(agency) -> list[int]:
    """The ids of `agency.ancestors_and_self()`, read from its path (no subquery)."""
    return [int(p) for p in agency.path.strip("/").split("/") if p]


def _tell_citizen(event) -> None:
    from tinhso.notifications.citizen import queue_for_event
    from tinhso.notifications.tasks import deliver_citizen_messages

    queued = queue_for_event(event)  # its own transaction
    if queued:
        deliver_citizen_messages([m.pk for m in queued])


# The dossier object each thread's last transition wrote, by dossier id: a
# notification may use its event's in-memory dossier only if no later
# transition in the same transaction changed that dossier (then it reads the
# row again, as the after-commit state is what it must describe).
_written = threading.local()


def notify_after_commit(event) -> None:
    """Called by every transition: `notify_transition` once the transaction
    commits, with the event and dossier in memory (they are what was written)."""
    latest = getattr(_written, "dossiers", None)
    if latest is None:
        latest = _written.dossiers = weakref.WeakValueDictionary()
    dossier = event.dossier
    latest[dossier.pk] = dossier
    transaction.on_commit(lambda: notify_transition(event.pk, event=event))


def notify_transition(event_id: int, event=None) -> None:
    from tinhso.dossiers.models import DossierEvent

    latest = getattr(_written, "dossiers", None)
    if event is not None and latest is not None and latest.get(event.dossier_id) is event.dossier:
        del latest[event.dossier_id]
    else:
        event = DossierEvent.objects.select_related("dossier__current_agency", "dossier__current_handler",
                                                    "dossier__procedure").filter(pk=event_id).first()
    if event is None:
        return
    _tell_citizen(event)
    if event.action not in ACTION_TITLES:
        return
    dossier = event.dossier
    if event.action == "propose_apology":
        staff = apology_approvers(dossier)
    else:
        staff = desk_clerks(dossier) if event.action in ("submit", "request_withdrawal") else holders(dossier)
    recipients = [u for u in staff if u.pk != event.sender_id]
    notify(recipients, kind=f"dossier.{event.action}", title=f"{ACTION_TITLES[event.action]}: {dossier.code}",
           body=f"{dossier.procedure.name}\n{event.comment}".strip(),
           url=reverse("dossiers:detail", args=[dossier.code]))
