"""Housekeeping of the integration platform (run by tinhso/integration/tasks.py)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from tinhso.audit.actions import record
from tinhso.integration import log as message_log
from tinhso.integration.models import AccessToken


def checkpoint(now: datetime.datetime | None = None) -> dict:
    """Seal the head (a `LogCheckpoint`) and record it as a security event,
    which the SIEM export carries outside the database: comparing the SIEM's
    latest checkpoint with `verify_message_log` shows a log cut or emptied by
    someone holding the database."""
    from tinhso.secwatch.events import record_event
    from tinhso.secwatch.models import Kind, Severity

    point = message_log.take_checkpoint(now)
    if point is None:
        return {"checkpoint": None}
    record_event(Kind.AUDIT_INTEGRITY, Severity.INFO, at=point.at,
                 detail={"log": "integration.message_log", "checkpoint_seq": point.seq, "hash": point.hash,
                         "mac": point.mac})
    return {"checkpoint": point.seq}


def retention(now: datetime.datetime | None = None) -> dict:
    now = now or timezone.now()
    removed = 0
    days = settings.TINHSO_MESSAGE_LOG_DAYS
    if days > 0:
        removed = message_log.prune(now - datetime.timedelta(days=days))
        if removed:
            record(actor=None, action="integration.log.pruned", changes={"rows": removed, "days": days},
                   require_atomic=False)
    tokens, _ = AccessToken.objects.filter(expires_at__lt=now - datetime.timedelta(hours=1)).delete()
    return {"log_rows_removed": removed, "tokens_removed": tokens}

