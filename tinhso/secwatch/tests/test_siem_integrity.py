"""SIEM exports (JSON lines, RFC 5424 syslog over UDP) and the audit log's
integrity chain."""

from __future__ import annotations

import datetime
import json
import re
import socket
import threading

import pytest
from django.db import transaction
from django.utils import timezone

from tinhso.audit.actions import record
from tinhso.audit.models import AuditEvent
from tinhso.secwatch import integrity, siem
from tinhso.secwatch.events import record_event
from tinhso.secwatch.models import AlertRule, SecurityEvent
from tinhso.testing import make_staff

pytestmark = pytest.mark.django_db

# RFC 5424 §6: HEADER SP STRUCTURED-DATA [SP MSG]
RFC5424 = re.compile(
    r'^<(?P<pri>\d{1,3})>1 (?P<ts>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,6})?(?:Z|[+-]\d\d:\d\d)) '
    r'(?P<host>[!-~]{1,255}) (?P<app>[!-~]{1,48}) (?P<proc>[!-~]{1,128}) (?P<msgid>[!-~]{1,32}) '
    r'(?P<sd>-|(?:\[[^ =\]"]{1,32}(?: [^ =\]"]{1,32}="(?:[^"\\\]]|\\["\\\]])*")*\])+)(?: (?P<msg>.*))?$', re.S)


@pytest.fixture
def officer(agency):
    return make_staff("kiemtra", roles=[("auditor", agency)], two_factor=False)


def _events():
    AlertRule.objects.all().delete()  # the events alone (rules are tested in test_events.py)
    record_event("signin_failed", username="lanh]dao\"x", address="10.0.0.1", detail={"stage": "password"})
    record_event("audit_integrity", "critical", detail={"problems": [{"seal": "1..3", "problem": "sửa"}]})
    return list(SecurityEvent.objects.order_by("id"))


def test_syslog_lines_parse_as_rfc5424_with_escaped_structured_data():
    for event in _events():
        line = siem.syslog_line(event, hostname="tinhso-app-1")
        m = RFC5424.match(line)
        assert m, line
        assert int(m["pri"]) == 10 * 8 + siem.SYSLOG_SEVERITY[event.severity]
        assert m["msgid"] == event.kind and m["msg"].startswith("\ufeff")
    first = siem.syslog_line(_events()[0], hostname="h")
    assert 'user="lanh\\]dao\\"x"' in first


def _settled():
    """Rows written a minute ago: past the stream's settling delay."""
    SecurityEvent.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=1))


def test_json_lines_download_and_cursor_stream(client, officer):
    events = _events()
    _settled()
    client.force_login(officer)
    body = b"".join(client.get("/an-ninh/xuat/su-kien.jsonl").streaming_content).decode()
    rows = [json.loads(line) for line in body.splitlines()]
    assert [r["kind"] for r in rows] == ["signin_failed", "audit_integrity"]
    assert rows[0]["username"] == 'lanh]dao"x' and rows[0]["at"].endswith("Z")
    response = client.get("/api/v1/security/events", {"after": 0, "limit": 1})
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["id"] == events[0].pk
    cursor = response["X-Next-Cursor"]
    response = client.get("/api/v1/security/events", {"after": cursor})
    assert [json.loads(x)["id"] for x in b"".join(response.streaming_content).decode().splitlines()] == [events[1].pk]
    assert client.get("/api/v1/security/events", {"limit": 0}).status_code == 422
    syslog = b"".join(client.get("/an-ninh/xuat/syslog.log").streaming_content).decode().splitlines()
    assert len(syslog) == 2 and all(RFC5424.match(x) for x in syslog)



def test_a_siem_pulls_the_stream_through_the_integration_gateway(client, officer, agency, settings):
    """A SIEM is a client system granted `security-events`; it reads as its service account."""
    from tinhso.integration import actions
    from tinhso.integration.models import MessageLog

    events = _events()
    settings.TINHSO_SIEM_SETTLE_SECONDS = 0
    siem_client = actions.register_client(acting_user=None, name="SIEM của Sở KH&CN")
    actions.grant_services(acting_user=None, client=siem_client, codes=["security-events"])
    _row, key = actions.issue_key(acting_user=None, client=siem_client, scopes=["security-events"])
    headers = {"X-API-Key": key}
    assert client.get("/api/v1/security/events", headers=headers).status_code == 403  # no service account yet
    actions.update_client(acting_user=None, client=siem_client, service_user=officer)
    response = client.get("/api/v1/security/events", {"after": 0}, headers=headers)
    assert response.status_code == 200
    rows = [json.loads(x) for x in b"".join(response.streaming_content).decode().splitlines()]
    assert [r["id"] for r in rows[:2]] == [e.pk for e in events]
    assert len(rows) == 3  # the refused call above is itself a security event
    assert MessageLog.objects.filter(client=siem_client, service="security-events", status=200).count() == 1
    clerk = make_staff("motcua.siem", roles=[("clerk", agency)])
    actions.update_client(acting_user=None, client=siem_client, service_user=clerk)  # not a reader
    assert client.get("/api/v1/security/events", headers=headers).status_code == 403

def test_forward_over_udp_to_the_configured_host_moves_the_cursor(settings):
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind(("127.0.0.1", 0))
    server.settimeout(5)
    settings.TINHSO_SIEM_SYSLOG = f"udp://127.0.0.1:{server.getsockname()[1]}"
    received = []

    def listen():
        for _ in range(2):
            received.append(server.recv(65535).decode())

    thread = threading.Thread(target=listen)
    thread.start()
    try:
        _events()
        assert siem.forward_syslog() == 2
        thread.join(5)
        assert siem.forward_syslog() == 0
    finally:
        server.close()
    assert len(received) == 2 and all(RFC5424.match(x) for x in received)


def _audit_rows(n):
    with transaction.atomic():
        for i in range(n):
            record(actor=None, action="test.row", changes={"i": i})
    AuditEvent.objects.update(created_at=timezone.now() - datetime.timedelta(hours=1))


def test_integrity_check_seals_and_finds_a_changed_or_removed_row():
    _audit_rows(5)
    result = integrity.check()
    assert result["problems"] == [] and result["sealed"] == 1
    assert integrity.check()["problems"] == []
    row = AuditEvent.objects.order_by("id")[2]
    AuditEvent.objects.filter(pk=row.pk).update(note="sửa lén")
    problems = integrity.check()["problems"]
    assert problems and "sửa" in problems[0]["problem"]
    event = SecurityEvent.objects.get(kind="audit_integrity")
    assert event.severity == "critical"
    AuditEvent.objects.filter(pk=row.pk).update(note="")
    assert integrity.verify() == []
    AuditEvent.objects.filter(pk=row.pk).delete()
    assert "bị xóa hoặc chèn" in integrity.verify()[0]["problem"]


def test_recent_rows_wait_before_sealing():
    integrity.seal_new()  # rows older than the wait (e.g. written while the test database was set up) are sealed
    with transaction.atomic():
        record(actor=None, action="test.row")
    assert integrity.seal_new() == 0


def _event_with_id(pk: int, username: str) -> SecurityEvent:
    return SecurityEvent.objects.create(id=pk, at=timezone.now(), kind="signin_failed", severity="warning",
                                        username=username)


def test_the_stream_waits_for_late_commits_so_a_lower_id_is_never_skipped(client, officer):
    """Ids are given out at insert, not at commit: an event written in a
    longer transaction appears after a higher id. The stream hands out only
    settled rows and stops before the first one still settling."""
    AlertRule.objects.all().delete()
    base = (SecurityEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    first = _event_with_id(base, "mot")
    SecurityEvent.objects.filter(pk=first.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=1))
    high = _event_with_id(base + 100, "ba")  # just written: still settling
    client.force_login(officer)

    def read(after):
        response = client.get("/api/v1/security/events", {"after": after})
        rows = [json.loads(x) for x in b"".join(response.streaming_content).decode().splitlines()]
        return [r["username"] for r in rows if r["id"] >= base], int(response["X-Next-Cursor"])

    names, cursor = read(base - 1)
    assert names == ["mot"] and cursor == first.pk  # the settling row and everything after it wait
    late = _event_with_id(base + 50, "hai")  # committed late, with a lower id than one already written
    names, cursor = read(cursor)
    assert names == [] and cursor == first.pk
    SecurityEvent.objects.filter(pk__in=[high.pk, late.pk]).update(
        created_at=timezone.now() - datetime.timedelta(minutes=1))
    names, cursor = read(cursor)
    assert names == ["hai", "ba"] and cursor == high.pk
    assert client.get("/api/v1/security/events", {"after": 2**70}).status_code == 422


def test_syslog_sends_a_late_committed_lower_id_and_pruning_keeps_it_until_sent(settings):
    """The forwarder marks each row it sent: a row that turns up later with a
    lower id than sent ones goes out on the next run; pruning removes only
    sent rows while forwarding is on."""
    from tinhso.secwatch.actions import prune_events

    AlertRule.objects.all().delete()
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind(("127.0.0.1", 0))
    server.settimeout(5)
    settings.TINHSO_SIEM_SYSLOG = f"udp://127.0.0.1:{server.getsockname()[1]}"
    try:
        SecurityEvent.objects.update(forwarded_at=timezone.now())  # what the test database already holds
        base = (SecurityEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
        _event_with_id(base, "mot"), _event_with_id(base + 100, "ba")
        assert siem.forward_syslog() == 2
        got = [server.recv(65535).decode() for _ in range(2)]
        assert [' user="mot" ' in got[0], ' user="ba" ' in got[1]] == [True, True]
        late = _event_with_id(base + 50, "hai")  # lower id than one already sent
        SecurityEvent.objects.update(at=timezone.now() - datetime.timedelta(days=1000))
        assert prune_events()["removed"] == 2  # the two sent; the late one is not sent yet
        assert list(SecurityEvent.objects.filter(pk__gte=base).values_list("pk", flat=True)) == [late.pk]
        assert siem.forward_syslog() == 1
        assert ' user="hai" ' in server.recv(65535).decode()
        assert siem.forward_syslog() == 0
        assert prune_events()["removed"] == 1
    finally:
        server.close()


def test_a_clean_check_records_an_information_event_with_the_chain_head():
    """Every check's result reaches the SIEM: a clean one as `audit_checked`
    (information) carrying the last seal's digest, which fires no rule."""
    from tinhso.secwatch.models import Alert, AuditSeal

    _audit_rows(3)
    result = integrity.check()
    assert result["problems"] == []
    event = SecurityEvent.objects.get(kind="audit_checked")
    last = AuditSeal.objects.order_by("-last_id").first()
    assert event.severity == "info" and event.get_kind_display() == "Đã kiểm tra toàn vẹn nhật ký"
    assert event.detail["digest"] == last.digest and event.detail["last_id"] == last.last_id
    assert event.detail["seals"] == result["seals"] and event.detail["sealed"] == result["sealed"]
    assert not SecurityEvent.objects.filter(kind__in=["audit_integrity", "alert"]).exists()
    assert not Alert.objects.exists()
    integrity.check()
    assert SecurityEvent.objects.filter(kind="audit_checked").count() == 2  # one per check
