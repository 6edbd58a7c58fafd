"""Tra cứu hồ sơ công khai: the anonymous look-up of a dossier by its code,
shared by the public page /tra-cuu/ and the public API
/api/v1/public/dossiers/{code}.

A code is guessable (`{agency}-{yyMMdd}-{NNNN}`), so the look-up needs a
second factor: the last 4 digits of the applicant's phone. An unknown code and
a wrong phone give the same answer, so codes cannot be enumerated. What is
shown is the status and the dates only, never personal data (owner, ID number,
phone, address, subject, form data, files)."""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.catalogue.queries import cached_refs
from tinhso.core.errors import TooManyAttempts
from tinhso.core.security import rate_limited
from tinhso.dossiers.models import Dossier, Outcome, Status
from tinhso.dossiers.rules import RUNNING

PHONE_DIGITS = 4
_SPACE = re.compile(r"\s+")


def normalise_code(raw: str) -> str:
    """What a citizen types or a QR scanner reads: spaces anywhere are dropped."""
    return _SPACE.sub("", raw or "")


# What the public may see, read in one single-table query without the personal
# columns (only `owner_phone`, to check the second factor). The names of the
# procedure and the agencies come from the catalogue cache (`cached_refs`):
# joining them cost PostgreSQL five times the look-up itself.
PUBLIC_FIELDS = ("code", "status", "owner_phone", "received_at", "due_at", "finished_at", "returned_at", "outcome",
                 "procedure_id", "receiving_agency_id", "competent_agency_id")


def find_public(code: str, phone_last_digits: str, *, address: str = "") -> dict | None:
    """The public status (see `public_status`) of the dossier with this code
    whose applicant's phone ends with `phone_last_digits` (exactly 4 digits),
    else None.

    The code is matched as typed and upper-cased (codes are `...H13-...`, a
    citizen may type `h13`), both through the unique index on `code`. One
    query, no ordering, only the public columns (and, when not cached, the
    names of the procedure and agencies).

    The 4 digits have only 10,000 values: after TINHSO_LOOKUP_MAX_FAILURES
    failed tries on one code within TINHSO_LOOKUP_LOCK_MINUTES, that code is
    refused (`TooManyAttempts`, 429) until the window ends, whoever asks; each
    refusal is a security event (`api_limited`, limiter `dossiers.lookup`,
    from the client `address` the caller passes)."""
    code = normalise_code(code)
    digits = (phone_last_digits or "").strip()
    if not code or len(digits) != PHONE_DIGITS or not digits.isdecimal():
        return None
    key = f"lookup-failures:{code.upper()}"
    limit = settings.TINHSO_LOOKUP_MAX_FAILURES
    if limit and (cache.get(key) or 0) >= limit:
        rate_limited("dossiers.lookup", address=address, code=code[:80], limit=limit,
                     window_seconds=settings.TINHSO_LOOKUP_LOCK_MINUTES * 60)
        raise TooManyAttempts(_("Mã hồ sơ này đã bị tra cứu sai quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút.")
                              % {"minutes": settings.TINHSO_LOOKUP_LOCK_MINUTES})
    with connection.cursor() as cursor:
        cursor.execute(_lookup_sql(), [code, code.upper()])
        rows = cursor.fetchall()
    for values in rows:
        row = dict(zip(PUBLIC_FIELDS, values))
        phone = "".join(ch for ch in row["owner_phone"] if ch.isdecimal())
        if phone and phone.endswith(digits):
            refs = cached_refs([("procedure", row["procedure_id"]), ("agency", row["receiving_agency_id"]),
                                ("agency", row["competent_agency_id"])])
            return public_status(row, refs)
    if limit:
        cache.add(key, 0, settings.TINHSO_LOOKUP_LOCK_MINUTES * 60)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, settings.TINHSO_LOOKUP_LOCK_MINUTES * 60)
    return None


_COMPILED: dict[str, str] = {}


def _lookup_sql() -> str:
    """The look-up query, built by the ORM and compiled to SQL once per
    database vendor: this is the hottest public endpoint, and compiling the
    query anew each time (≈ 0.3 ms) cost more than running it
    (docs/performance.md)."""
    sql = _COMPILED.get(connection.vendor)
    if sql is None:
        marks = ["code-mark-1", "code-mark-2"]
        query = Dossier.objects.filter(code__in=marks).order_by().values_list(*PUBLIC_FIELDS).query
        sql, params = query.get_compiler(connection=connection).as_sql()
        if list(params) != marks:  # the two codes must be the query's only parameters, in this order
            raise RuntimeError(f"unexpected parameters in the public look-up query: {params!r}")
        _COMPILED[connection.vendor] = sql
    return sql


def _local(moment):
    """Vietnam time; a naive value (SQLite through a plain cursor) is UTC."""
    if moment is None:
        return None
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=datetime.UTC)
    return timezone.localtime(moment)


def public_status(row: dict, refs: dict, at=None) -> dict:
    """What the public may see of a dossier (the content of the /tra-cuu/ card,
    plus whether it is on time), from a `PUBLIC_FIELDS` row and the names of
    its procedure and agencies (`cached_refs`)."""
    at = at or timezone.now()
    status, outcome, due_at = row["status"], row["outcome"], _local(row["due_at"])
    return {
        "code": row["code"],
        "status": status,
        "status_label": str(Status(status).label),
        "procedure": refs[("procedure", row["procedure_id"])],
        "receiving_agency": refs[("agency", row["receiving_agency_id"])],
        "competent_agency": refs[("agency", row["competent_agency_id"])],
        "received_at": _local(row["received_at"]),
        "due_at": due_at,
        "finished_at": _local(row["finished_at"]),
        "returned_at": _local(row["returned_at"]),
        "outcome": outcome or None,
        "outcome_label": str(Outcome(outcome).label) if outcome else "",
        "overdue": status in RUNNING and due_at is not None and due_at < at,
    }
