"""The demo's sync history: events older than a day count as sent to the
(sandbox) national portal, as the sync job would have done while the demo
province ran; the last day's wait in the outbox, so the reconciliation page
shows a realistic backlog. The sandbox's side is written directly (the seed
runs with no server); nothing here runs in production."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from tinhso.nationalportal.models import SandboxRecord, SyncItem, SyncStatus
from tinhso.nationalportal.protocol import message
from tinhso.nationalportal.sender import refs_for

KEEP = datetime.timedelta(days=1)


@transaction.atomic
def drain_old(now: datetime.datetime | None = None) -> int:
    if not settings.TINHSO_NATIONAL_PORTAL_SANDBOX:
        return 0
    now = now or timezone.now()
    items = list(SyncItem.objects.filter(status=SyncStatus.PENDING).order_by("id"))
    drained, drained_dossiers, records = [], set(), []
    refs = refs_for(items) if items else {}
    for item in items:
        at = parse_datetime(item.payload.get("at") or "") or now
        item.created_at = item.next_attempt_at = at
        if at < now - KEEP:
            item.status, item.sent_at, item.attempts = SyncStatus.SENT, at + datetime.timedelta(minutes=1), 1
            body = message(item, refs)
            records.append(SandboxRecord(key=item.key, unit_code=body["MaDonVi"], dossier_code=item.dossier_code,
                                         status_code=item.status_code, body=body["data"][0]))
            drained.append(item.event_id)
            drained_dossiers.add(item.dossier_id)
    SyncItem.objects.bulk_update(items, ["created_at", "next_attempt_at", "status", "sent_at", "attempts"])
    SandboxRecord.objects.bulk_create(records, ignore_conflicts=True)
    from tinhso.dossiers.flags import refresh_many
    from tinhso.dossiers.models import Dossier, DossierEvent

    DossierEvent.objects.filter(pk__in=drained).update(sync_status="synced")
    refresh_many(Dossier.objects.filter(pk__in=drained_dossiers), group="sync")  # their `portal_synced` flags
    return len(drained)
