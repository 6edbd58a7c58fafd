"""Outgoing calls: retries with backoff, the circuit breaker shared through
the database, and a log row per attempt."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tinhso.integration import outbound
from tinhso.integration.models import MessageLog, Service

URL = "http://testserver/api/v1/health"


@pytest.mark.django_db
def test_a_good_answer_is_logged_and_marks_the_system_healthy(wire):
    response = outbound.call("postal", "GET", URL, purpose="kiểm tra", subject="H13.1")
    assert response.status_code == 200
    row = MessageLog.objects.get()
    assert (row.direction, row.service, row.outcome, row.subject) == ("out", "postal", "ok", "H13.1")
    assert row.response_digest and row.operation == f"GET {URL}"
    svc = Service.objects.get(code="postal")
    assert svc.last_ok_at and svc.health == "ok"


@pytest.mark.django_db
def test_retries_then_the_breaker_opens_and_later_a_probe_closes_it(wire):
    Service.objects.filter(code="postal").update(max_retries=2, failure_threshold=2, cooldown_seconds=60)
    wire.down.add("/api/v1/health")
    for _ in range(2):
        with pytest.raises(outbound.Unavailable) as info:
            outbound.call("postal", "GET", URL, purpose="kiểm tra")
        assert "không trả lời" in info.value.message
    assert len(wire.calls) == 6  # 1 + 2 retries, twice
    svc = Service.objects.get(code="postal")
    assert svc.breaker == "open" and svc.health == "down" and "không kết nối được" in svc.last_error
    # open: refused at once, no call goes out, the refusal is logged
    with pytest.raises(outbound.Unavailable) as info:
        outbound.call("postal", "GET", URL, purpose="kiểm tra")
    assert "tạm ngừng" in info.value.message and len(wire.calls) == 6
    assert MessageLog.objects.filter(outcome="circuit_open").count() == 1
    # after the cooldown one probe goes; the system is back, so the breaker closes
    wire.down.clear()
    Service.objects.filter(code="postal").update(opened_at=timezone.now() - datetime.timedelta(seconds=61))
    assert outbound.call("postal", "GET", URL, purpose="kiểm tra").status_code == 200
    svc = Service.objects.get(code="postal")
    assert svc.breaker == "closed" and svc.failures == 0


@pytest.mark.django_db
def test_a_failed_probe_opens_the_breaker_again(wire):
    Service.objects.filter(code="postal").update(breaker="open", max_retries=0, cooldown_seconds=60,
                                                 opened_at=timezone.now() - datetime.timedelta(seconds=61))
    wire.down.add("/api/v1/health")
    with pytest.raises(outbound.Unavailable):
        outbound.call("postal", "GET", URL, purpose="kiểm tra")
    svc = Service.objects.get(code="postal")
    assert svc.breaker == "open" and timezone.now() - svc.opened_at < datetime.timedelta(seconds=5)


@pytest.mark.django_db
def test_a_post_is_not_retried_unless_the_caller_says_it_is_idempotent(wire):
    Service.objects.filter(code="postal").update(max_retries=3)
    wire.down.add("/api/v1/health")
    with pytest.raises(outbound.Unavailable):
        outbound.call("postal", "POST", URL, purpose="tạo vận đơn", json={"a": 1})
    assert len(wire.calls) == 1
    with pytest.raises(outbound.Unavailable):
        outbound.call("postal", "POST", URL, purpose="tạo vận đơn", json={"a": 1}, retry=True)
    assert len(wire.calls) == 5


@pytest.mark.django_db
def test_a_client_error_is_an_answer_not_an_outage(wire):
    response = outbound.call("postal", "GET", "http://testserver/api/v1/no-such-thing", purpose="kiểm tra")
    assert response.status_code == 404
    assert Service.objects.get(code="postal").failures == 0
    assert MessageLog.objects.get().outcome == "invalid"


@pytest.mark.django_db
def test_health_endpoint_lists_external_systems(client, wire):
    Service.objects.filter(code="population").update(breaker="open", opened_at=timezone.now())
    body = client.get("/api/v1/integration/external-systems").json()
    states = {s["code"]: s["health"] for s in body["systems"]}
    assert states["population"] == "down" and body["status"] == "degraded"
    assert "national-portal" in states and "dossiers" not in states


@pytest.mark.django_db
def test_a_system_that_never_answers_times_out_and_the_caller_is_told(db):
    """A real socket that accepts and stays silent: the service's own timeout
    ends the wait, the row says timeout, the caller gets Unavailable."""
    import socket
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    held, stop = [], threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])  # read nothing, answer nothing
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    Service.objects.filter(code="postal").update(timeout_seconds=0.3, max_retries=1)
    url = f"http://127.0.0.1:{server.getsockname()[1]}/orders"
    try:
        started = datetime.datetime.now()
        with pytest.raises(outbound.Unavailable) as info:
            outbound.call("postal", "GET", url, purpose="kiểm tra", subject="H13.2")
        assert datetime.datetime.now() - started < datetime.timedelta(seconds=5)
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        server.close()
    assert "không trả lời" in info.value.message and "quá thời gian chờ" in info.value.detail
    rows = list(MessageLog.objects.filter(service="postal").order_by("seq"))
    assert [r.outcome for r in rows] == ["timeout", "timeout"] and all(r.latency_ms >= 250 for r in rows)
    assert Service.objects.get(code="postal").failures == 1


@pytest.mark.django_db
def test_a_call_from_inside_an_event_loop_borrows_the_callers_connection(wire):
    """pyHanko's coroutines call the TSA and the remote signing service from
    inside an event loop, where Django allows no query (production) or hands
    out another connection (tests allow it for Playwright): the call runs in a
    helper thread on the caller's own connection, so its row is in the
    caller's transaction (here: the test's, never committed)."""
    import asyncio

    from django.db import DEFAULT_DB_ALIAS, connections

    mine = connections[DEFAULT_DB_ALIAS]

    async def inside():
        assert connections[DEFAULT_DB_ALIAS] is not mine  # why the connection is taken before the loop
        return outbound.call_from_event_loop("postal", "GET", URL, purpose="kiểm tra", subject="H13.2",
                                             connection=mine)

    assert asyncio.run(inside()).status_code == 200
    assert MessageLog.objects.get().subject == "H13.2"
    assert mine.in_atomic_block and not mine.allow_thread_sharing  # lent back
