"""Creating and reading notifications."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from tinhso.notifications.models import Notification


def notify(recipients, *, kind: str, title: str, body: str = "", url: str = "",
           email: bool = True) -> list[Notification]:
    """In-app notifications for each distinct active recipient; e-mails are
    sent by a background task after commit (not with `email=False`: when the
    caller mails the same people itself, e.g. a meeting's invitation)."""
    seen, rows = set(), []
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        rows.append(Notification(recipient=user, kind=kind, title=title[:300], body=body, url=url[:300]))
    created = Notification.objects.bulk_create(rows)
    ids = [n.pk for n in created if n.pk and n.recipient.email] if email else []
    if ids:
        from tinhso.notifications.tasks import email_notifications

        transaction.on_commit(lambda: email_notifications(ids))
    return created


@transaction.atomic
def mark_read(*, acting_user, notification_ids=None) -> int:
    qs = Notification.objects.filter(recipient=acting_user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())
