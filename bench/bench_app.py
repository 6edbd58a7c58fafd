"""Benchmark the citizen app's weight on the wire (GitHub issue 15): bytes and
requests of the first load of /app/ in a clean headless Chromium at 360 px
(the shell, its module and sheet, the manifest and icons, the service
worker's precache, the JSON) and of a repeat load once the service worker
controls the page — for an anonymous visitor and for a signed-in citizen.

Served as in production: gunicorn, DEBUG off, static files collected and
compressed by WhiteNoise (gzip; Chromium asks for brotli only over HTTPS).
The HTML and JSON are measured as gunicorn sends them, uncompressed (behind
nginx with gzip they are smaller still), so the figure is an upper bound.
Bytes are what crossed the network (headers + encoded body) per Playwright's
request.sizes(), counting the service worker's own requests and excluding
answers the service worker served from its cache. Target: first load
under 300 KB.

    .venv/bin/python bench/bench_app.py [--database tinhso_bench_app] [--json PATH]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, bootstrap, figure, log, write_json

TARGET_BYTES = 300 * 1024


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--database", default="tinhso_bench_app")
    p.add_argument("--dossiers", type=int, default=0, help="ignored (bench/run.py passes it to every database bench)")
    p.add_argument("--n", type=int, default=0, help="ignored")
    p.add_argument("--json", default=None)
    return p.parse_args(argv)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def measure(context, url: str, ready: str) -> dict:
    """Load `url` in `context`; count network requests and bytes (page and service worker)."""
    rows = []

    def finished(request):
        response = request.response()
        if response is None:
            return
        sizes = request.sizes()
        rows.append({"url": request.url, "from_sw": response.from_service_worker,
                     "bytes": max(sizes["responseBodySize"], 0) + max(sizes["responseHeadersSize"], 0)})

    context.on("requestfinished", finished)
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(url)
    page.locator(ready).wait_for(timeout=30000)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_load_state("networkidle")
    time.sleep(0.5)
    context.remove_listener("requestfinished", finished)
    network = [r for r in rows if not r["from_sw"]]
    return {"requests": len(network), "bytes": sum(r["bytes"] for r in network),
            "from_service_worker": len(rows) - len(network),
            "detail": sorted(((r["bytes"], r["url"].split("//", 1)[1].split("/", 1)[1]) for r in network), reverse=True)}


def main(argv=None) -> int:
    args = parse_args(argv)
    static_root = Path(tempfile.mkdtemp(prefix="tinhso-bench-static-"))
    env = {"TINHSO_DEBUG": "false", "TINHSO_STATIC_ROOT": str(static_root), "TINHSO_DEMO_DOSSIERS": "0",
           "TINHSO_DEMO_REPORTS": "0", "TINHSO_DEMO_DOCUMENTS": "0", "TINHSO_REQUIRE_2FA": "false"}
    url = bootstrap(args.database, **env)
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server_env = {**os.environ, **env, "DATABASE_URL": url, "TINHSO_BASE_URL": base, "TINHSO_WEB_WORKERS": "2",
                  "TINHSO_BIND": f"127.0.0.1:{port}", "TINHSO_LOG_LEVEL": "WARNING"}
    server = subprocess.Popen([str(ROOT / ".venv" / "bin" / "gunicorn"), "--config", str(ROOT / "deploy" / "gunicorn.conf.py")],
                              cwd=ROOT, env=server_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        from django.test import Client

        from tinhso.accounts.models import User

        citizen, _ = User.objects.get_or_create(username="cccd-092085001234", defaults={
            "is_citizen": True, "id_number": "092085001234", "full_name": "Nguyễn Văn An"})
        client = Client()
        client.force_login(citizen)
        session_cookie = client.cookies["sessionid"].value

        from playwright.sync_api import sync_playwright

        chromium = os.environ.get("TINHSO_CHROMIUM") or shutil.which("chromium")
        results = {}
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"])
            for who in ("anonymous", "citizen"):
                context = browser.new_context(locale="vi-VN", viewport={"width": 360, "height": 780}, is_mobile=True)
                if who == "citizen":
                    context.add_cookies([{"name": "sessionid", "value": session_cookie, "url": base}])
                ready = "body[data-loaded='1']"
                first = measure(context, f"{base}/app/?source=pwa", ready)
                repeat = measure(context, f"{base}/app/?source=pwa", ready)
                results[who] = {"first": first, "repeat": repeat}
                context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(static_root, ignore_errors=True)

    figures = []
    ok = True
    for who, r in results.items():
        first, repeat = r["first"], r["repeat"]
        met = first["bytes"] < TARGET_BYTES
        ok = ok and met
        figures.append(figure(f"first load of /app/ ({who}), bytes on the wire", "KB", first["bytes"] / 1024,
                              TARGET_BYTES / 1024, higher_is_better=False, target_ratio=1.0,
                              requests=first["requests"]))
        figures.append(figure(f"repeat load of /app/ ({who}) with the service worker, bytes on the wire", "KB",
                              repeat["bytes"] / 1024, None, requests=repeat["requests"],
                              from_service_worker=repeat["from_service_worker"]))
        log(f"{who}: first load {first['bytes'] / 1024:.1f} KB in {first['requests']} requests; repeat load "
            f"{repeat['bytes'] / 1024:.1f} KB in {repeat['requests']} network requests "
            f"({repeat['from_service_worker']} answered by the service worker)")
        for size, path in first["detail"]:
            log(f"    {size:>7} B  /{path}")
    result = {"benchmark": "app", "figures": figures, "ok": ok, "target_kb": TARGET_BYTES / 1024,
              "detail": {who: {k: {kk: vv for kk, vv in v.items()} for k, v in r.items()} for who, r in results.items()}}
    write_json(args.json, result)
    for row in figures:
        print(row)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
