"""What every field-report transition shares: the row lock, the history and
audit rows, the stage clock, and telling people after commit."""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tinhso.accounts.permissions import has_role
from tinhso.audit.actions import record
from tinhso.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tinhso.fieldreports import policies, rules
from tinhso.fieldreports.models import FieldReport, Reason, ReportEvent, StageRecord
from tinhso.fieldreports.people import AGENCY_ROLES, CENTRE_ROLES
from tinhso.notifications.actions import notify
from tinhso.workcalendar.engine import get_calendar
from tinhso.workcalendar.stages import moment, next_rung

TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")
MAX_TEXT = 4000


def now() -> datetime.datetime:
    return timezone.now()


def is_centre(user) -> bool:
    return has_role(user, CENTRE_ROLES)


def is_handler(user, report) -> bool:
    return report.agency is not None and has_role(user, AGENCY_ROLES, report.agency)


def require_centre(user) -> None:
    if user is not None and not is_centre(user):
        raise PermissionDenied("Thao tác này dành cho cán bộ Trung tâm điều hành.", code="centre_only")


def require_handler(user, report) -> None:
    if user is not None and not is_handler(user, report):
        raise PermissionDenied("Chỉ cán bộ của cơ quan đang được giao xử lý phản ánh này mới làm được thao tác này.",
                               code="not_handler")


def locked(report_or_code) -> FieldReport:
    code = report_or_code.code if isinstance(report_or_code, FieldReport) else report_or_code
    report = (FieldReport.objects.select_for_update(of=("self",))
              .select_related("category", "agency", "unit", "reporter").filter(code=code).first())
    if report is None:
        raise NotFound("Không tìm thấy phản ánh.", code="report_not_found")
    return report


def require_status(report, allowed, verb: str) -> None:
    if report.status not in allowed:
        raise Conflict(f"Không thể {verb}: phản ánh {report.code} đang ở trạng thái “{report.get_status_display()}”.",
                       code="wrong_status")


def clean_text(value: str, field: str, label: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(f"Nhập {label}.", code="required", errors=[{"field": field, "message": f"Nhập {label}."}])
    if len(value) > limit:
        message = f"{label[:1].upper()}{label[1:]} dài {len(value):,} ký tự; tối đa {limit:,}.".replace(",", ".")
        raise InvalidInput(message, code="too_long", errors=[{"field": field, "message": message}])
    if TAG.search(value):
        message = f"{label[:1].upper()}{label[1:]} không được chứa mã HTML; hãy viết văn bản thường."
        raise InvalidInput(message, code="html_not_allowed", errors=[{"field": field, "message": message}])
    return value


def reason(kind: str, reason_id, text: str, *, required: bool = True) -> tuple[Reason | None, str]:
    row = (Reason.objects.filter(kind=kind, pk=int(reason_id), is_active=True).first()
           if str(reason_id or "").isdecimal() and len(str(reason_id)) < 10 else None)
    text = clean_text(text, "reason_text", "nội dung lý do", required=False, limit=2000)
    if required and row is None:
        raise InvalidInput("Chọn lý do trong danh sách.", code="reason_required",
                           errors=[{"field": "reason", "message": "Chọn lý do."}])
    return row, text


def actor_name(user) -> str:
    if user is None:
        return "Hệ thống"
    return user.get_full_name() if getattr(user, "is_authenticated", False) else str(user)


def log(report, action: str, to_status: str, *, actor, at, note: str = "", public: bool = True,
        from_status: str | None = None, data: dict | None = None, audit_changes: dict | None = None) -> ReportEvent:
    """The history row and the audit row of one transition (same transaction)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    event = ReportEvent.objects.create(
        report=report, at=at, action=action, from_status=from_status if from_status is not None else report.status,
        to_status=to_status, actor=user, actor_name=actor_name(user) if user else "Hệ thống", agency=report.agency,
        note=note, public=public, data=data or {})
    record(actor=user, action=f"fieldreports.{action}", obj=report,
           changes={"status": [event.from_status, to_status], **(audit_changes or {})})
    return event


def end_stage(report, at) -> None:
    """Close the open stage record (on time or not) and stop its clock."""
    open_row = StageRecord.objects.filter(report=report, ended_at__isnull=True).order_by("-started_at").first()
    if open_row is not None:
        open_row.ended_at = at
        open_row.on_time = at <= open_row.due_at
        open_row.save(update_fields=["ended_at", "on_time"])
    report.stage, report.stage_started_at, report.stage_due_at, report.stage_warn_at = "", None, None, None
    report.escalated_percent, report.next_escalation_at = 0, None


def enter_stage(report, stage: str, at) -> None:
    """Start the stage's clock: its deadline from the category's dated rule and
    the working calendar, and the first rung of its escalation ladder."""
    end_stage(report, at)
    calendar = get_calendar()
    due = rules.stage_due(calendar, report.category, stage, at)
    StageRecord.objects.create(report=report, stage=stage, agency=report.agency, started_at=at, due_at=due)
    report.stage, report.stage_started_at, report.stage_due_at = stage, at, due
    report.stage_warn_at = moment(calendar, at, due, policies.warn_percent(at))  # "due soon" from here on
    percents = [r.percent for r in rules.ladder(report.category, stage, at)]
    report.escalated_percent = 0
    _, report.next_escalation_at = next_rung(calendar, at, due, percents, 0)


def save(report, *fields) -> None:
    report.save(update_fields=[*fields, "status", "agency", "stage", "stage_started_at", "stage_due_at",
                               "stage_warn_at", "escalated_percent", "next_escalation_at", "updated_at"])


def staff_url(report) -> str:
    return reverse("fieldreports:staff_detail", args=[report.code])


def public_url(report) -> str:
    return f"{settings.TINHSO_BASE_URL}{reverse('fieldreports:public_detail', args=[report.code])}"


def tell_staff(users, report, kind: str, title: str, body: str = "") -> None:
    users = list(users)
    url = staff_url(report)
    transaction.on_commit(lambda: notify(users, kind=kind, title=title, body=body, url=url))


def tell_citizens(report, event: ReportEvent, kind: str) -> None:
    """The reporter and followers, by e-mail and SMS, after commit."""
    transaction.on_commit(lambda: _queue_citizens(report.pk, event.pk, kind))


def _queue_citizens(report_id: int, event_id: int, kind: str) -> None:
    from tinhso.fieldreports.models import ReportEvent
    from tinhso.fieldreports.notifications import targets, values
    from tinhso.notifications.citizen import queue_messages
    from tinhso.notifications.tasks import deliver_citizen_messages

    import hashlib

    from tinhso.fieldreports.notifications import reporter_link, reporter_targets

    event = ReportEvent.objects.select_related("report__category").get(pk=event_id)
    report = event.report
    own = set(reporter_targets(report))
    plain = values(report, event)
    signed = {**plain, "tra_cuu": reporter_link(report)}  # only the reporter's messages carry the signed link
    queued = []
    for target in targets(report):  # one message per address (several followers may share a channel)
        digest = hashlib.sha256(target[1].encode()).hexdigest()[:16]
        queued += queue_messages(kind, [target], signed if target in own else plain, f"fr:{event_id}:{digest}",
                                 field_report=report)
    if queued:
        deliver_citizen_messages([m.pk for m in queued])
