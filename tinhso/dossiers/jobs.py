"""Periodic work on dossiers (run by the task worker, see tasks.py)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tinhso.accounts.models import Role, RoleAssignment
from tinhso.dossiers.policies import due_soon_window, supplement_reminder_window
from tinhso.dossiers.models import Dossier, Status
from tinhso.dossiers.notifications import desk_clerks, holders
from tinhso.notifications.actions import notify
from tinhso.workcalendar.engine import get_calendar

RUNNING = (Status.RECEIVED, Status.PROCESSING)


def flag_deadlines(at: datetime.datetime | None = None) -> dict:
    """Tell handlers about dossiers due soon (less than
    the "dossiers.due_soon_working_hours" rule of working time left) and overdue ones
    (handlers and the leaders of the agency). Each dossier is flagged once per
    state; running the job twice sends nothing new."""
    at = at or timezone.now()
    calendar = get_calendar()
    soon_limit = calendar.add_working_time(at, due_soon_window(at))
    counts = {"due_soon": 0, "overdue": 0}
    base = Dossier.objects.filter(status__in=RUNNING, due_at__isnull=False).select_related(
        "current_agency", "current_handler", "procedure")
    for dossier in base.filter(overdue_notified=False, due_at__lt=at).iterator():
        with transaction.atomic():
            if Dossier.objects.filter(pk=dossier.pk, overdue_notified=False).update(overdue_notified=True,
                                                                                  due_soon_notified=True):
                leaders = [a.user for a in RoleAssignment.objects.active().filter(
                    role=Role.LEADER, agency__in=dossier.current_agency.ancestors_and_self()).select_related("user")]
                notify(holders(dossier) + leaders, kind="dossier.overdue", title=f"Hồ sơ quá hạn: {dossier.code}",
                       body=f"{dossier.procedure.name}\nHẹn trả: {timezone.localtime(dossier.due_at):%H:%M %d/%m/%Y}",
                       url=reverse("dossiers:detail", args=[dossier.code]))
                counts["overdue"] += 1
    for dossier in base.filter(due_soon_notified=False, due_at__gte=at, due_at__lte=soon_limit).iterator():
        with transaction.atomic():
            if Dossier.objects.filter(pk=dossier.pk, due_soon_notified=False).update(due_soon_notified=True):
                notify(holders(dossier), kind="dossier.due_soon", title=f"Hồ sơ sắp đến hạn: {dossier.code}",
                       body=f"{dossier.procedure.name}\nHẹn trả: {timezone.localtime(dossier.due_at):%H:%M %d/%m/%Y}",
                       url=reverse("dossiers:detail", args=[dossier.code]))
                counts["due_soon"] += 1
    counts.update(_flag_online_checks(at, soon_limit))
    counts.update(_flag_supplements(at, calendar))
    return counts


def _flag_online_checks(at, soon_limit) -> dict:
    """Online dossiers waiting for the desk's check (status 1) against their
    time limit ("dossiers.online_check_working_hours", kept in step_due_at)."""
    counts = {"check_due_soon": 0, "check_overdue": 0}
    base = Dossier.objects.filter(status=Status.SUBMITTED, step_due_at__isnull=False).select_related(
        "receiving_agency", "procedure")
    for flag, condition, kind, title, key in (
            ("overdue_notified", {"step_due_at__lt": at}, "dossier.check_overdue",
             "Hồ sơ trực tuyến quá hạn kiểm tra", "check_overdue"),
            ("due_soon_notified", {"step_due_at__gte": at, "step_due_at__lte": soon_limit}, "dossier.check_due_soon",
             "Hồ sơ trực tuyến sắp hết hạn kiểm tra", "check_due_soon")):
        for dossier in base.filter(**{flag: False}, **condition).iterator():
            with transaction.atomic():
                marks = {flag: True, "due_soon_notified": True} if flag == "overdue_notified" else {flag: True}
                if Dossier.objects.filter(pk=dossier.pk, **{flag: False}).update(**marks):
                    notify(desk_clerks(dossier), kind=kind, title=f"{title}: {dossier.code}",
                           body=f"{dossier.procedure.name}\nHạn kiểm tra: "
                                f"{timezone.localtime(dossier.step_due_at):%H:%M %d/%m/%Y}",
                           url=reverse("dossiers:detail", args=[dossier.code]))
                    counts[key] += 1
    return counts


def _flag_supplements(at, calendar) -> dict:
    """Remind the citizen before the supplement deadline (once), and tell the
    desk when it has passed (once): they may then refuse or stop the dossier."""
    from tinhso.notifications.citizen import queue_reminder
    from tinhso.notifications.tasks import deliver_citizen_messages

    counts = {"supplement_reminded": 0, "supplement_overdue": 0}
    limit = calendar.add_working_time(at, supplement_reminder_window(at))
    base = Dossier.objects.filter(status=Status.SUPPLEMENT, supplement_due_at__isnull=False).select_related(
        "receiving_agency", "procedure", "citizen")
    for dossier in base.filter(supplement_reminded=False, supplement_due_at__gte=at,
                               supplement_due_at__lte=limit).iterator():
        with transaction.atomic():
            if Dossier.objects.filter(pk=dossier.pk, supplement_reminded=False).update(supplement_reminded=True):
                queued = queue_reminder(dossier, "supplement_due",
                                        f"supplement:{dossier.pk}:{dossier.supplement_due_at:%Y%m%d%H%M}")
                ids = [m.pk for m in queued]
                transaction.on_commit(lambda ids=ids: ids and deliver_citizen_messages(ids))
                counts["supplement_reminded"] += 1
    for dossier in base.filter(overdue_notified=False, supplement_due_at__lt=at).iterator():
        with transaction.atomic():
            if Dossier.objects.filter(pk=dossier.pk, overdue_notified=False).update(overdue_notified=True,
                                                                                  supplement_reminded=True):
                notify(desk_clerks(dossier), kind="dossier.supplement_overdue",
                       title=f"Hồ sơ quá hạn bổ sung: {dossier.code}",
                       body=f"{dossier.procedure.name}\nHạn bổ sung: "
                            f"{timezone.localtime(dossier.supplement_due_at):%H:%M %d/%m/%Y}. Có thể từ chối hoặc "
                            "dừng giải quyết vì quá hạn bổ sung.",
                       url=reverse("dossiers:detail", args=[dossier.code]))
                counts["supplement_overdue"] += 1
    return counts
