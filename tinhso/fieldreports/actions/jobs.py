"""Periodic work on field reports: the escalation ladder and closing
published reports nobody rated (run by tinhso/fieldreports/tasks.py)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from tinhso.fieldreports import policies, rules
from tinhso.fieldreports.actions.common import end_stage, log, save, tell_staff
from tinhso.fieldreports.models import FieldReport, Notify, Status
from tinhso.fieldreports.people import centre_agencies, centre_staff, handlers, leaders, parent_leaders
from tinhso.workcalendar.engine import get_calendar
from tinhso.workcalendar.stages import next_rung

STAGE_NAMES = {"confirm": "xác nhận", "handle": "xử lý", "answer": "duyệt kết quả"}


def _recipients(kind: str, report) -> list:
    """Who a rung names. The confirm and answer stages (and a report in the
    centre's queue) are the centre's work: its staff, its leaders, the level
    above it; the handle stage is the agency's."""
    if report.stage != "handle" or report.agency is None:
        centres = centre_agencies()
        if kind == Notify.AGENCY_LEADERS:
            return [u for a in centres for u in leaders(a)] or centre_staff()
        if kind == Notify.PARENT_LEADERS:
            return [u for a in centres for u in parent_leaders(a)] or centre_staff()
        return centre_staff()
    if kind == Notify.HANDLERS:
        return handlers(report.agency)
    if kind == Notify.AGENCY_LEADERS:
        return leaders(report.agency)
    if kind == Notify.PARENT_LEADERS:
        return parent_leaders(report.agency)
    return centre_staff()


def escalate(at: datetime.datetime | None = None) -> dict:
    """Tell each rung of the ladder once: for every report whose next rung is
    reached, everyone that rung names; then set the next rung."""
    at = at or timezone.now()
    calendar = get_calendar()
    counts = {"warned": 0, "breached": 0}
    due = FieldReport.objects.filter(next_escalation_at__lte=at).values_list("pk", flat=True)
    for pk in list(due[:5000]):
        with transaction.atomic():
            report = (FieldReport.objects.select_for_update(of=("self",))
                      .select_related("category", "agency__parent", "unit").filter(pk=pk, next_escalation_at__lte=at)
                      .first())
            if report is None or not report.stage:
                continue
            steps = rules.ladder(report.category, report.stage, report.stage_started_at)
            percents = sorted({s.percent for s in steps})
            reached = [p for p in percents if p > report.escalated_percent and
                       next_rung(calendar, report.stage_started_at, report.stage_due_at, [p], 0)[1] <= at]
            if not reached:
                _, report.next_escalation_at = next_rung(calendar, report.stage_started_at, report.stage_due_at,
                                                         percents, report.escalated_percent)
                report.save(update_fields=["next_escalation_at"])
                continue
            top = max(reached)
            people = []
            for step in steps:
                if step.percent in reached:
                    people += _recipients(step.notify, report)
            overdue = top >= 100
            stage = STAGE_NAMES.get(report.stage, report.stage)
            title = (f"Phản ánh quá hạn {stage}: {report.code}" if overdue
                     else f"Phản ánh sắp đến hạn {stage}: {report.code}")
            tell_staff(people, report, "fieldreport.overdue" if overdue else "fieldreport.due_soon", title,
                       f"{report.category.name} · {report.unit.name}\nHạn: "
                       f"{timezone.localtime(report.stage_due_at):%H:%M %d/%m/%Y} · đã dùng {top}% thời hạn")
            report.escalated_percent = top
            _, report.next_escalation_at = next_rung(calendar, report.stage_started_at, report.stage_due_at,
                                                     percents, top)
            report.save(update_fields=["escalated_percent", "next_escalation_at"])
            log(report, "escalate", report.status, actor=None, at=at, public=False,
                data={"stage": report.stage, "percent": top, "told": sorted({u.pk for u in people})})
            counts["breached" if overdue else "warned"] += 1
    return counts


def close_unrated(at: datetime.datetime | None = None) -> int:
    """Published reports the reporter did not rate within the rule's days close."""
    at = at or timezone.now()
    closed = 0
    candidates = FieldReport.objects.filter(status=Status.PUBLISHED, published_at__lte=at - datetime.timedelta(days=1))
    for pk, published in list(candidates.values_list("pk", "published_at")[:5000]):
        if published + datetime.timedelta(days=policies.auto_close_days(published)) > at:
            continue
        with transaction.atomic():
            report = FieldReport.objects.select_for_update().filter(pk=pk, status=Status.PUBLISHED).first()
            if report is None:
                continue
            report.status, report.closed_at = Status.CLOSED, at
            end_stage(report, at)
            save(report, "closed_at")
            log(report, "auto_close", Status.CLOSED, actor=None, at=at, from_status=Status.PUBLISHED,
                note="Tự đóng: người phản ánh không đánh giá trong thời hạn.")
            closed += 1
    return closed
