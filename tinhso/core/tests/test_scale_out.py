"""Scale-out, for real: TWO app servers (bin/serve: gunicorn, 2 workers x 4
threads each) and ONE background worker process (`manage.py run_huey`, 4
threads), all on one PostgreSQL database of their own and one Redis (cache,
sessions, task queue), exactly as several machines would run them.

Concurrent traffic goes to both servers through the HTTP API, and then:
- every dossier code is unique and the count is right;
- the same transition sent to both servers at once is applied exactly once
  (one history row; the other request gets 409);
- the tasks those requests enqueue (staff e-mails, citizen messages) run
  exactly once each: e-mails written == notification rows marked sent;
- a periodic job enqueued by several workers' schedulers runs once.

Runs when the test database is PostgreSQL and Redis answers (both under CI,
where a missing Redis is a failure); select it with `-m scaleout`."""

from __future__ import annotations

import datetime
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests
from django.conf import settings

pytestmark = pytest.mark.scaleout

ROOT = Path(__file__).resolve().parents[3]
PYTHON = sys.executable
REDIS_URL = os.environ.get("TINHSO_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
SERVERS, THREADS, RECEPTIONS_PER_THREAD, RACES = 2, 8, 2, 8
MAIL_SEPARATOR = b"\n" + b"-" * 79 + b"\n"


def _need(condition: bool, reason: str) -> None:
    if not condition:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (required under CI)")
        pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _admin_connection(db):
    import psycopg

    return psycopg.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"],
                           password=db["PASSWORD"] or None, dbname="postgres", autocommit=True, connect_timeout=5)


class Cluster:
    """The processes, their database and their logs."""

    def __init__(self, tmp: Path):
        db = settings.DATABASES["default"]
        self.db = db
        self.name = f"tinhso_scaleout_{os.getpid()}"
        self.queue = f"tinhsoscaleout{os.getpid()}"  # Huey keeps only letters and digits of the name
        self.tmp = tmp
        self.mail = tmp / "mail"
        self.processes: list[tuple[str, subprocess.Popen]] = []
        user = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        self.url = f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{self.name}"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("TINHSO_", "DATABASE_URL", "DJANGO_"))}
        self.env.update({
            "DJANGO_SETTINGS_MODULE": "tinhso.settings", "DATABASE_URL": self.url,
            "TINHSO_DB_POOL_MAX": "4", "TINHSO_DB_POOL_MIN": "1",  # the psycopg pool, per process
            "TINHSO_REDIS_URL": REDIS_URL, "TINHSO_TASKS_QUEUE": self.queue, "TINHSO_CACHE_PREFIX": self.queue,
            "TINHSO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "TINHSO_EMAIL_FILE_PATH": str(self.mail), "TINHSO_MEDIA_ROOT": str(tmp / "media"),
            "TINHSO_PKI_DIR": str(tmp / "pki"), "TINHSO_REQUIRE_2FA": "false", "TINHSO_TSA_URL": "off",
            "TINHSO_TASK_WORKERS": "4", "TINHSO_LOG_LEVEL": "INFO", "TINHSO_WEB_WORKERS": "2",
            "TINHSO_WEB_THREADS": "4", "PYTHONUNBUFFERED": "1",
        })
        self.ports: list[int] = []

    # ---- lifecycle
    def create(self) -> dict:
        with _admin_connection(self.db) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
            conn.execute(f'CREATE DATABASE "{self.name}"')
            conn.execute(f'ALTER DATABASE "{self.name}" SET synchronous_commit = off')  # test speed only
        out = subprocess.run([PYTHON, "-c", "from tinhso.core.tests.scaleout_seed import main; main()"],
                             cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr[-3000:]
        return json.loads(out.stdout.strip().splitlines()[-1])

    def start(self) -> None:
        for i in range(SERVERS):
            port = _free_port()
            self.ports.append(port)
            self._spawn(f"web{i}", ["bin/serve", "--bind", f"127.0.0.1:{port}"], {"TINHSO_WEB_NAME": f"so-web{i}"})
        self._spawn("worker", [PYTHON, "manage.py", "run_huey"], {})
        deadline = time.monotonic() + 60
        for port in self.ports:
            while True:
                self.check_alive()
                try:
                    if requests.get(f"http://127.0.0.1:{port}/accounts/login/", timeout=2).status_code == 200:
                        break
                except requests.RequestException:
                    pass
                assert time.monotonic() < deadline, f"server on {port} did not start: {self.log('web0')[-2000:]}"
                time.sleep(0.3)

    def _spawn(self, name, args, extra) -> None:
        log = open(self.tmp / f"{name}.log", "wb")
        proc = subprocess.Popen(args, cwd=ROOT, env={**self.env, **extra}, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        self.processes.append((name, proc))

    def check_alive(self) -> None:
        for name, proc in self.processes:
            assert proc.poll() is None, f"{name} exited with {proc.returncode}: {self.log(name)[-3000:]}"

    def log(self, name) -> str:
        path = self.tmp / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        for _, proc in self.processes:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for _, proc in self.processes:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)

    def drop(self) -> None:
        import redis

        try:
            with _admin_connection(self.db) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        finally:
            client = redis.Redis.from_url(REDIS_URL)
            keys = list(client.scan_iter(f"*{self.queue}*"))
            if keys:
                client.delete(*keys)

    # ---- inspection
    def sql(self, query, params=()):
        import psycopg

        with psycopg.connect(self.url.replace("postgres://", "postgresql://"), autocommit=True) as conn:
            return conn.execute(query, params).fetchall()

    def huey(self):
        from huey import RedisHuey

        return RedisHuey(self.queue, url=REDIS_URL)

    def mails_sent(self) -> int:
        if not self.mail.exists():
            return 0
        return sum(p.read_bytes().count(MAIL_SEPARATOR) for p in self.mail.iterdir())


@pytest.fixture
def cluster(tmp_path):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        # bin/test runs the suite twice; this test belongs to the PostgreSQL pass.
        pytest.skip("the scale-out test needs PostgreSQL (DATABASE_URL=postgres://…); runs in the PostgreSQL pass")
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
        reachable = True
    except redis.RedisError:
        reachable = False
    _need(reachable, f"the scale-out test needs Redis at {REDIS_URL} (TINHSO_TEST_REDIS_URL)")
    c = Cluster(tmp_path)
    try:
        c.seed = c.create()
        c.start()
        yield c
    finally:
        c.stop()
        c.drop()


# --------------------------------------------------------------------------- HTTP helpers

def login(base: str, username: str) -> requests.Session:
    from tinhso.core.tests.scaleout_seed import PASSWORD

    s = requests.Session()
    s.get(f"{base}/accounts/login/", timeout=10)
    r = s.post(f"{base}/accounts/login/", data={"csrfmiddlewaretoken": s.cookies["csrftoken"], "username": username,
                                                 "password": PASSWORD}, headers={"Referer": f"{base}/"},
               allow_redirects=False, timeout=20)
    assert r.status_code == 302, r.text[:500]
    return s


def client_for(cookies) -> requests.Session:
    """A session carrying the same login cookies (each thread gets its own)."""
    s = requests.Session()
    s.cookies.update(cookies)
    s.headers["X-CSRFToken"] = cookies["csrftoken"]
    return s


def run_together(calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, fn):
        try:
            barrier.wait(timeout=20)
            results[i] = fn()
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def wait_until(condition, timeout=40, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


# --------------------------------------------------------------------------- the test

def test_two_app_servers_and_a_worker_on_one_database(cluster):
    seed = cluster.seed
    bases = [f"http://127.0.0.1:{port}" for port in cluster.ports]
    # Signed in on server 0; the same session works on server 1 (sessions are shared: no sticky sessions).
    cookies = login(bases[0], "motcua").cookies
    body = {"receiving_agency": seed["centre"], "procedure": "1.000894", "case": "1", "area": seed["commune"],
            "applicant": {"owner_name": "Nguyễn Văn An", "owner_id_number": "092095001234",
                          "owner_email": "an@example.vn", "owner_phone": "0912345678",
                          "notify_sms": True, "notify_email": True},
            "components": [{"required_component_id": seed["component"], "originals": 1}]}

    # 1. 2 servers x 8 threads receive dossiers at once.
    def receiver(base):
        def go():
            s, codes = client_for(cookies), []
            for _ in range(RECEPTIONS_PER_THREAD):
                r = s.post(f"{base}/api/v1/dossiers", json=body, timeout=60)
                assert r.status_code == 201, r.text[:500]
                codes.append((r.json()["code"], r.json()["version"]))
            return codes
        return go

    results = run_together([receiver(bases[i % SERVERS]) for i in range(SERVERS * THREADS)])
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors[:3]
    received = [pair for codes in results for pair in codes]
    expected = SERVERS * THREADS * RECEPTIONS_PER_THREAD
    assert len(received) == expected and len({code for code, _ in received}) == expected
    rows = cluster.sql("SELECT code FROM dossiers_dossier")
    assert len(rows) == expected + 1 and len({c for (c,) in rows}) == expected + 1  # + the seeded overdue one
    assert not set(c for c, _ in received) - {c for (c,) in rows}

    # 2. The same transition for the same dossier and version, sent to both servers at once.
    races = received[:RACES]
    calls = []
    for code, version in races:
        for base in bases:
            calls.append(lambda base=base, code=code, version=version: client_for(cookies).post(
                f"{base}/api/v1/dossiers/{code}/actions/forward",
                json={"version": version, "receiver": "chuyenvien", "comment": "Chuyển thẩm định"}, timeout=60))
    responses = run_together(calls)
    for i, (code, _) in enumerate(races):
        pair = responses[2 * i: 2 * i + 2]
        assert not [r for r in pair if isinstance(r, Exception)], pair
        assert sorted(r.status_code for r in pair) == [200, 409], [(r.status_code, r.text[:200]) for r in pair]
        assert [r.json()["code"] for r in pair if r.status_code == 409] == ["dossier_changed"]
    counts = dict(cluster.sql(
        "SELECT d.code, count(*) FROM dossiers_dossierevent e JOIN dossiers_dossier d ON d.id = e.dossier_id "
        "WHERE e.action = 'forward' GROUP BY d.code"))
    assert counts == {code: 1 for code, _ in races}
    assert cluster.sql("SELECT count(*) FROM dossiers_dossier WHERE version <> %s AND code = ANY(%s)",
                       (races[0][1] + 1, [c for c, _ in races]))[0][0] == 0

    # 2b. A role revoked by another process (a separate Python process using the ORM, as the back office
    # would) stops working on the next request to every worker of both servers, though they keep reference
    # data and roles in a per-process cache (tinhso/catalogue/refcache.py); given back, it works again.
    def orm(code):
        out = subprocess.run([PYTHON, "-c", "import django; django.setup()\n" + code], cwd=ROOT, env=cluster.env,
                             capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr[-3000:]

    spare_code, spare_version = received[RACES]
    forward_spare = [lambda base=base: client_for(cookies).post(
        f"{base}/api/v1/dossiers/{spare_code}/actions/forward",
        json={"version": spare_version, "receiver": "chuyenvien"}, timeout=60) for base in bases for _ in range(4)]
    orm("from tinhso.accounts.models import RoleAssignment\n"
        "RoleAssignment.objects.filter(user__username='motcua', role='clerk').delete()")
    refused = run_together(forward_spare)
    # (404: without the role the dossier is outside the clerk's scope, so it is not even shown)
    assert [getattr(r, "status_code", r) for r in refused] == [404] * len(forward_spare), \
        [(r.status_code, r.text[:200]) if hasattr(r, "status_code") else r for r in refused]
    orm("from tinhso.accounts.models import RoleAssignment, User\nfrom tinhso.agencies.models import Agency\n"
        f"RoleAssignment.objects.create(user=User.objects.get(username='motcua'), role='clerk', "
        f"agency=Agency.objects.get(code={seed['centre']!r}))")
    again = client_for(cookies).post(f"{bases[1]}/api/v1/dossiers/{spare_code}/actions/forward",
                                     json={"version": spare_version, "receiver": "chuyenvien"}, timeout=60)
    assert again.status_code == 200, again.text[:500]

    # 3. A periodic job enqueued by the schedulers of several workers at once runs once.
    now = datetime.datetime.now(datetime.timezone.utc)
    if (now.minute % 5 == 4 and now.second > 50) or (now.minute % 5 == 0 and now.second < 3):
        time.sleep(10)  # keep the copies inside one schedule slot (slots start on multiples of 5 minutes)
    from huey.registry import Message

    huey = cluster.huey()
    for _ in range(3):
        huey.storage.enqueue(huey.serializer.serialize(Message(
            id=str(uuid.uuid4()), name="tinhso.dossiers.tasks.flag_deadlines_task", eta=None, retries=0,
            retry_delay=0, priority=None, args=(), kwargs={})), None)

    # 4. The worker drains the queue: every task ran exactly once.
    wait_until(lambda: huey.pending_count() == 0, what="the queue to drain")

    def settled():
        cluster.check_alive()
        pending = cluster.sql("SELECT count(*) FROM notifications_notification n JOIN accounts_user u "
                              "ON u.id = n.recipient_id WHERE u.email <> '' AND NOT n.emailed")[0][0]
        unsent = cluster.sql("SELECT count(*) FROM notifications_outgoingmessage WHERE status <> 'sent'")[0][0]
        log = cluster.log("worker")
        return pending == 0 and unsent == 0 and "flag_deadlines" in log and log.count("dossiers-flag-deadlines") >= 3
    wait_until(settled, what="notifications, citizen messages and the deadline job")
    time.sleep(1.5)  # anything still running would show up as an extra e-mail below

    emailed = cluster.sql("SELECT count(*) FROM notifications_notification WHERE emailed")[0][0]
    citizen_mails = cluster.sql("SELECT count(*) FROM notifications_outgoingmessage "
                                "WHERE channel = 'email' AND status = 'sent'")[0][0]
    sms = cluster.sql("SELECT count(*) FROM notifications_outgoingmessage WHERE channel = 'sms'")[0][0]
    assert emailed >= RACES and citizen_mails >= expected and sms >= expected  # the traffic produced work
    assert cluster.mails_sent() == emailed + citizen_mails  # ... and each e-mail went out exactly once

    log = cluster.log("worker")
    runs = re.findall(r"periodic job dossiers-flag-deadlines for slot (\S+ \S+) (ran|skipped)", log)
    by_slot: dict[str, list[str]] = {}
    for slot, outcome in runs:
        by_slot.setdefault(slot, []).append(outcome)
    assert len(runs) >= 3 and all(outcomes.count("ran") == 1 for outcomes in by_slot.values()), by_slot
    overdue = cluster.sql("SELECT n.recipient_id, count(*) FROM notifications_notification n "
                          "WHERE n.kind = 'dossier.overdue' GROUP BY n.recipient_id")
    assert overdue and all(count == 1 for _, count in overdue), overdue  # clerk + leader, once each
    assert "Traceback" not in log, log[-3000:]
    for i in range(SERVERS):
        assert "Traceback" not in cluster.log(f"web{i}"), cluster.log(f"web{i}")[-3000:]
