"""Dossier codes: `{receiving agency identifier}-{yyMMdd}-{NNNN}` with a
per-agency counter that restarts every day (format seen in production
provincial systems; configurable with TINHSO_DOSSIER_CODE_FORMAT)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import connection

from tinhso.dossiers.models import BookCounter, DossierCounter

DEFAULT_FORMAT = "{agency}-{date:%y%m%d}-{number:04d}"


def _upsert_sql() -> str:
    qn = connection.ops.quote_name
    table, agency, day, last = (qn(DossierCounter._meta.db_table), qn("agency_id"), qn("day"), qn("last"))
    return (f"INSERT INTO {table} ({agency}, {day}, {last}) VALUES (%s, %s, 1) "
            f"ON CONFLICT ({agency}, {day}) DO UPDATE SET {last} = {table}.{last} + 1 RETURNING {last}")


def next_book_number(agency, year: int) -> int:
    """The next entry of the desk's tracking book for `year` (same locking as `next_code`)."""
    qn = connection.ops.quote_name
    table, a, y, last = (qn(BookCounter._meta.db_table), qn("agency_id"), qn("year"), qn("last"))
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({a}, {y}, {last}) VALUES (%s, %s, 1) "
                       f"ON CONFLICT ({a}, {y}) DO UPDATE SET {last} = {table}.{last} + 1 RETURNING {last}",
                       [agency.pk, year])
        return cursor.fetchone()[0]


def next_code(agency, day: datetime.date) -> str:
    """Call inside the transaction that creates the dossier: the counter row
    is locked until it commits, so two receptions never share a number.
    One statement (PostgreSQL and SQLite 3.35+): insert the day's row at 1
    or add one to it, and read the number."""
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(), [agency.pk, connection.ops.adapt_datefield_value(day)])
        number = cursor.fetchone()[0]
    fmt = getattr(settings, "TINHSO_DOSSIER_CODE_FORMAT", DEFAULT_FORMAT)
    return fmt.format(agency=agency.code, date=day, number=number)
