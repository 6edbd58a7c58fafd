"""Periodic work on dossiers (run by the task worker, see tasks.py)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tinhso.accounts.models import Role, RoleAssignment
from tinhso.dossiers.policies import due_soon_window
from tinhso.dossiers.models import Dossier, Status
from tinhso.dossiers.notifications import holders
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
    return counts
