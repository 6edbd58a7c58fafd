"""Telling citizens about their dossiers, by e-mail and SMS, with templates
that are data (MessageTemplate) and the citizen's chosen channels."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone

from tinhso.notifications.models import Channel, CitizenEvent, MessageTemplate, OutgoingMessage
from tinhso.notifications.sms import get_provider

ACTION_EVENTS = {
    "submit": CitizenEvent.SUBMITTED,
    "accept": CitizenEvent.RECEIVED,
    "receive": CitizenEvent.RECEIVED,
    "request_supplement": CitizenEvent.SUPPLEMENT,
    "finish": CitizenEvent.RESULT_READY,
    "apologise": CitizenEvent.APOLOGY,
    "refuse": CitizenEvent.REFUSED,
    "refuse_after_supplement": CitizenEvent.REFUSED,
    "request_payment": CitizenEvent.PAYMENT_DUE,
    "stop": CitizenEvent.STOPPED,
    "stop_after_supplement": CitizenEvent.STOPPED,
    "withdraw": CitizenEvent.WITHDRAWN,
    "refuse_on_merits": CitizenEvent.DECISION_REFUSED,
}
# Events whose signed letter goes with the e-mail (the SMS says where to read it).
LETTER_EVENTS = {"apologise", "refuse_on_merits"}


class _Safe(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def _valid(day):
    from django.db.models import Q

    return Q(valid_from__isnull=True) | Q(valid_from__lte=day)


def template_for(event: str, channel: str, day=None):
    day = day or timezone.localdate()
    return (MessageTemplate.objects.filter(event=event, channel=channel).filter(_valid(day))
            .order_by("-valid_from").first())


def templates_for(event: str, channels, day=None) -> dict:
    """{channel: template} for several channels in one query: for each, the
    first in the same order as `template_for`."""
    day = day or timezone.localdate()
    found = {}
    for template in (MessageTemplate.objects.filter(event=event, channel__in=list(channels)).filter(_valid(day))
                     .order_by("-valid_from")):
        found.setdefault(template.channel, template)
    return found


def dossier_values(dossier, event_row) -> dict:
    due = timezone.localtime(dossier.due_at).strftime("%H:%M ngày %d/%m/%Y") if dossier.due_at else "—"
    supplement_due = (timezone.localtime(dossier.supplement_due_at).strftime("%H:%M ngày %d/%m/%Y")
                      if dossier.supplement_due_at else "—")
    values = _Safe(ma_ho_so=dossier.code, thu_tuc=dossier.procedure.name, ho_ten=dossier.owner_name, han_tra=due,
                   han_bo_sung=supplement_due,
                   ly_do=((event_row.comment if event_row is not None else "") or dossier.reason or "").strip(),
                   tra_cuu=f"{settings.TINHSO_BASE_URL}/tra-cuu/?ma={dossier.code}")
    return values


def render(template: MessageTemplate, dossier, event_row) -> tuple[str, str]:
    values = dossier_values(dossier, event_row)
    return template.subject.format_map(values), template.body.format_map(values)


def queue_messages(kind: str, targets: list[tuple[str, str]], values: dict, dedupe: str, *, dossier=None,
                   field_report=None, attachment=None, templates: dict | None = None) -> list[OutgoingMessage]:
    """The messages of `kind` to each (channel, address) in `targets`, from
    the templates in force, once per `dedupe` and channel (a second call with
    the same `dedupe` queues nothing). Every citizen message goes through
    here: dossier transitions and reminders, field reports, one-time codes.
    The citizen's phone also gets it by Web Push when subscribed (citizenapp)."""
    from tinhso.citizenapp.push import for_citizen_message

    for_citizen_message(kind, values, dedupe, dossier=dossier, field_report=field_report)
    if not targets:
        return []
    if templates is None:
        templates = templates_for(kind, [c for c, _ in targets])
    safe = _Safe(values)
    rows = []
    for channel, recipient in targets:
        template = templates.get(channel)
        if template is None:
            continue
        rows.append(OutgoingMessage(channel=channel, event=kind, recipient=recipient,
                                    subject=template.subject.format_map(safe), body=template.body.format_map(safe),
                                    dossier=dossier, field_report=field_report, dedupe_key=f"{dedupe}:{channel}"[:120],
                                    attachment=attachment if channel == Channel.EMAIL else None))
    return _insert(rows)


def _targets(dossier) -> list[tuple[str, str]]:
    """The citizen's chosen channels with their address."""
    user = dossier.citizen
    targets = []
    wants_email = dossier.notify_email and (user is None or user.notify_email)
    wants_sms = dossier.notify_sms and (user is None or user.notify_sms)
    email = dossier.owner_email or (user.email if user else "")
    phone = dossier.owner_phone or (user.phone if user else "")
    if wants_email and email:
        targets.append((Channel.EMAIL, email))
    if wants_sms and phone:
        targets.append((Channel.SMS, phone))
    return targets


def queue_reminder(dossier, kind: str, dedupe: str) -> list[OutgoingMessage]:
    """A message not caused by a transition (a reminder of a deadline), once
    per `dedupe` and channel, from the templates of `kind`."""
    return queue_messages(kind, _targets(dossier), dossier_values(dossier, None), dedupe, dossier=dossier)


def queue_for_event(event_row) -> list[OutgoingMessage]:
    """Create the outgoing messages an event calls for (once per event and
    channel); the sending happens in a background task after commit."""
    kind = ACTION_EVENTS.get(event_row.action)
    dossier = event_row.dossier
    if kind is None:
        return []
    targets = _targets(dossier)
    if not targets:
        return []
    channels = [channel for channel, _ in targets]
    ref = getattr(dossier, "_refs", None)  # a dossier transition's reference snapshot (refcache)
    templates = (ref.templates(kind, channels, timezone.localdate()) if ref is not None
                 else templates_for(kind, channels))
    letter = None
    if event_row.action in LETTER_EVENTS:
        letter = next((f for f in event_row.attachments.all() if f.content_type == "application/pdf"), None)
    return queue_messages(kind, targets, dossier_values(dossier, event_row), f"event:{event_row.pk}", dossier=dossier,
                          attachment=letter, templates=templates)


def _insert(rows) -> list[OutgoingMessage]:
    if not rows:
        return []
    try:
        with transaction.atomic():
            return OutgoingMessage.objects.bulk_create(rows)  # the usual case: none queued yet
    except IntegrityError:
        pass
    queued = []  # some were queued before (the event notified twice): the others, one by one
    for row in rows:
        try:
            with transaction.atomic():
                row.pk = None
                row.save(force_insert=True)
                queued.append(row)
        except IntegrityError:
            continue
    return queued


def deliver(message: OutgoingMessage) -> None:
    """Send one message; raises on a provider failure so the task retries."""
    if message.status == "sent":
        return
    if message.channel == Channel.EMAIL:
        email = EmailMessage(message.subject or "Tỉnh Số", message.body, None, [message.recipient])
        if message.attachment_id:
            letter = message.attachment
            with letter.file.open("rb") as handle:
                email.attach(letter.original_name, handle.read(), letter.content_type)
        email.send()
        reference = "smtp"
    else:
        reference = get_provider().send(message.recipient, message.body, reference=f"sms:{message.pk}")
    OutgoingMessage.objects.filter(pk=message.pk).update(status="sent", provider_reference=reference,
                                                          sent_at=timezone.now(), error="")
