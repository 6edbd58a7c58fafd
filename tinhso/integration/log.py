"""The message log's chain: appending a row and verifying the chain.

Each row's `hash` is HMAC-SHA256, under the platform's message-log key
(TINHSO_MESSAGE_LOG_KEY, derived from SECRET_KEY when unset), of the previous
row's hash and the row's own fields. Someone who can write the database but
does not hold the key cannot alter, insert or remove a row without the
verification noticing: the recomputed hash differs, a sequence number is
missing, or the head (the last seq and hash, kept in `LogHead`) no longer
matches the last row.

Append under a lock of the head row: one short lock per exchange. Call it
outside long transactions (network calls never run inside one anyway)."""

from __future__ import annotations

import datetime
import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tinhso.integration.models import LogHead, MessageLog

ZERO = "0" * 64
FIELDS = ("seq", "at", "direction", "client_id", "credential_id", "service", "operation", "purpose", "subject",
          "request_digest", "response_digest", "status", "outcome", "latency_ms", "address")


def _key() -> bytes:
    configured = getattr(settings, "TINHSO_MESSAGE_LOG_KEY", "")
    if configured:
        return configured.encode()
    return hashlib.sha256(b"tinhso.message-log:" + settings.SECRET_KEY.encode()).digest()


def _value(row, name):
    value = getattr(row, name)
    if name == "at":
        return value.astimezone(datetime.timezone.utc).isoformat(timespec="microseconds")
    return "" if value is None else str(value)


def row_hash(row, prev_hash: str) -> str:
    content = "\x1f".join(_value(row, name) for name in FIELDS)
    return hmac.new(_key(), f"{prev_hash}\x1e{content}".encode(), hashlib.sha256).hexdigest()


def digest(body) -> str:
    if body is None:
        return ""
    if isinstance(body, str):
        body = body.encode()
    return hashlib.sha256(body).hexdigest() if body else ""


def append(**fields) -> MessageLog:
    """Append one exchange. `fields` are MessageLog's own (direction, client,
    credential, service, operation, purpose, subject, request_digest,
    response_digest, status, outcome, latency_ms, address)."""
    fields["operation"] = (fields.get("operation") or "")[:300]
    fields["purpose"] = (fields.get("purpose") or "")[:200]
    fields["subject"] = (fields.get("subject") or "")[:80]
    fields["address"] = (fields.get("address") or "")[:64]
    with transaction.atomic():
        LogHead.objects.get_or_create(pk=1)
        head = LogHead.objects.select_for_update().get(pk=1)
        row = MessageLog(seq=head.seq + 1, at=timezone.now(), prev_hash=head.hash, **fields)
        row.hash = row_hash(row, head.hash)
        row.save(force_insert=True)
        LogHead.objects.filter(pk=1).update(seq=row.seq, hash=row.hash)
    return row


@dataclass
class Break:
    seq: int
    problem: str


def verify(limit: int | None = None) -> tuple[int, list[Break]]:
    """Walk the chain from the anchor: (rows checked, breaks found)."""
    head = LogHead.objects.filter(pk=1).first()
    anchor_seq, prev = (head.anchor_seq, head.anchor_hash) if head else (0, ZERO)
    expected = anchor_seq + 1
    breaks: list[Break] = []
    checked = 0
    rows = MessageLog.objects.filter(seq__gt=anchor_seq).order_by("seq")
    if limit:
        rows = rows[:limit]
    for row in rows.iterator(chunk_size=2000):
        if row.seq != expected:
            breaks.append(Break(expected, f"thiếu bản ghi số {expected}" + (
                f" đến {row.seq - 1}" if row.seq - 1 > expected else "")))
        if row.prev_hash != prev:
            breaks.append(Break(row.seq, "mã băm của bản ghi trước không khớp (bản ghi bị xóa, chèn hoặc sửa)"))
        if not hmac.compare_digest(row.hash, row_hash(row, row.prev_hash)):
            breaks.append(Break(row.seq, "nội dung bản ghi đã bị sửa (mã băm không khớp)"))
        prev = row.hash
        expected = row.seq + 1
        checked += 1
    if head and not limit and (head.seq != expected - 1 or head.hash != prev):
        breaks.append(Break(head.seq, "bản ghi cuối chuỗi bị xóa hoặc đầu chuỗi bị sửa"))
    return checked, breaks


@transaction.atomic
def prune(before) -> int:
    """Remove rows older than `before` (retention); the last removed row
    becomes the anchor the chain is verified from. Returns rows removed."""
    LogHead.objects.get_or_create(pk=1)
    head = LogHead.objects.select_for_update().get(pk=1)
    last = MessageLog.objects.filter(at__lt=before, seq__gt=head.anchor_seq).order_by("-seq").first()
    if last is None:
        return 0
    removed, _ = MessageLog.objects.filter(seq__lte=last.seq).delete()
    head.anchor_seq, head.anchor_hash, head.pruned_at = last.seq, last.hash, timezone.now()
    head.save(update_fields=["anchor_seq", "anchor_hash", "pruned_at"])
    return removed
