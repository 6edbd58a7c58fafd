"""Reading the dated category rules: the stage deadline, the route by area
and the escalation ladder in force at a moment."""

from __future__ import annotations

import datetime

from django.db.models import F, Q
from django.utils import timezone

from tinhso.fieldreports.models import CategoryRoute, EscalationStep, StageDeadline
from tinhso.fieldreports.models.category import in_force
from tinhso.workcalendar.engine import WORKING_DAYS
from tinhso.workcalendar.policies import due_for

# The row in force that started last; a row without a start date is the oldest (NULLs sort differently on
# SQLite and PostgreSQL, so say it).
LATEST = F("valid_from").desc(nulls_last=True)

# Used while a category has no deadline row for a stage (the Đà Nẵng tiers: confirm the same working day,
# handle in 3 working days, publish in 1).
FALLBACK = {"confirm": (8, "working_hours"), "handle": (3, WORKING_DAYS), "answer": (1, WORKING_DAYS)}


def deadline(category, stage: str, at: datetime.datetime) -> tuple[int, str]:
    row = (in_force(StageDeadline.objects.filter(category=category, stage=stage), timezone.localdate(at))
           .order_by(LATEST).first())
    return (row.amount, row.unit) if row else FALLBACK[stage]


def stage_due(calendar, category, stage: str, start: datetime.datetime) -> datetime.datetime:
    amount, unit = deadline(category, stage, start)
    return due_for(calendar, start, amount, unit)


def route(category, unit, at: datetime.datetime):
    """The agency responsible for `category` in commune `unit`: the commune's
    own row, else the whole province's; None sends the report to the centre's
    queue."""
    rows = in_force(CategoryRoute.objects.filter(category=category).filter(Q(unit=unit) | Q(unit__isnull=True)),
                    timezone.localdate(at)).select_related("agency").order_by("unit_id", LATEST)
    best = None
    for row in rows:
        if row.unit_id == unit.pk:
            return row.agency
        best = best or row.agency
    return best


def ladder(category, stage: str, at: datetime.datetime) -> list[EscalationStep]:
    """The rungs for the stage: the category's own rows replace the general ones."""
    rows = list(in_force(EscalationStep.objects.filter(stage=stage).filter(Q(category=category) |
                                                                           Q(category__isnull=True)),
                         timezone.localdate(at)))
    own = [r for r in rows if r.category_id == category.pk]
    return own or [r for r in rows if r.category_id is None]
