"""Benchmark the public JSON API under the production server.

Starts the production app server as `bin/serve` does (gunicorn with
deploy/gunicorn.conf.py: several worker processes x threads; TINHSO_ENV=
production, DEBUG off, PostgreSQL, persistent database connections) on a free
localhost port, and drives it with `wrk` (64 concurrent keep-alive
connections, closed loop) for the same duration on each endpoint:

* baseline: `GET /api/v1/health` — the load balancer's liveness check, a
  trivial JSON answer that touches no database (the cost of the server,
  Django and django-ninja alone);
* `GET /api/v1/public/dossiers/{code}?phone_last4=NNNN` — the citizens'
  anonymous look-up, a random existing dossier each request;
* `GET /api/v1/procedures?q=...` — catalogue search, a random realistic
  Vietnamese query each request (with and without diacritics).

Figures per endpoint: requests per second (ratio to the baseline; target
>= 0.5) and p50/p99 latency (target p99 < 50 ms). `ok` is false if any
response was not 200 or wrk saw socket errors.

    .venv/bin/python bench/bench_api.py [--database tinhso_bench] [--dossiers 1000000] [--duration 15]
        [--warmup 3] [--rounds 1] [--connections 64] [--workers N] [--threads N] [--gunicorn-args "..."]
        [--n 10000] [--json PATH]

The CPU time used per request by the app server, PostgreSQL and wrk is
reported too (from /proc): unlike req/s it hardly depends on what else the
machine is doing.

Needs `wrk` (Debian package `wrk`; `bin/setup --bench` installs it).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlencode

from common import ROOT, bootstrap, figure, log, write_json

TARGET_RATIO = 0.5
TARGET_P99_MS = 50.0

# Queries citizens type: names of procedures, with and without diacritics, whole or in part.
QUERIES = [
    "khai sinh", "đăng ký khai sinh", "dang ky khai sinh", "khai tử", "khai tu", "kết hôn", "đăng ký kết hôn",
    "dang ky ket hon", "ket hon", "cấp phép xây dựng", "cap phep xay dung", "giấy phép xây dựng",
    "giay phep xay dung", "xây dựng", "thường trú", "thuong tru", "tạm trú", "tam tru", "hộ kinh doanh",
    "ho kinh doanh", "đăng ký kinh doanh", "chứng thực", "chung thuc", "chứng thực bản sao", "bản sao",
    "quyền sử dụng đất", "quyen su dung dat", "đất đai", "dat dai", "giấy chứng nhận", "tình trạng hôn nhân",
    "tinh trang hon nhan", "mai táng", "mai tang phi", "trợ cấp xã hội", "tro cap", "rượu", "ruou",
    "xăng dầu", "xang dau", "an toàn thực phẩm", "an toan thuc pham", "lao động", "lao dong nuoc ngoai",
    "hộ tịch", "ho tich", "trích lục", "doanh nghiệp", "doanh nghiep tu nhan", "chuyển trường", "văn bằng",
    "bảo hiểm y tế", "khám bệnh", "cải chính", "nhận cha mẹ con", "gia hạn", "gia han giay phep",
]

LUA = r"""
-- One path per line in the file given after `--`; each request GETs a random one.
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  non200 = 0
  math.randomseed(os.time() * 1000 + id)
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

function response(status, headers, body)
  if status ~= 200 then non200 = non200 + 1 end
end

function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + t:get("non200") end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "mean_us": %.1f, "non200": %d, "connect": %d, "read": %d, "write": %d, "status": %d, ' ..
    '"timeout": %d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, latency.mean, bad, e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def top_up(minimum: int) -> None:
    """Development only (--dossiers 0): make sure there are `minimum` dossiers
    to look up, by copying demo dossiers under new codes and phones."""
    import datetime
    import random

    from tinhso.dossiers.models import Dossier

    have = Dossier.objects.count()
    if have >= minimum:
        return
    templates = list(Dossier.objects.order_by("id")[:20])
    if not templates:
        raise SystemExit("bench_api: no dossier in the demo to copy; run with --dossiers N")
    rng = random.Random(7)
    taken = set(Dossier.objects.values_list("code", flat=True))
    rows, day = [], datetime.date(2026, 1, 1)
    for i in range(minimum - have):
        t = templates[i % len(templates)]
        code = f"{t.receiving_agency.code}-{day - datetime.timedelta(days=i // 900):%y%m%d}-{9000 + i % 900:04d}"
        if code in taken:
            continue
        clone = Dossier(**{f.attname: getattr(t, f.attname) for f in Dossier._meta.concrete_fields
                           if f.attname not in ("id", "code", "owner_phone")})
        clone.code, clone.owner_phone = code, f"09{rng.randrange(10**8):08d}"
        rows.append(clone)
    Dossier.objects.bulk_create(rows, batch_size=2000)
    log(f"[bench] added {len(rows):,} copies of demo dossiers (development data)")


def lookup_paths(n: int) -> list[str]:
    """`n` random existing dossiers that have a phone, as look-up paths."""
    from django.db import connection

    from tinhso.dossiers.models import Dossier

    table = Dossier._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        total = cursor.fetchone()[0]
        # TABLESAMPLE keeps this cheap on a province-year; small tables are read whole.
        percent = min(100.0, max(0.01, 300.0 * n / max(total, 1)))
        cursor.execute(f"SELECT code, owner_phone FROM {table} TABLESAMPLE SYSTEM (%s) "
                       f"WHERE owner_phone <> '' ORDER BY random() LIMIT %s", [percent, n])
        rows = cursor.fetchall()
    paths = []
    for code, phone in rows:
        digits = "".join(ch for ch in phone if ch.isdigit())
        if len(digits) >= 4:
            paths.append(f"/api/v1/public/dossiers/{quote(code, safe='')}?phone_last4={digits[-4:]}")
    if not paths:
        raise SystemExit("bench_api: no dossier with a phone number to look up")
    return paths


def search_paths() -> list[str]:
    return [f"/api/v1/procedures?{urlencode({'q': q})}" for q in QUERIES]


def server_env(url: str) -> dict:
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "tinhso.settings",
        "TINHSO_ENV": "production",
        "TINHSO_DEBUG": "false",
        "TINHSO_SECRET_KEY": secrets.token_urlsafe(48),
        "TINHSO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "TINHSO_LOG_LEVEL": "WARNING",
        "TINHSO_PKI_PASSPHRASE": env.get("TINHSO_PKI_PASSPHRASE") or "tinhso-demo-pki",
        "PYTHONUNBUFFERED": "1",
    })
    # Persistent connections (one per worker thread) unless a pool is configured.
    if not env.get("TINHSO_DB_POOL_MAX"):
        env.setdefault("TINHSO_DB_CONN_MAX_AGE", "600")
    return env


def get(url: str, timeout: float = 5.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


class Server:
    """The production app server, as `bin/serve` runs it (gunicorn with
    deploy/gunicorn.conf.py), on a free localhost port, in its own process
    group; stopped (TERM, then KILL) on exit. `workers`/`threads` None keep the
    configuration's defaults; `extra` are more gunicorn options."""

    def __init__(self, url: str, port: int, logdir: Path, workers: int | None = None, threads: int | None = None,
                 extra: list[str] = ()):
        self.base = f"http://127.0.0.1:{port}"
        self.logfile = logdir / "gunicorn.log"
        cmd = [str(ROOT / ".venv" / "bin" / "gunicorn"), "--config", str(ROOT / "deploy" / "gunicorn.conf.py"),
               "--bind", f"127.0.0.1:{port}", "--access-logfile", str(logdir / "access.log"),
               "--error-logfile", str(self.logfile), "--log-level", "warning"]
        if workers:
            cmd += ["--workers", str(workers)]
        if threads:
            cmd += ["--threads", str(threads)]
        cmd += list(extra)
        if not Path(cmd[0]).exists():
            cmd[0] = shutil.which("gunicorn") or cmd[0]
        self.cmd = cmd
        self.out = open(logdir / "gunicorn.out", "wb")
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=server_env(url), stdout=self.out, stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def wait_ready(self, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"bench_api: gunicorn exited with {self.proc.returncode}:\n{self.tail()}")
            try:
                status, body = get(self.base + "/api/v1/health/ready", timeout=2)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit(f"bench_api: the server was not ready after {timeout:.0f} s:\n{self.tail()}")

    def tail(self, lines: int = 30) -> str:
        self.out.flush()
        text = "".join(p.read_text(errors="replace") for p in (self.logfile, Path(self.out.name)) if p.exists())
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)  # our own process group (start_new_session)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.out.close()


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        data = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return data[data.rindex(")") + 2:].split()  # fields from the 3rd (state) on


def cpu_seconds(pids, *, reaped: bool = False) -> float:
    """User + system CPU time consumed so far by these processes (Linux /proc);
    with `reaped`, also by their children that have exited (gunicorn's master
    reaps the workers it recycles)."""
    total = 0
    for pid in pids:
        fields = _stat(pid)
        if fields:
            total += int(fields[11]) + int(fields[12])  # utime, stime
            if reaped:
                total += int(fields[13]) + int(fields[14])  # cutime, cstime
    return total / CLOCK_TICKS


def children(ppid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields and int(fields[1]) == ppid:
                found.append(int(entry.name))
    return found


def db_backends() -> list[int]:
    """The PostgreSQL server processes serving the app's connections (the
    server runs on this machine; its CPU is part of each request's cost)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                       "AND pid <> pg_backend_pid() AND backend_type = 'client backend'")
        pids = [row[0] for row in cursor.fetchall()]
    connection.close()
    return pids


def cpu_snapshot(server_pid: int) -> dict:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # wrk, once waited for
    return {"app": cpu_seconds([server_pid], reaped=True) + cpu_seconds(children(server_pid)),
            "db": cpu_seconds(db_backends()), "load": usage.ru_utime + usage.ru_stime}


def wrk(base: str, script: Path, paths_file: Path, *, duration: float, connections: int, threads: int) -> dict:
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(duration))}s", "--timeout", "10s",
           "-s", str(script), base, "--", str(paths_file)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("WRKJSON ")), None)
    if proc.returncode != 0 or line is None:
        raise SystemExit(f"bench_api: wrk failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    r = json.loads(line.removeprefix("WRKJSON "))
    r["rps"] = r["requests"] / (r["duration_us"] / 1e6)
    r["errors"] = r["connect"] + r["read"] + r["write"] + r["timeout"]
    return r


def check_paths(base: str, paths: list[str], sample: int = 50) -> None:
    """Every kind of request answers 200 with JSON before the load starts."""
    for path in paths[:sample]:
        status, body = get(base + path)
        if status != 200:
            raise SystemExit(f"bench_api: {path} answered {status}: {body[:300]!r}")
        json.loads(body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="tinhso_bench")
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--n", type=int, default=10_000, help="distinct dossier codes to look up")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds measured per endpoint")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of load before each measurement")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--workers", type=int, help="gunicorn worker processes (default: deploy/gunicorn.conf.py's, "
                                                    "TINHSO_WEB_WORKERS or 2 x CPU + 1)")
    parser.add_argument("--threads", type=int, help="threads per worker (default: deploy/gunicorn.conf.py's, "
                                                    "TINHSO_WEB_THREADS or 4)")
    parser.add_argument("--gunicorn-args", default="", help="more gunicorn options, e.g. \"--max-requests 0\"")
    parser.add_argument("--rounds", type=int, default=1, help="measure every endpoint this many times, "
                                                               "in turn; report the median round")
    parser.add_argument("--json")
    args = parser.parse_args()

    # Killed (TERM, as run.py or a CI timeout does): still stop the server (the `finally` below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if shutil.which("wrk") is None:
        raise SystemExit("bench_api: `wrk` is not installed. Install it with `bin/setup --bench` "
                         "(Debian package wrk) or `apt-get install wrk`.")

    url = bootstrap(args.database, dossiers=args.dossiers, TINHSO_TSA_URL="off")
    if not args.dossiers:
        top_up(5_000)
    paths = {"health": ["/api/v1/health"], "lookup": lookup_paths(args.n), "search": search_paths()}
    from django.db import connections

    connections.close_all()

    labels = {"health": "GET /api/v1/health (trivial JSON, baseline)",
              "lookup": "GET /api/v1/public/dossiers/{code} (dossier look-up)",
              "search": "GET /api/v1/procedures?q= (catalogue search)"}
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="bench_api_") as tmp:
        tmp = Path(tmp)
        script = tmp / "random_path.lua"
        script.write_text(LUA)
        server = Server(url, free_port(), tmp, args.workers, args.threads, args.gunicorn_args.split())
        log(f"[bench] {' '.join(server.cmd[1:])}")
        try:
            server.wait_ready()
            files = {}
            for name, plist in paths.items():
                check_paths(server.base, plist)
                files[name] = tmp / f"{name}.txt"
                files[name].write_text("\n".join(plist) + "\n")
            runs: dict[str, list[dict]] = {name: [] for name in paths}
            opts = dict(connections=args.connections, threads=args.wrk_threads)
            for _ in range(args.rounds):  # endpoints in turn, so that drifting machine load hits them alike
                for name in paths:
                    if args.warmup > 0:
                        wrk(server.base, script, files[name], duration=args.warmup, **opts)
                    before = cpu_snapshot(server.proc.pid)
                    r = wrk(server.base, script, files[name], duration=args.duration, **opts)
                    after = cpu_snapshot(server.proc.pid)
                    for part in ("app", "db", "load"):  # CPU per request: robust to other load on the machine
                        r[f"cpu_{part}_ms"] = (after[part] - before[part]) * 1000 / max(r["requests"], 1)
                    runs[name].append(r)
                    log(f"[bench] {labels[name]}: {r['rps']:,.0f} req/s, p50 {r['p50_us'] / 1000:.1f} ms, "
                        f"p99 {r['p99_us'] / 1000:.1f} ms, non-200 {r['non200']}, socket errors {r['errors']}; "
                        f"CPU/request: app {r['cpu_app_ms']:.3f} ms, PostgreSQL {r['cpu_db_ms']:.3f} ms, "
                        f"wrk {r['cpu_load_ms']:.3f} ms")
        finally:
            server.stop()
    for name, rs in runs.items():  # the median round by throughput (its latencies with it)
        results[name] = dict(sorted(rs, key=lambda r: r["rps"])[len(rs) // 2])
        results[name]["non200"] = sum(r["non200"] for r in rs)
        results[name]["errors"] = sum(r["errors"] for r in rs)

    base = results["health"]
    figures = []
    for name, r in results.items():
        p50, p99 = r["p50_us"] / 1000, r["p99_us"] / 1000
        extra = {"requests": r["requests"], "non_200": r["non200"], "socket_errors": r["errors"],
                 "cpu_ms_per_request": {"app": round(r["cpu_app_ms"], 3), "postgresql": round(r["cpu_db_ms"], 3),
                                        "wrk": round(r["cpu_load_ms"], 3)}}
        if name == "health":
            figures.append(figure(f"{labels[name]}: requests/s", "req/s", r["rps"], None, **extra))
        else:
            figures.append(figure(f"{labels[name]}: requests/s", "req/s", r["rps"], base["rps"],
                                  target_ratio=TARGET_RATIO, **extra))
        figures.append(figure(f"{labels[name]}: p50 latency", "ms", p50,
                              None if name == "health" else base["p50_us"] / 1000, higher_is_better=False))
        row = figure(f"{labels[name]}: p99 latency", "ms", p99,
                     None if name == "health" else base["p99_us"] / 1000, higher_is_better=False)
        if name != "health":
            row.update({"target": f"< {TARGET_P99_MS:.0f} ms", "target_met": p99 < TARGET_P99_MS})
        figures.append(row)
    ok = all(r["non200"] == 0 and r["errors"] == 0 and r["requests"] > 0 for r in results.values())
    result = {"benchmark": "api", "figures": figures, "ok": ok,
              "setup": {"server": "gunicorn --config deploy/gunicorn.conf.py" + "".join(
                            f" {a} {v}" for a, v in (("--workers", args.workers), ("--threads", args.threads)) if v)
                        + (f" {args.gunicorn_args}" if args.gunicorn_args else ""),
                        "connections": args.connections, "duration_s": args.duration, "warmup_s": args.warmup,
                        "rounds": args.rounds,
                        "dossiers": args.dossiers, "lookup_codes": len(paths["lookup"]),
                        "search_queries": len(paths["search"]), "cpus": os.cpu_count()}}
    write_json(args.json, result)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
