"""Telling citizens about their dossiers, by e-mail and SMS, with templates
that are data (MessageTemplate) and the citizen's chosen channels."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
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
}


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


def render(template: MessageTemplate, dossier, event_row) -> tuple[str, str]:
    due = timezone.localtime(dossier.due_at).strftime("%H:%M ngày %d/%m/%Y") if dossier.due_at else "—"
    values = _Safe(ma_ho_so=dossier.code, thu_tuc=dossier.procedure.name, ho_ten=dossier.owner_name, han_tra=due,
                   ly_do=(event_row.comment or dossier.reason or "").strip(),
                   tra_cuu=f"{settings.TINHSO_BASE_URL}/tra-cuu/?ma={dossier.code}")
    return template.subject.format_map(values), template.body.format_map(values)


def queue_for_event(event_row) -> list[OutgoingMessage]:
    """Create the outgoing messages an event calls for (once per event and
    channel); the sending happens in a background task after commit."""
    kind = ACTION_EVENTS.get(event_row.action)
    dossier = event_row.dossier
    if kind is None:
        return []
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
    if not targets:
        return []
    channels = [channel for channel, _ in targets]
    ref = getattr(dossier, "_refs", None)  # a dossier transition's reference snapshot (refcache)
    templates = (ref.templates(kind, channels, timezone.localdate()) if ref is not None
                 else templates_for(kind, channels))
    rows = []
    for channel, recipient in targets:
        template = templates.get(channel)
        if template is None:
            continue
        subject, body = render(template, dossier, event_row)
        rows.append(OutgoingMessage(channel=channel, event=kind, recipient=recipient, subject=subject, body=body,
                                    dossier=dossier, dedupe_key=f"event:{event_row.pk}:{channel}"))
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
        send_mail(message.subject or "Tỉnh Số", message.body, None, [message.recipient])
        reference = "smtp"
    else:
        reference = get_provider().send(message.recipient, message.body)
    OutgoingMessage.objects.filter(pk=message.pk).update(status="sent", provider_reference=reference,
                                                          sent_at=timezone.now(), error="")
