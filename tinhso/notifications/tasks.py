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
