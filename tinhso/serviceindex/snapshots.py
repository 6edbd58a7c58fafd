"""Which scopes get a monthly snapshot, and the backfill used by the job,
the command and the demo."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tinhso.agencies.models import Agency, AgencyKind
from tinhso.serviceindex.actions import take_snapshot
from tinhso.serviceindex.models import Snapshot, scope_key

SNAPSHOT_KINDS = (AgencyKind.DEPARTMENT, AgencyKind.COMMUNE_COMMITTEE)


def scopes(all_agencies: bool = True) -> list[Agency | None]:
    """The province, and with `all_agencies` every department and commune People's Committee (the agencies
    the national portal scores)."""
    out: list[Agency | None] = [None]
    if all_agencies:
        out += list(Agency.objects.filter(kind__in=SNAPSHOT_KINDS).order_by("path"))
    return out


def previous_months(count: int, today: datetime.date | None = None) -> list[datetime.date]:
    """The `count` complete months before today's month, oldest first."""
    first = (today or timezone.localdate()).replace(day=1)
    months = []
    for _ in range(count):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
        months.append(first)
    return list(reversed(months))


def backfill(months: list[datetime.date], *, all_agencies: bool = True, replace: bool = False) -> int:
    """Take the missing snapshots (all of them with `replace`); returns how many were taken."""
    taken = 0
    for agency in scopes(all_agencies):
        have = set(Snapshot.objects.filter(scope=scope_key(agency), month__in=months).values_list("month", flat=True))
        for month in months:
            if replace or month not in have:
                take_snapshot(acting_user=None, agency=agency, month=month)
                taken += 1
    return taken
