"""Pulling events from rows other apps already write, from a stored cursor
on: audit rows (personal-data access, sign-in locks, administrative changes)
and the integration gateway's message log (credentials refused, rate limits
hit). Nothing in those apps changes for this."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from tinhso.secwatch.events import evaluate_safely
from tinhso.secwatch.models import AlertRule, Cursor, Kind, SecurityEvent, Severity

# Audit actions that are administrative changes worth a security officer's eye.
ADMIN_PREFIXES = ("accounts.", "integration.", "policies.", "secwatch.", "signatures.credential",
                  "directory.certificate.", "backups.")
# Rows this young may still have a lower-id sibling in an open transaction: left for the next pull.
SETTLE = datetime.timedelta(seconds=30)
BATCH = 2000


def _cursor(name: str) -> Cursor:
    cursor, _ = Cursor.objects.get_or_create(name=name)
    return Cursor.objects.select_for_update().get(pk=cursor.pk)


def classify_audit(row) -> tuple[str, str] | None:
    if row.action == "accounts.signin.locked":
        return Kind.SIGNIN_LOCKED, Severity.HIGH
    if row.personal_data:
        return Kind.PERSONAL_DATA, Severity.INFO
    if row.action.startswith(ADMIN_PREFIXES) and not row.action.startswith("secwatch.events"):
        return Kind.ADMIN_CHANGE, Severity.INFO
    return None


def _store(events: list[SecurityEvent]) -> list[SecurityEvent]:
    SecurityEvent.objects.bulk_create(events, ignore_conflicts=True)
    return events


def pull_audit(now=None) -> int:
    from tinhso.audit.models import AuditEvent

    now = now or timezone.now()
    with transaction.atomic():
        cursor = _cursor("audit")
        rows = list(AuditEvent.objects.filter(id__gt=cursor.position, created_at__lte=now - SETTLE)
                    .select_related("content_type").order_by("id")[:BATCH])
        events = []
        for row in rows:
            found = classify_audit(row)
            if found is None:
                continue
            kind, severity = found
            changes = row.changes if isinstance(row.changes, dict) else {}
            events.append(SecurityEvent(
                at=row.created_at, kind=kind, severity=severity,
                username=(row.actor_repr if row.actor_repr != "system" else str(changes.get("key", "")))[:200],
                address=str(changes.get("address", ""))[:64], detail={"action": row.action, "note": row.note[:300]},
                object_type=f"{row.content_type.app_label}.{row.content_type.model}" if row.content_type else "",
                object_id=row.object_id, object_repr=row.object_repr, source="audit", source_id=row.id))
        _store(events)
        if rows:
            cursor.position = rows[-1].id
            cursor.save()
    _evaluate(events)
    return len(events)


def pull_gateway() -> int:
    from tinhso.integration.models import MessageLog

    with transaction.atomic():
        cursor = _cursor("gateway")
        rows = list(MessageLog.objects.filter(seq__gt=cursor.position).select_related("client", "credential")
                    .order_by("seq")[:BATCH])
        events = []
        for row in rows:
            if row.direction != "in" or row.outcome not in ("refused", "limited"):
                continue
            events.append(SecurityEvent(
                at=row.at, kind=Kind.API_REFUSED if row.outcome == "refused" else Kind.API_LIMITED,
                severity=Severity.WARNING, username=(row.client.code if row.client else "")[:200],
                address=row.address, detail={"service": row.service, "operation": row.operation[:200],
                                             "status": row.status},
                object_type="integration.messagelog", object_id=str(row.seq), object_repr=str(row)[:300],
                source="gateway", source_id=row.seq))
        _store(events)
        if rows:
            cursor.position = rows[-1].seq
            cursor.save()
    _evaluate(events)
    return len(events)


def _evaluate(events) -> None:
    if not events:
        return
    kinds = {e.kind for e in events}
    rules = list(AlertRule.objects.filter(active=True, kind__in=kinds))
    if not rules:
        return
    stored = {(e.source, e.source_id) for e in events}
    sources = {s for s, _ in stored}
    for event in SecurityEvent.objects.filter(source__in=sources,
                                              source_id__in=[i for _, i in stored]).order_by("at", "id"):
        evaluate_safely(event, [r for r in rules if r.kind == event.kind])


def collect() -> dict:
    return {"audit": pull_audit(), "gateway": pull_gateway()}
