"""Calling an external (national or sector) system: the one place every
outgoing exchange goes through.

`call(service_code, method, url, ...)` sends the request with the service's
timeout, retries idempotent requests with exponential backoff and jitter on
connection errors, timeouts and 5xx answers, keeps a circuit breaker per
service in the database (shared by every process: after `failure_threshold`
consecutive failures the service is not called for `cooldown_seconds`, then
one probe is let through), and appends one message-log row per attempt (the
request and response bodies only as digests).

It raises `Unavailable` (not reachable, too slow, 5xx, breaker open) — the
caller goes on without the answer and retries later, telling the user so —
or returns the `requests.Response` for any other answer (4xx included); with
`check=` the provider reads the answer inside the call, and garbage
(`BadAnswer`) is logged as `bad_answer` and trips the breaker. Production never
fakes success; tests reach the sandboxes through `TRANSPORT_MOUNTS`
(tinhso.testing.DjangoTestClientAdapter) or a live server.

Code that runs inside an asyncio event loop (pyHanko's signing coroutines:
time-stamping, remote signing) uses `call_from_event_loop`, which makes the
same call from a helper thread (Django allows no query inside a loop)."""

from __future__ import annotations

import datetime
import logging
import random
import time

import requests
from django.db.models import F
from django.utils import timezone

from tinhso.integration import log as message_log
from tinhso.integration.models import Breaker, Outcome, Service
from tinhso.integration.registry import service as registry_service

logger = logging.getLogger("tinhso.integration")

# URL prefix -> requests transport adapter (tests only; production never sets it).
TRANSPORT_MOUNTS: dict[str, requests.adapters.BaseAdapter] = {}
# Seconds of the first backoff; doubled per retry, with jitter. Tests set 0.
BACKOFF = 0.3
IDEMPOTENT = {"GET", "HEAD", "PUT", "DELETE", "OPTIONS"}


class ExternalError(Exception):
    """An external system did not give a usable answer. `message` is for the
    user (Vietnamese), `detail` for the log."""

    outcome = Outcome.ERROR

    def __init__(self, service: str, message: str, detail: str = ""):
        self.service = service
        self.message = message
        self.detail = detail or message
        super().__init__(f"{service}: {self.detail}")


class Unavailable(ExternalError):
    outcome = Outcome.UNAVAILABLE


class BadAnswer(ExternalError):
    outcome = Outcome.BAD_ANSWER


def session() -> requests.Session:
    s = requests.Session()
    for prefix, adapter in TRANSPORT_MOUNTS.items():
        s.mount(prefix, adapter)
    return s


def _admit(svc: Service, now: datetime.datetime) -> bool:
    """May a call go out? Closed: yes. Open: only once the cooldown is over,
    and then only the one process that wins the switch to half-open."""
    if svc.breaker == Breaker.CLOSED:
        return True
    if svc.breaker == Breaker.OPEN:
        if svc.opened_at and now - svc.opened_at < datetime.timedelta(seconds=svc.cooldown_seconds):
            return False
        return bool(Service.objects.filter(pk=svc.pk, breaker=Breaker.OPEN, opened_at=svc.opened_at)
                    .update(breaker=Breaker.HALF_OPEN))
    # half-open: a probe is under way; the others wait for its verdict (unless it died long ago)
    return bool(svc.opened_at and now - svc.opened_at >= datetime.timedelta(seconds=svc.cooldown_seconds * 2)
                and Service.objects.filter(pk=svc.pk, breaker=Breaker.HALF_OPEN).update(opened_at=now))


def _succeeded(svc: Service) -> None:
    Service.objects.filter(pk=svc.pk).update(breaker=Breaker.CLOSED, failures=0, opened_at=None,
                                             last_ok_at=timezone.now())


def _failed(svc: Service, detail: str) -> None:
    now = timezone.now()
    Service.objects.filter(pk=svc.pk).update(failures=F("failures") + 1, last_error_at=now, last_error=detail[:500])
    fresh = Service.objects.filter(pk=svc.pk).values("failures", "breaker").first()
    if fresh and (fresh["breaker"] == Breaker.HALF_OPEN or fresh["failures"] >= svc.failure_threshold):
        Service.objects.filter(pk=svc.pk).update(breaker=Breaker.OPEN, opened_at=now)
        logger.warning("circuit for %s opened after %s failures: %s", svc.code, fresh["failures"], detail)


def call(service_code: str, method: str, url: str, *, purpose: str, subject: str = "", json=None, data=None,
         params=None, headers=None, retry: bool | None = None, timeout: float | None = None, check=None):
    """Send one exchange (see the module's docstring). `check(response)`, when
    given, reads the answer before it is logged and returns what `call`
    returns: raising `BadAnswer` there (garbage, wrong shape) makes the row's
    outcome `bad_answer` and counts as a failure for the breaker, exactly like
    no answer — a system answering garbage is opened like a system that is
    down. Without `check`, the `requests.Response` is returned."""
    svc = registry_service(service_code)
    method = method.upper()
    retry = method in IDEMPOTENT if retry is None else retry
    attempts = 1 + (svc.max_retries if retry else 0)
    if json is not None:  # serialised here so that the digest is of the very bytes sent
        data, headers = _json_bytes(json), {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
    request_digest = message_log.digest(data)
    operation = f"{method} {url.split('?')[0]}"
    if not _admit(svc, timezone.now()):
        message_log.append(direction="out", service=svc.code, operation=operation, purpose=purpose, subject=subject,
                           request_digest=request_digest, outcome=Outcome.CIRCUIT_OPEN)
        raise Unavailable(svc.code, f"Hệ thống “{svc.name}” đang tạm ngừng kết nối; sẽ thử lại sau.", "breaker open")
    last_error = ""
    with session() as http:
        for attempt in range(attempts):
            if attempt:
                time.sleep(BACKOFF * (2 ** (attempt - 1)) * (0.5 + random.random()))
            started = time.monotonic()
            try:
                response = http.request(method, url, data=data, params=params,
                                        headers=headers, timeout=timeout or svc.timeout_seconds)
            except requests.Timeout as exc:
                outcome, status, last_error, response = Outcome.TIMEOUT, 0, f"quá thời gian chờ: {exc}", None
            except requests.RequestException as exc:
                outcome, status, last_error, response = Outcome.UNAVAILABLE, 0, f"không kết nối được: {exc}", None
            else:
                status = response.status_code
                outcome = Outcome.ERROR if status >= 500 else (Outcome.OK if status < 400 else Outcome.INVALID)
                if status >= 500:
                    last_error = f"HTTP {status}"
            latency_ms = int((time.monotonic() - started) * 1000)
            row = {"direction": "out", "service": svc.code, "operation": operation, "purpose": purpose,
                   "subject": subject, "request_digest": request_digest, "status": status,
                   "response_digest": message_log.digest(response.content if response is not None else None)}
            if response is None or status >= 500:
                message_log.append(**row, outcome=outcome, latency_ms=latency_ms)
                continue
            try:
                result = check(response) if check is not None else response
            except BadAnswer as exc:
                message_log.append(**row, outcome=Outcome.BAD_ANSWER, latency_ms=latency_ms)
                _failed(svc, exc.detail)
                raise
            except BaseException:  # a clear refusal read by the check: the system answered
                message_log.append(**row, outcome=outcome, latency_ms=latency_ms)
                _succeeded(svc)
                raise
            message_log.append(**row, outcome=outcome, latency_ms=latency_ms)
            _succeeded(svc)
            return result
        _failed(svc, last_error)
    raise Unavailable(svc.code, f"Hệ thống “{svc.name}” không trả lời; hồ sơ vẫn được tiếp nhận và sẽ kiểm tra lại sau.",
                      last_error)


def call_from_event_loop(*args, connection=None, **kwargs) -> requests.Response:
    """`call` for code running inside an asyncio event loop (pyHanko's signing
    coroutines: the time-stamp request, remote signing), where Django refuses
    database queries: see `outside_loop`."""
    return outside_loop(call, *args, connection=connection, **kwargs)


def outside_loop(function, *args, connection=None, **kwargs):
    """Run `function` (which uses the database) from inside an asyncio event
    loop: in a helper thread while this one waits (the loop is blocked, as
    with any blocking request there).

    `connection`: the caller's database connection, taken in synchronous code
    before the loop started. The helper borrows it (its owner is waiting), so
    the breaker and the message-log row are written in the caller's
    transaction, exactly as `call` would (signing often runs inside one; a
    second connection would wait on its lock under SQLite). Without one the
    helper uses a connection of its own, closed when it is done: only for
    callers that run outside any transaction."""
    import threading

    from django.db import connections

    outcome: dict = {}

    def target():
        if connection is not None:
            connections[connection.alias] = connection
        try:
            outcome["value"] = function(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            outcome["error"] = exc
        finally:
            if connection is None:
                connections.close_all()

    if connection is not None:
        connection.inc_thread_sharing()
    try:
        worker = threading.Thread(target=target, name="outbound-call")
        worker.start()
        worker.join()
    finally:
        if connection is not None:
            connection.dec_thread_sharing()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def _json_bytes(value) -> bytes:
    import json as _json

    return _json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
