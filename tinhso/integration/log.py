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

from tinhso.integration.models import LogCheckpoint, LogHead, MessageLog

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


def head_mac(seq: int, hash_: str, anchor_seq: int, anchor_hash: str) -> str:
    """The head's own HMAC: without the key, the head cannot be moved back
    (cutting the last rows) nor the anchor forward (cutting the first)."""
    text = f"head\x1e{seq}\x1f{hash_}\x1f{anchor_seq}\x1f{anchor_hash}"
    return hmac.new(_key(), text.encode(), hashlib.sha256).hexdigest()


def checkpoint_mac(seq: int, hash_: str, at: datetime.datetime) -> str:
    text = f"checkpoint\x1e{seq}\x1f{hash_}\x1f{at.astimezone(datetime.timezone.utc).isoformat()}"
    return hmac.new(_key(), text.encode(), hashlib.sha256).hexdigest()


def digest(body) -> str:
    """The body's digest for the log: HMAC-SHA256 under a key derived from the
    message-log key, not a plain hash, so that someone who knows a citizen's
    details cannot confirm a lookup by hashing a guessed body; whoever holds
    the key (the operator, for a dispute) can still match a body to a row."""
    if body is None:
        return ""
    if isinstance(body, str):
        body = body.encode()
    if not body:
        return ""
    return hmac.new(_digest_key(), body, hashlib.sha256).hexdigest()


def _digest_key() -> bytes:
    return hashlib.sha256(b"tinhso.message-log.digest:" + _key()).digest()


def append(**fields) -> MessageLog:
    """Append one exchange. `fields` are MessageLog's own (direction, client,
    credential, service, operation, purpose, subject, request_digest,
    response_digest, status, outcome, latency_ms, address)."""
    fields["operation"] = (fields.get("operation") or "")[:300]
    fields["purpose"] = (fields.get("purpose") or "")[:200]
    fields["subject"] = (fields.get("subject") or "")[:80]
    fields["address"] = (fields.get("address") or "")[:64]
    with transaction.atomic():
        head = LogHead.objects.select_for_update().filter(pk=1).first()
        if head is None:  # the very first row of an installation
            LogHead.objects.get_or_create(pk=1)
            head = LogHead.objects.select_for_update().get(pk=1)
        row = MessageLog(seq=head.seq + 1, at=timezone.now(), prev_hash=head.hash, **fields)
        row.hash = row_hash(row, head.hash)
        row.save(force_insert=True)
        LogHead.objects.filter(pk=1).update(seq=row.seq, hash=row.hash,
                                            mac=head_mac(row.seq, row.hash, head.anchor_seq, head.anchor_hash))
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
    breaks: list[Break] = _head_breaks(head)
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
    breaks += _checkpoint_breaks(head, anchor_seq)
    return checked, breaks


def _head_breaks(head) -> list[Break]:
    if head is None:
        if MessageLog.objects.exists() or LogCheckpoint.objects.exists():
            return [Break(0, "đầu chuỗi nhật ký bị xóa")]
        return []
    fresh = head.seq == 0 and head.anchor_seq == 0 and not head.mac
    if not fresh and not hmac.compare_digest(head.mac, head_mac(head.seq, head.hash, head.anchor_seq,
                                                                head.anchor_hash)):
        return [Break(head.seq, "đầu chuỗi hoặc điểm neo bị sửa (mã xác thực không khớp): bản ghi đầu hoặc cuối "
                                "chuỗi có thể đã bị xóa")]
    return []


def _checkpoint_breaks(head, anchor_seq: int) -> list[Break]:
    """Every daily checkpoint after the anchor must still be in the chain."""
    breaks = []
    last_seq = head.seq if head else 0
    points = list(LogCheckpoint.objects.filter(seq__gt=anchor_seq).order_by("seq"))
    hashes = dict(MessageLog.objects.filter(seq__in=[p.seq for p in points]).values_list("seq", "hash"))
    for point in points:
        if not hmac.compare_digest(point.mac, checkpoint_mac(point.seq, point.hash, point.at)):
            breaks.append(Break(point.seq, "điểm niêm phong bị sửa (mã xác thực không khớp)"))
        elif point.seq > last_seq:
            breaks.append(Break(point.seq, f"chuỗi bị cắt: đã niêm phong đến bản ghi số {point.seq} lúc "
                                           f"{timezone.localtime(point.at):%H:%M %d/%m/%Y}"))
        elif hashes.get(point.seq) != point.hash:
            breaks.append(Break(point.seq, "bản ghi đã niêm phong bị xóa hoặc sửa"))
    return breaks


def take_checkpoint(now: datetime.datetime | None = None) -> LogCheckpoint | None:
    """Seal the head as it is now (once per new head); the caller sends it on
    to the SIEM."""
    head = LogHead.objects.filter(pk=1).first()
    if head is None or head.seq == 0 or LogCheckpoint.objects.filter(seq=head.seq).exists():
        return None
    at = now or timezone.now()
    return LogCheckpoint.objects.create(seq=head.seq, hash=head.hash, at=at,
                                        mac=checkpoint_mac(head.seq, head.hash, at))


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
    head.mac = head_mac(head.seq, head.hash, head.anchor_seq, head.anchor_hash)
    head.save(update_fields=["anchor_seq", "anchor_hash", "pruned_at", "mac"])
    LogCheckpoint.objects.filter(seq__lte=last.seq).delete()
    return removed
