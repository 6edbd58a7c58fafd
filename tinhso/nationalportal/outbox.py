"""Writing the sync outbox: one row per dossier history event, in the
event's own transaction, as one INSERT (no reads: the dossier and the event
are in memory). Called from `tinhso.dossiers.actions._base.write_event`."""

from __future__ import annotations

from django.utils import timezone

from tinhso.nationalportal.models import SyncItem


def _iso(moment):
    return moment.isoformat() if moment is not None else None


def snapshot(dossier, event) -> dict:
    """The event as the portal should see it, as of the event (statuses, step,
    times, people); codes, components, fees and the result files are added
    when the row is sent (`protocol.message`)."""
    return {
        "event_id": event.pk,
        "action": event.action,
        "at": _iso(event.at),
        "from_status": event.from_status,
        "status": event.to_status,
        "step_name": event.step_name,
        "sender_name": event.sender_name,
        "receiver_name": event.receiver_name,
        "step_due_at": _iso(event.step_due_at),
        "comment": (event.comment or "")[:2000],
        "dossier": {
            "code": dossier.code,
            "procedure_id": dossier.procedure_id,
            "case_id": dossier.case_id,
            "receiving_agency_id": dossier.receiving_agency_id,
            "competent_agency_id": dossier.competent_agency_id,
            "channel": dossier.channel,
            "owner_name": dossier.owner_name,
            "owner_id_type": dossier.owner_id_type,
            "owner_id_number": dossier.owner_id_number,
            "submitted_at": _iso(dossier.submitted_at),
            "received_at": _iso(dossier.received_at),
            "due_at": _iso(dossier.due_at),
            "finished_at": _iso(dossier.finished_at),
            "returned_at": _iso(dossier.returned_at),
            "delivery_method": dossier.delivery_method,
            "return_method": dossier.return_method,
            "result_summary": dossier.result_summary,
            "result_number": dossier.result_number,
            "result_signer": dossier.result_signer,
            "result_signed_at": _iso(dossier.result_signed_at),
            "outcome": dossier.outcome,
        },
    }


# History rows that stay in Tỉnh Số: our own checks against the national databases
# (docs/national-registries.md) are not steps of the procedure the portal tracks.
LOCAL_ONLY = {"national_check"}


def enqueue(dossier, event) -> SyncItem | None:
    """One INSERT: the event waits in the outbox until the sync job sends it."""
    if event.action in LOCAL_ONLY:
        return None
    now = timezone.now()
    return SyncItem.objects.create(
        key=str(event.pk), dossier_id=dossier.pk, event_id=event.pk, agency_id=dossier.receiving_agency_id,
        dossier_code=dossier.code, status_code=event.to_status, payload=snapshot(dossier, event),
        next_attempt_at=now, created_at=now)
