"""Sending and receiving edXML messages. A message is stored first
(`ExchangeMessage`, state pending) and delivered after the transaction that
made it commits; one that fails is kept and retried by the periodic job,
never lost. A recipient agency of this installation receives it through the
same parser as a message from the national axis (signature, hashes, limits,
duplicates by DocumentId)."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from tinhso.agencies.models import Agency
from tinhso.officialdocs import edxml
from tinhso.officialdocs.models import Direction, ExchangeMessage

log = logging.getLogger("tinhso.officialdocs")


def organ(agency) -> edxml.Organ:
    return edxml.Organ(organ_id=agency.code, name=agency.name, address=agency.address, email=agency.email,
                       telephone=agency.phone)


def document_id(doc) -> str:
    return f"{doc.agency.code},{doc.issued_on:%Y/%m/%d},{doc.number}/{doc.symbol}"


def queue_document(doc, signed_pdf: bytes, *, at, business_type: int = 0, reason: str = "",
                   recipients=None) -> list[ExchangeMessage]:
    from tinhso.signatures import pki

    recipients = list(doc.recipients.all()) if recipients is None else list(recipients)
    message = edxml.EdDocument(
        sender=organ(doc.agency), recipients=[edxml.Organ(r.organ_id, r.name) for r in recipients],
        document_id=document_id(doc), code_number=str(doc.number), code_notation=doc.symbol, place=doc.place,
        promulgation_date=doc.issued_on, type_code=doc.doc_type.abbreviation, type_name=doc.doc_type.name,
        subject=doc.summary, signer_position=doc.signer_position, signer_name=doc.signer_name,
        due_date=doc.reply_due, priority={"normal": 0, "urgent": 1, "very_urgent": 2, "express": 3}[doc.urgency],
        to_places=[r.name[:150] for r in recipients], staff_name=doc.drafter.get_full_name() if doc.drafter
        else "", attachments=([edxml.Attachment(f"{doc.number}-{doc.symbol}.pdf".replace("/", "-"), "application/pdf",
                                                signed_pdf, doc.summary[:500])] + _attachments(doc)) if signed_pdf else [],
        timestamp=at, business_type=business_type, business_reason=reason[:500],
        response_for=doc.relates_to.sender_document_id if doc.relates_to_id else "")
    body = edxml.build_document(message, credential=pki.credential_for_agency(doc.agency))
    doc.sender_document_id = message.document_id  # an outgoing document keeps its own DocumentId
    doc.save(update_fields=["sender_document_id"])
    rows = [ExchangeMessage.objects.create(direction=Direction.OUTGOING, kind="edoc", document=doc,
                                           edxml_id=message.document_id, from_organ=doc.agency.code,
                                           to_organ=r.organ_id, body=body) for r in recipients]
    ids = [r.pk for r in rows]
    transaction.on_commit(lambda: deliver(ids))
    return rows


def _attachments(doc) -> list[edxml.Attachment]:
    out = []
    for row in doc.files.filter(role="attachment"):
        with row.file.open("rb") as handle:
            out.append(edxml.Attachment(row.original_name[:200], row.content_type, handle.read(), "Phụ lục, tài liệu kèm"))
    return out


def queue_status(*, incoming_doc, code: str, description: str, actor=None, at=None) -> ExchangeMessage | None:
    """Tell the sender of an incoming document its status (01 … 06, 02)."""
    from tinhso.signatures import pki

    if not incoming_doc.sender_document_id or not incoming_doc.sender_organ_id:
        return None
    at = at or timezone.now()
    status = edxml.EdStatus(response_for=incoming_doc.sender_document_id, sender=organ(incoming_doc.agency),
                            to_organ_id=incoming_doc.sender_organ_id, status_code=code, description=description[:500],
                            timestamp=at, staff_name=actor.get_full_name() if getattr(actor, "pk", None) else "")
    body = edxml.build_status(status, credential=pki.credential_for_agency(incoming_doc.agency))
    row = ExchangeMessage.objects.create(direction=Direction.OUTGOING, kind="status", document=incoming_doc,
                                         edxml_id=incoming_doc.sender_document_id,
                                         from_organ=incoming_doc.agency.code, to_organ=incoming_doc.sender_organ_id,
                                         body=body)
    transaction.on_commit(lambda: deliver([row.pk]))
    return row


def deliver(ids) -> dict:
    """Send pending messages: to an agency of this installation through the
    receiving side's own parser; to anyone else over the national axis. A
    failure is recorded and the message retried by `tick`."""
    from tinhso.officialdocs.actions.incoming import receive_message
    from tinhso.officialdocs.axis import AxisClient, AxisError

    client = AxisClient()
    counts = {"sent": 0, "failed": 0, "waiting": 0}
    for message in ExchangeMessage.objects.filter(pk__in=list(ids), direction=Direction.OUTGOING,
                                                  state__in=("pending", "failed")):
        local = Agency.objects.filter(code=message.to_organ, is_active=True).exists()
        if not local and not client.enabled:
            counts["waiting"] += 1
            continue
        axis_id = ""
        try:
            if local:
                receive_message(bytes(message.body), to_organ=message.to_organ)
            else:
                axis_id = client.send(bytes(message.body), sender=message.from_organ, recipients=[message.to_organ],
                                      kind=message.kind)
        except (AxisError, edxml.EdxmlError) as exc:
            _failed(message, exc)
            counts["failed"] += 1
            continue
        except Exception as exc:  # noqa: BLE001 - kept for the retry job, the reason recorded
            _failed(message, exc)
            counts["failed"] += 1
            continue
        ExchangeMessage.objects.filter(pk=message.pk).update(state="sent", attempts=message.attempts + 1,
                                                             sent_at=timezone.now(), error="", axis_id=axis_id)
        counts["sent"] += 1
    return counts


def _failed(message, exc) -> None:
    log.warning("edXML message %s to %s not delivered: %s", message.pk, message.to_organ, exc)
    ExchangeMessage.objects.filter(pk=message.pk).update(state="failed", attempts=message.attempts + 1,
                                                         error=str(exc)[:2000])


def receive_from_axis() -> dict:
    """Take what waits on the axis for our agencies: each message parsed and
    registered (or answered 02 with the reason when it is refused), then
    acknowledged so the axis stops offering it."""
    from tinhso.officialdocs.actions.incoming import receive_message
    from tinhso.officialdocs.axis import AxisClient, AxisError

    client = AxisClient()
    counts = {"received": 0, "refused": 0}
    if not client.enabled:
        return counts
    organs = list(Agency.objects.filter(is_active=True).values_list("code", flat=True))
    try:
        waiting = client.waiting(organs)
    except AxisError as exc:
        log.warning("document axis unreachable: %s", exc)
        return counts
    for item in waiting:
        doc_id, to_organ = str(item.get("docId", "")), str(item.get("to", ""))
        try:
            data = client.fetch(doc_id)
        except AxisError as exc:
            log.warning("axis message %s not fetched: %s", doc_id, exc)
            continue
        row = ExchangeMessage.objects.create(direction=Direction.INCOMING, kind=str(item.get("messagetype", "edoc")),
                                             edxml_id="", from_organ=str(item.get("from", ""))[:40],
                                             to_organ=to_organ[:40], body=data, state="received", axis_id=doc_id)
        try:
            document = receive_message(data, to_organ=to_organ)
            ExchangeMessage.objects.filter(pk=row.pk).update(document=document)
            counts["received"] += 1
        except edxml.EdxmlError as exc:
            ExchangeMessage.objects.filter(pk=row.pk).update(state="rejected", error=exc.message)
            _refuse(data, to_organ, exc)
            counts["refused"] += 1
        try:
            client.done(doc_id)
        except AxisError as exc:
            log.warning("axis message %s not acknowledged: %s", doc_id, exc)
    return counts


def _refuse(data: bytes, to_organ: str, exc) -> None:
    """Answer a refused document with status 02 and the reason, when the
    message says who sent it and what it was (without trusting it further)."""
    from tinhso.signatures import pki

    agency = Agency.objects.filter(code=to_organ).first()
    try:
        parsed = edxml.parse(data, require_signature=False)
    except edxml.EdxmlError:
        return
    if agency is None or not isinstance(parsed, edxml.EdDocument):
        return
    status = edxml.EdStatus(response_for=parsed.document_id, sender=organ(agency), to_organ_id=parsed.sender.organ_id,
                            status_code=exc.status_code, description=exc.message[:500], timestamp=timezone.now())
    row = ExchangeMessage.objects.create(direction=Direction.OUTGOING, kind="status", edxml_id=parsed.document_id,
                                         from_organ=agency.code, to_organ=parsed.sender.organ_id,
                                         body=edxml.build_status(status, credential=pki.credential_for_agency(agency)))
    deliver([row.pk])


def tick() -> dict:
    """One round of the exchange: retry what did not go, take what came."""
    retry = list(ExchangeMessage.objects.filter(direction=Direction.OUTGOING, state__in=("pending", "failed"),
                                                attempts__lt=50).values_list("pk", flat=True)[:500])
    return {**deliver(retry), **receive_from_axis()}
