"""The sync job: send the outbox to the national portal, oldest first per
dossier, exactly once as far as the portal can tell.

- Only a dossier's *head* is sent: the oldest row of the dossier that is not
  yet sent. A later row never overtakes an earlier pending or failed one.
- Rows are claimed with one conditional UPDATE (pending, due, not leased):
  of two workers the UPDATE lets one win each row, on SQLite and PostgreSQL
  alike; a lease that runs out (a worker died) frees the row again.
- A row is marked sent only on the portal's acknowledgement of its key. A
  resend after a lost acknowledgement carries the same key, and the portal
  keeps one copy (it answers `TrungLap`).
- Failures back off per row (1, 2, 4 … minutes, at most an hour); the portal
  unreachable ends the run at once (the breaker in outbound.call protects it
  from the other workers); a refusal of the content marks the row failed
  for a person to look at (reconciliation page, "Gửi lại")."""

from __future__ import annotations

import datetime
import logging
import uuid

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from tinhso.audit.actions import record
from tinhso.integration.outbound import BadAnswer, Unavailable
from tinhso.nationalportal.models import SyncItem, SyncStatus
from tinhso.nationalportal.protocol import PortalClient, Refused

log = logging.getLogger("tinhso.nationalportal")

LEASE = datetime.timedelta(minutes=5)
MAX_BACKOFF = datetime.timedelta(hours=1)
PASS_SIZE = 100


def backoff(attempts: int) -> datetime.timedelta:
    return min(datetime.timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def heads(now: datetime.datetime):
    """Rows that may be sent now: pending, due, not leased, and the oldest unsent row of their dossier."""
    earlier = SyncItem.objects.filter(dossier_id=OuterRef("dossier_id"), id__lt=OuterRef("id"),
                                      status__in=[SyncStatus.PENDING, SyncStatus.FAILED])
    return (SyncItem.objects.filter(status=SyncStatus.PENDING, next_attempt_at__lte=now)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .filter(~Exists(earlier)).order_by("id"))


def claim(ids, token: str, now: datetime.datetime) -> int:
    """One conditional UPDATE: the rows still free become ours."""
    return (SyncItem.objects.filter(pk__in=list(ids), status=SyncStatus.PENDING, next_attempt_at__lte=now)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .update(claim=token, claimed_until=now + LEASE))


def refs_for(items) -> dict:
    """What the messages of a batch need from other tables, in one query each."""
    from tinhso.agencies.models import Agency
    from tinhso.catalogue.models import Procedure
    from tinhso.dossiers.models import DossierComponent, DossierFile
    from tinhso.payments.models import PaymentRequest

    dossier_ids = {i.dossier_id for i in items}
    procedure_ids = {i.payload["dossier"]["procedure_id"] for i in items}
    agency_ids = {i.payload["dossier"][k] for i in items for k in ("receiving_agency_id", "competent_agency_id")}
    refs = {"procedures": dict(Procedure.objects.filter(pk__in=procedure_ids).values_list("id", "code")),
            "agencies": dict(Agency.objects.filter(pk__in=agency_ids).values_list("id", "code")),
            "components": {}, "fees": {}, "results": {}}
    for c in DossierComponent.objects.filter(dossier_id__in=dossier_ids).order_by("order", "id").values(
            "dossier_id", "name", "originals", "copies", "reused_from_data_store"):
        refs["components"].setdefault(c["dossier_id"], []).append(
            {"name": c["name"], "originals": c["originals"], "copies": c["copies"],
             "reused": c["reused_from_data_store"]})
    for p in PaymentRequest.objects.filter(dossier_id__in=dossier_ids).order_by("id").values(
            "dossier_id", "description", "amount", "method", "status"):
        refs["fees"].setdefault(p["dossier_id"], []).append(
            {"name": p["description"], "amount": p["amount"], "method": p["method"], "paid": p["status"] == "paid"})
    for f in DossierFile.objects.filter(dossier_id__in=dossier_ids, kind="result").order_by("id").values(
            "dossier_id", "original_name", "sha256"):
        refs["results"].setdefault(f["dossier_id"], []).append({"TenTep": f["original_name"], "SHA256": f["sha256"]})
    return refs


def _sent(item, token: str) -> None:
    from tinhso.dossiers.flags import refresh
    from tinhso.dossiers.models import DossierEvent

    with transaction.atomic():
        if SyncItem.objects.filter(pk=item.pk, claim=token).update(
                status=SyncStatus.SENT, sent_at=timezone.now(), claimed_until=None, claim="", last_error="",
                attempts=F("attempts") + 1):
            DossierEvent.objects.filter(pk=item.event_id).update(sync_status="synced")
            refresh(item.dossier_id, "sync")  # the dossier's `portal_synced` flag (tinhso/dossiers/flags.py)


def _later(item, token: str, error: str, now: datetime.datetime) -> None:
    SyncItem.objects.filter(pk=item.pk, claim=token).update(
        attempts=F("attempts") + 1, next_attempt_at=now + backoff(item.attempts + 1), claimed_until=None, claim="",
        last_error=error[:2000])


def _refused(item, token: str, error: str) -> None:
    with transaction.atomic():
        if SyncItem.objects.filter(pk=item.pk, claim=token).update(
                status=SyncStatus.FAILED, attempts=F("attempts") + 1, claimed_until=None, claim="",
                last_error=error[:2000]):
            record(actor=None, action="nationalportal.sync.refused", obj=item, note=error[:500])


def send_pending(*, now: datetime.datetime | None = None, limit: int = 2000) -> dict:
    """Send what is due. Returns counts (sent, retry, refused) for the job's log."""
    counts = {"sent": 0, "retry": 0, "refused": 0}
    client = PortalClient()
    if not client.enabled:
        return {**counts, "skipped": "TINHSO_NATIONAL_PORTAL_URL not set"}
    token = uuid.uuid4().hex
    while limit > 0:
        moment = now or timezone.now()
        ids = list(heads(moment).values_list("id", flat=True)[:min(limit, PASS_SIZE)])
        if not ids or not claim(ids, token, moment):
            break
        items = list(SyncItem.objects.filter(pk__in=ids, claim=token).order_by("id"))
        limit -= len(items)
        refs = refs_for(items)
        for n, item in enumerate(items):
            try:
                client.sync(item, refs)
            except Unavailable as exc:
                _later(item, token, f"Không kết nối được Cổng DVCQG: {exc.detail}", moment)
                counts["retry"] += 1
                # the portal is down: give the rest back untouched and stop
                SyncItem.objects.filter(pk__in=[i.pk for i in items[n + 1:]], claim=token).update(
                    claimed_until=None, claim="")
                log.warning("national portal unavailable, %s rows wait: %s", len(items) - n, exc.detail)
                return counts
            except Refused as exc:
                _refused(item, token, exc.message)
                counts["refused"] += 1
            except BadAnswer as exc:
                _later(item, token, f"Cổng DVCQG trả lời không hợp lệ: {exc.detail}", moment)
                counts["retry"] += 1
            else:
                _sent(item, token)
                counts["sent"] += 1
    return counts
