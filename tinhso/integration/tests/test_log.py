"""The message log's chain: altered, removed or inserted rows are found by
`manage.py verify_message_log`, which exits non-zero."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from tinhso.integration import log
from tinhso.integration.maintenance import retention
from tinhso.integration.models import LogHead, MessageLog


def _rows(n=5):
    for i in range(n):
        log.append(direction="out", service="population", operation="POST /citizens/verify", purpose="tiếp nhận",
                   subject=f"H13.{i}", request_digest=log.digest(f"body {i}"), status=200, outcome="ok",
                   latency_ms=12)


def _verify() -> int:
    try:
        call_command("verify_message_log")
    except SystemExit as exc:
        return exc.code
    return 0


def _sql(statement, *params):
    with connection.cursor() as cursor:
        cursor.execute(statement.replace("%s", "%s"), params)


def _backdate(rows, days: int) -> None:
    """Move rows back in time and re-seal the chain, its head and checkpoints
    as the log would have written them then (test set-up only)."""
    from tinhso.integration.models import LogCheckpoint

    rows.update(at=timezone.now() - datetime.timedelta(days=days))
    head = log.ZERO
    for row in MessageLog.objects.order_by("seq"):
        row.prev_hash, row.hash = head, log.row_hash(row, head)
        row.save()
        head = row.hash
    for point in LogCheckpoint.objects.all():
        point.hash = MessageLog.objects.get(seq=point.seq).hash
        point.mac = log.checkpoint_mac(point.seq, point.hash, point.at)
        point.save()
    last = MessageLog.objects.order_by("-seq").first()
    LogHead.objects.filter(pk=1).update(hash=head, mac=log.head_mac(last.seq, head, 0, log.ZERO))


@pytest.mark.django_db
def test_an_intact_chain_verifies(capsys):
    _rows()
    assert _verify() == 0
    assert "5 bản ghi" in capsys.readouterr().out
    rows = list(MessageLog.objects.order_by("seq"))
    assert [r.seq for r in rows] == [1, 2, 3, 4, 5]
    assert all(b.prev_hash == a.hash for a, b in zip(rows, rows[1:]))


@pytest.mark.django_db
def test_a_row_altered_in_the_database_breaks_the_chain(capsys):
    _rows()
    _sql("UPDATE integration_messagelog SET status = 500 WHERE seq = 3")
    assert _verify() == 1
    err = capsys.readouterr().err
    assert "#3" in err and "bị sửa" in err


@pytest.mark.django_db
def test_a_row_rewritten_with_a_recomputed_plain_hash_is_still_found(capsys):
    """Without the HMAC key a forger cannot recompute the chain."""
    import hashlib

    _rows()
    forged = hashlib.sha256(b"forged").hexdigest()
    _sql("UPDATE integration_messagelog SET outcome = 'error', hash = %s WHERE seq = 2", forged)
    assert _verify() == 1
    assert "#3" in capsys.readouterr().err  # the next row no longer links to it


@pytest.mark.django_db
@pytest.mark.parametrize("seq", [3, 5])
def test_a_removed_row_breaks_the_chain(seq, capsys):
    _rows()
    _sql("DELETE FROM integration_messagelog WHERE seq = %s", seq)
    assert _verify() == 1
    assert "xóa" in capsys.readouterr().err


@pytest.mark.django_db
def test_retention_removes_old_rows_and_the_chain_still_verifies(settings):
    settings.TINHSO_MESSAGE_LOG_DAYS = 30
    _rows(4)
    _backdate(MessageLog.objects.filter(seq__lte=2), days=40)
    assert retention()["log_rows_removed"] == 2
    assert list(MessageLog.objects.values_list("seq", flat=True).order_by("seq")) == [3, 4]
    assert _verify() == 0
    _rows(1)
    assert _verify() == 0 and MessageLog.objects.order_by("-seq").first().seq == 5


@pytest.mark.django_db
def test_the_last_rows_cut_and_the_head_moved_back_is_found(capsys):
    _rows()
    fourth = MessageLog.objects.get(seq=4)
    _sql("DELETE FROM integration_messagelog WHERE seq = 5")
    _sql("UPDATE integration_loghead SET seq = %s, hash = %s WHERE id = 1", 4, fourth.hash)
    assert _verify() == 1
    assert "đầu chuỗi" in capsys.readouterr().err


@pytest.mark.django_db
def test_the_first_rows_cut_and_the_anchor_moved_forward_is_found(capsys):
    _rows()
    second = MessageLog.objects.get(seq=2)
    _sql("DELETE FROM integration_messagelog WHERE seq <= 2")
    _sql("UPDATE integration_loghead SET anchor_seq = %s, anchor_hash = %s WHERE id = 1", 2, second.hash)
    assert _verify() == 1
    assert "điểm neo" in capsys.readouterr().err


@pytest.mark.django_db
def test_every_row_and_the_head_removed_is_found_through_the_checkpoint(capsys):
    from tinhso.integration.maintenance import checkpoint
    from tinhso.secwatch.models import SecurityEvent

    _rows()
    assert checkpoint() == {"checkpoint": 5}
    assert checkpoint() == {"checkpoint": None}  # once per head
    event = SecurityEvent.objects.get(kind="audit_integrity")  # the copy the SIEM export carries
    assert event.severity == "info" and event.detail["checkpoint_seq"] == 5
    _sql("DELETE FROM integration_messagelog")
    _sql("DELETE FROM integration_loghead")
    assert _verify() == 1
    assert "đầu chuỗi nhật ký bị xóa" in capsys.readouterr().err


@pytest.mark.django_db
def test_a_tail_cut_with_an_old_valid_head_replayed_is_found_by_the_checkpoint(capsys):
    """Even a head state copied earlier (valid HMAC) cannot hide a cut made
    after a checkpoint: the sealed row is no longer in the chain."""
    from tinhso.integration.maintenance import checkpoint

    _rows(3)
    old_head = LogHead.objects.values("seq", "hash", "mac").get(pk=1)
    _rows(2)
    checkpoint()
    _sql("DELETE FROM integration_messagelog WHERE seq > 3")
    _sql("UPDATE integration_loghead SET seq = %s, hash = %s, mac = %s WHERE id = 1",
         old_head["seq"], old_head["hash"], old_head["mac"])
    assert _verify() == 1
    assert "chuỗi bị cắt" in capsys.readouterr().err


@pytest.mark.django_db
def test_checkpoints_and_retention_keep_a_clean_chain_clean(settings):
    from tinhso.integration.maintenance import checkpoint
    from tinhso.integration.models import LogCheckpoint

    settings.TINHSO_MESSAGE_LOG_DAYS = 30
    _rows(2)
    checkpoint()
    _rows(2)
    checkpoint()
    assert _verify() == 0
    _backdate(MessageLog.objects.all(), days=40)
    assert _verify() == 0
    assert retention()["log_rows_removed"] == 4 and not LogCheckpoint.objects.exists()
    _rows(1)
    assert _verify() == 0


@pytest.mark.django_db
def test_the_demo_history_verifies():
    """The demo back-dates and re-seals its fortnight of traffic; the head's
    HMAC is sealed with it, so a fresh demo passes the check."""
    from tinhso.integration.demo import seed_clients

    seed_clients(days=2)
    assert MessageLog.objects.count() > 20
    assert log.verify()[1] == []


def test_a_body_digest_cannot_be_confirmed_by_hashing_a_guess(settings):
    """A citizen's lookup body (ID number, name) hashed by someone who guesses
    it does not match the log's digest; with the key it does, and the digest
    is stable for the same body."""
    import hashlib

    body = '{"SoDinhDanh":"092085001234","HoVaTen":"Nguyễn Văn An"}'.encode()
    assert log.digest(body) != hashlib.sha256(body).hexdigest()
    assert log.digest(body) == log.digest(body.decode()) and len(log.digest(body)) == 64
    settings.TINHSO_MESSAGE_LOG_KEY = "another-installation"
    assert log.digest(body) != log.digest(b"x") and log.digest(b"") == "" and log.digest(None) == ""
