from django.utils import timezone
from huey.contrib.djhuey import db_task

from tinhso.meetings.models import Invitation


@db_task(retries=3, retry_delay=60)
def send_invitations(ids):
    """E-mail each invitation once; a failure is noted on the row and the task retried."""
    from tinhso.meetings.invitations import message

    failed = 0
    for row in Invitation.objects.filter(pk__in=ids, sent_at__isnull=True).select_related(
            "meeting", "meeting__host", "agency", "user"):
        try:
            message(row).send()
        except Exception as exc:  # noqa: BLE001 - noted, then retried by raising below
            Invitation.objects.filter(pk=row.pk).update(error=str(exc)[:500])
            failed += 1
            continue
        Invitation.objects.filter(pk=row.pk).update(sent_at=timezone.now(), error="")
    if failed:
        raise RuntimeError(f"{failed} meeting invitation(s) not sent; will retry")
