"""Báo cáo đối soát: what has not reached the national portal yet, and how
what the portal holds compares with the dossiers here."""

from __future__ import annotations

import datetime

from django.db.models import Count, Min, Q
from django.utils import timezone

from tinhso.accounts.permissions import agencies_in_scope, has_role
from tinhso.accounts.models import Role
from tinhso.nationalportal.actions import MANAGERS
from tinhso.nationalportal.models import SyncItem, SyncStatus
from tinhso.nationalportal.protocol import PortalClient

LOOKUP_CHUNK = 100


def backlog_summary(now: datetime.datetime | None = None, rows=None) -> dict:
    """For the integration page: rows waiting, refused, sent today, and the age
    of the oldest waiting row in seconds (None when nothing waits); of every
    row, or of `rows` (a SyncItem queryset, e.g. a leader's `scope`)."""
    now = now or timezone.now()
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    figures = (SyncItem.objects.all() if rows is None else rows).aggregate(
        pending=Count("id", filter=Q(status=SyncStatus.PENDING)),
        failed=Count("id", filter=Q(status=SyncStatus.FAILED)),
        sent_today=Count("id", filter=Q(status=SyncStatus.SENT, sent_at__gte=start)),
        oldest=Min("created_at", filter=Q(status=SyncStatus.PENDING)))
    oldest = figures.pop("oldest")
    figures["oldest_pending_seconds"] = int((now - oldest).total_seconds()) if oldest else None
    return figures


def scope(user):
    """The outbox rows `user` may see: all for the system administrator, else those of their agencies."""
    if has_role(user, Role.SYSTEM_ADMIN):
        return SyncItem.objects.all()
    return SyncItem.objects.filter(agency__in=agencies_in_scope(user, MANAGERS))


def unsynced(user, limit: int = 500):
    rows = scope(user).filter(status__in=[SyncStatus.PENDING, SyncStatus.FAILED])
    by_agency = list(rows.values("agency__name", "agency__code").annotate(
        pending=Count("id", filter=Q(status=SyncStatus.PENDING)),
        failed=Count("id", filter=Q(status=SyncStatus.FAILED)),
        oldest=Min("created_at")).order_by("oldest"))
    return by_agency, list(rows.select_related("agency").order_by("created_at", "id")[:limit])


def compare(user, day: datetime.date) -> list[dict]:
    """Dossiers with events on `day` whose current status here differs from the
    latest status the portal holds (or that the portal does not hold at all).
    Raises outbound.Unavailable / BadAnswer when the portal cannot be asked."""
    from tinhso.dossiers.models import Dossier

    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
    codes = sorted(set(scope(user).filter(created_at__gte=start, created_at__lt=start + datetime.timedelta(days=1))
                       .values_list("dossier_code", flat=True)))
    if not codes:
        return []
    here = dict(Dossier.objects.filter(code__in=codes).values_list("code", "status"))
    waiting = dict(SyncItem.objects.filter(dossier_code__in=codes).exclude(status=SyncStatus.SENT)
                   .values("dossier_code").annotate(n=Count("id")).values_list("dossier_code", "n"))
    client = PortalClient()
    portal: dict[str, int] = {}
    for n in range(0, len(codes), LOOKUP_CHUNK):
        for row in client.held(codes[n:n + LOOKUP_CHUNK]):  # oldest first: the last one wins
            portal[row["code"]] = row["status"]
    return [{"code": code, "here": here.get(code), "portal": portal.get(code), "waiting": waiting.get(code, 0)}
            for code in codes if here.get(code) != portal.get(code)]
