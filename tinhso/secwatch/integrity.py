"""The audit log's integrity check. Audit rows carry no hash of their own, so
this app seals them: each seal is a SHA-256 over a run of rows (their id,
time, actor name, action, object and changes), chained to the previous seal.
The daily check recomputes every seal (a changed, removed or inserted row
breaks it), then seals the rows written since. Rows are sealed once they are
a few minutes old, so a transaction still open cannot slip a lower id in
behind a seal. What it cannot see: a change made before its row was sealed,
and a rewrite of the seals themselves by someone with database access (keep
the seals' digests in the SIEM: every check's result is a security event,
`audit_integrity` (critical) when something is wrong, else `audit_checked`
(information) carrying the last seal's digest)."""

from __future__ import annotations

import datetime
import hashlib
import json

from django.db import transaction
from django.utils import timezone

from tinhso.secwatch.events import record_event
from tinhso.secwatch.models import AuditSeal, Kind, Severity

GENESIS = "0" * 64
SETTLE = datetime.timedelta(minutes=5)
SEAL_SIZE = 5000
FIELDS = ("id", "created_at", "actor_repr", "action", "object_id", "object_repr", "changes", "note", "personal_data")


def _row_bytes(row: dict) -> bytes:
    values = dict(row)
    values["created_at"] = values["created_at"].astimezone(datetime.timezone.utc).isoformat()
    return json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def _digest(prev: str, first_id: int, last_id: int) -> tuple[str, int]:
    from tinhso.audit.models import AuditEvent

    h = hashlib.sha256(prev.encode())
    count = 0
    for row in (AuditEvent.objects.filter(id__gte=first_id, id__lte=last_id).order_by("id")
                .values(*FIELDS).iterator(chunk_size=2000)):
        h.update(_row_bytes(row))
        count += 1
    return h.hexdigest(), count


def verify() -> list[dict]:
    """Every problem found among the sealed rows (empty: intact)."""
    problems, prev = [], GENESIS
    for seal in AuditSeal.objects.order_by("last_id"):
        if seal.prev_digest != prev:
            problems.append({"seal": f"{seal.first_id}..{seal.last_id}", "problem": "chuỗi niêm phong bị đứt"})
        digest, count = _digest(seal.prev_digest, seal.first_id, seal.last_id)
        if count != seal.count:
            problems.append({"seal": f"{seal.first_id}..{seal.last_id}",
                             "problem": f"số bản ghi {count}, khi niêm phong là {seal.count} (bị xóa hoặc chèn)"})
        elif digest != seal.digest:
            problems.append({"seal": f"{seal.first_id}..{seal.last_id}",
                             "problem": "nội dung bản ghi đã bị sửa sau khi niêm phong"})
        prev = seal.digest
    return problems


def seal_new(now=None) -> int:
    """Seal the rows written since the last seal (older than SETTLE)."""
    from tinhso.audit.models import AuditEvent

    now = now or timezone.now()
    made = 0
    with transaction.atomic():
        last = AuditSeal.objects.select_for_update().order_by("-last_id").first()
        after, prev = (last.last_id, last.digest) if last else (0, GENESIS)
        while True:
            ids = list(AuditEvent.objects.filter(id__gt=after, created_at__lte=now - SETTLE).order_by("id")
                       .values_list("id", flat=True)[:SEAL_SIZE])
            if not ids:
                break
            digest, count = _digest(prev, after + 1, ids[-1])
            AuditSeal.objects.create(first_id=after + 1, last_id=ids[-1], count=count, prev_digest=prev, digest=digest)
            after, prev = ids[-1], digest
            made += 1
    return made


def check(now=None) -> dict:
    """The daily check: verify, seal the new rows, and record the result: a
    critical `audit_integrity` event on any problem, else an information
    `audit_checked` event with the number of seals and the last seal's range
    and digest (so the SIEM keeps a copy of the chain's head that someone
    rewriting the seals in the database cannot change). Returns
    {"problems": [...], "sealed": n, "seals": total}."""
    problems = verify()
    sealed = seal_new(now)
    seals = AuditSeal.objects.count()
    last = AuditSeal.objects.order_by("-last_id").first()
    head = {"seals": seals, "sealed": sealed, "last_id": last.last_id if last else 0,
            "digest": last.digest if last else GENESIS}
    if problems:
        record_event(Kind.AUDIT_INTEGRITY, Severity.CRITICAL, detail={"problems": problems[:50], **head})
    else:
        record_event(Kind.AUDIT_CHECKED, Severity.INFO, detail=head)
    return {"problems": problems, "sealed": sealed, "seals": seals}
