"""Dossier codes: `{receiving agency identifier}-{yyMMdd}-{NNNN}` with a
per-agency counter that restarts every day (format seen in production
provincial systems; configurable with TINHSO_DOSSIER_CODE_FORMAT)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import F

from tinhso.dossiers.models import DossierCounter

DEFAULT_FORMAT = "{agency}-{date:%y%m%d}-{number:04d}"


def next_code(agency, day: datetime.date) -> str:
    """Call inside the transaction that creates the dossier: the counter row
    is locked until it commits, so two receptions never share a number."""
    DossierCounter.objects.bulk_create([DossierCounter(agency=agency, day=day, last=0)], ignore_conflicts=True)
    DossierCounter.objects.filter(agency=agency, day=day).update(last=F("last") + 1)
    number = DossierCounter.objects.select_for_update().values_list("last", flat=True).get(agency=agency, day=day)
    fmt = getattr(settings, "TINHSO_DOSSIER_CODE_FORMAT", DEFAULT_FORMAT)
    return fmt.format(agency=agency.code, date=day, number=number)
