"""Handing events to a SIEM: JSON lines (download, and a cursor-paged stream)
and RFC 5424 syslog lines, optionally sent over UDP or TCP (RFC 6587 octet
counting) to TINHSO_SIEM_SYSLOG ("udp://host:514", "tcp://host:6514")."""

from __future__ import annotations

import datetime
import json
import logging
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tinhso.secwatch.models import SecurityEvent

log = logging.getLogger("tinhso.secwatch")

# syslog severities (RFC 5424 §6.2.1) for ours; facility 10: security/authorization (authpriv)
SYSLOG_SEVERITY = {"info": 6, "warning": 4, "high": 3, "critical": 2}
FACILITY = 10
# The private enterprise number in structured-data ids (32473 is IANA's example number: set your own).
def _pen() -> str:
    return str(getattr(settings, "TINHSO_SIEM_ENTERPRISE_NUMBER", 32473))


def as_dict(e: SecurityEvent) -> dict:
    return {"id": e.pk, "at": e.at.astimezone(datetime.timezone.utc).isoformat().replace("+00:00", "Z"),
            "kind": e.kind, "severity": e.severity, "username": e.username, "address": e.address,
            "object_type": e.object_type, "object_id": e.object_id, "object": e.object_repr, "detail": e.detail,
            "source": e.source}


def json_lines(events) -> "iter[str]":
    for e in events:
        yield json.dumps(as_dict(e), ensure_ascii=False, separators=(",", ":"), default=str) + "\n"


def _sd_value(value) -> str:
    text = str(value)
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("]", "\\]")


def _token(value: str, limit: int) -> str:
    """A header field: printable US-ASCII without spaces, or NILVALUE."""
    text = "".join(c for c in (value or "") if 33 <= ord(c) <= 126)[:limit]
    return text or "-"


def syslog_line(e: SecurityEvent, hostname: str | None = None) -> str:
    pri = FACILITY * 8 + SYSLOG_SEVERITY.get(e.severity, 5)
    ts = e.at.astimezone(datetime.timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")
    host = _token(hostname or socket.gethostname(), 255)
    params = {"id": e.pk, "kind": e.kind, "severity": e.severity, "user": e.username, "addr": e.address,
              "object": e.object_repr[:200]}
    sd = "[tinhso@" + _pen() + " " + " ".join(f'{k}="{_sd_value(v)}"' for k, v in params.items()) + "]"
    detail = json.dumps(e.detail, ensure_ascii=False, separators=(",", ":"), default=str)
    msg = f"{e.get_kind_display()} {detail}"
    return f"<{pri}>1 {ts} {host} tinhso - {_token(e.kind, 32)} {sd} \ufeff{msg}"


def _target():
    raw = getattr(settings, "TINHSO_SIEM_SYSLOG", "") or ""
    if not raw:
        return None
    parts = urlsplit(raw if "://" in raw else "udp://" + raw)
    if parts.scheme not in ("udp", "tcp") or not parts.hostname:
        raise ValueError(f"TINHSO_SIEM_SYSLOG: {raw!r} phải có dạng udp://máy:cổng hoặc tcp://máy:cổng")
    return parts.scheme, parts.hostname, parts.port or 514


def settle_seconds() -> int:
    return max(0, int(getattr(settings, "TINHSO_SIEM_SETTLE_SECONDS", 10)))


def settled(after: int, limit: int, now=None) -> list[SecurityEvent]:
    """The events after id `after`, in id order, that a reader paging by id
    may be handed without ever missing one. Ids are given out when a row is
    inserted, not when its transaction commits: an event written inside a
    longer transaction can become visible after a higher id was already read.
    So only rows written at least TINHSO_SIEM_SETTLE_SECONDS ago are handed
    out, and none at or past the first row still settling (a lower id with a
    later write time is possible when two processes race). A transaction
    still open after the settling delay can still be passed over; the
    syslog forwarder does not page by id (it marks each row it sent)."""
    cutoff = (now or timezone.now()) - datetime.timedelta(seconds=settle_seconds())
    rows = SecurityEvent.objects.filter(pk__gt=after, created_at__lte=cutoff)
    first_unsettled = (SecurityEvent.objects.filter(pk__gt=after, created_at__gt=cutoff).order_by("pk")
                       .values_list("pk", flat=True).first())
    if first_unsettled is not None:
        rows = rows.filter(pk__lt=first_unsettled)
    return list(rows.order_by("pk")[:limit])


def forward_syslog(limit: int = 5000) -> int:
    """Send the events not sent yet (`forwarded_at` empty, lowest id first)
    to the configured host and mark them sent. Each row carries its own mark,
    so a row committed after a higher id was sent is still sent on the next
    run; a failed send marks nothing (the rows go again next time)."""
    target = _target()
    if target is None:
        return 0
    scheme, host, port = target
    with transaction.atomic():
        # Locked and skipped by a concurrent run on PostgreSQL (the job also runs once per slot).
        events = list(SecurityEvent.objects.select_for_update(skip_locked=True).filter(forwarded_at__isnull=True)
                      .order_by("pk")[:limit])
        if not events:
            return 0
        lines = [syslog_line(e).encode("utf-8") for e in events]
        if scheme == "udp":
            with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_DGRAM) as s:
                for line in lines:
                    s.sendto(line, (host, port))
        else:
            with socket.create_connection((host, port), timeout=10) as s:
                s.sendall(b"".join(str(len(line)).encode() + b" " + line for line in lines))
        SecurityEvent.objects.filter(pk__in=[e.pk for e in events]).update(forwarded_at=timezone.now())
    return len(events)
