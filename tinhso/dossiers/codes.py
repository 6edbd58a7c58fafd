"""Dossier codes: `{receiving agency identifier}-{yyMMdd}-{NNNN}` with a
per-agency counter that restarts every day (format seen in production
provincial systems; configurable with TINHSO_DOSSIER_CODE_FORMAT)."""

from __future__ import annotations

import datetime

from django.conf import settings

from tinhso.core.counters import next_value
from tinhso.dossiers.models import BookCounter, DossierCounter

DEFAULT_FORMAT = "{agency}-{date:%y%m%d}-{number:04d}"


def next_book_number(agency, year: int) -> int:
    """The next entry of the desk's tracking book for `year` (same locking as `next_code`)."""
    return next_value(BookCounter, {"agency": agency.pk, "year": year})


def next_code(agency, day: datetime.date) -> str:
    """Call inside the transaction that creates the dossier: the counter row
    is locked until it commits, so two receptions never share a number."""
    number = next_value(DossierCounter, {"agency": agency.pk, "day": day})
    fmt = getattr(settings, "TINHSO_DOSSIER_CODE_FORMAT", DEFAULT_FORMAT)
    return fmt.format(agency=agency.code, date=day, number=number)
