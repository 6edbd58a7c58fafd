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
    MessageLog.objects.filter(seq__lte=2).update(at=timezone.now() - datetime.timedelta(days=40))
    # moving `at` changed two rows: re-seal them as the log would have written them (test set-up only)
    head = "0" * 64
    for row in MessageLog.objects.order_by("seq"):
        row.prev_hash = head
        row.hash = log.row_hash(row, head)
        row.save()
        head = row.hash
    LogHead.objects.filter(pk=1).update(hash=head)
    assert retention()["log_rows_removed"] == 2
    assert list(MessageLog.objects.values_list("seq", flat=True).order_by("seq")) == [3, 4]
    assert _verify() == 0
    _rows(1)
    assert _verify() == 0 and MessageLog.objects.order_by("-seq").first().seq == 5
