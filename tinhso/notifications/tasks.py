from django.conf import settings
from django.core.mail import send_mail
from huey.contrib.djhuey import db_task

from tinhso.notifications.models import Notification


@db_task(retries=3, retry_delay=60)
def email_notifications(ids):
    """Send each notification by e-mail once (retried if the mail server fails)."""
    for note in Notification.objects.filter(pk__in=ids, emailed=False).select_related("recipient"):
        link = f"{settings.TINHSO_BASE_URL}{note.url}" if note.url else ""
        send_mail(note.title, f"{note.body}\n\n{link}".strip(), None, [note.recipient.email])
        Notification.objects.filter(pk=note.pk).update(emailed=True)


@db_task(retries=5, retry_delay=120)
def deliver_citizen_messages(ids):
    """Send queued e-mails and SMS to citizens; a provider failure is recorded
    and the task retried."""
    from tinhso.notifications.citizen import deliver
    from tinhso.notifications.models import OutgoingMessage

    failed = []
    for message in OutgoingMessage.objects.filter(pk__in=ids).exclude(status="sent"):
        try:
            deliver(message)
        except Exception as exc:  # noqa: BLE001 - recorded, then retried by raising below
            OutgoingMessage.objects.filter(pk=message.pk).update(status="failed", error=str(exc)[:2000])
            failed.append(message.pk)
    if failed:
        raise RuntimeError(f"{len(failed)} citizen message(s) not delivered; will retry")
