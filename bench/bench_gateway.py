"""Benchmark the integration gateway's overhead per call (GitHub issue 13):
the same endpoint called by a client system through the gateway (API key
lookup, scope, rate limit in the cache, the hash-chained message-log row
appended under the head lock) and by a signed-in person without it (session).

Both go through the whole Django stack in process (middleware, django-ninja,
the endpoint's own queries) on PostgreSQL, alternately, `--repeat` rounds of
`--n` calls each, warm; the best round of each counts. Endpoints: a dossier's
detail (`GET /api/v1/dossiers/{code}`, what a sector system reads) and the
first page of the dossier list (the cheaper call, where the gateway's share
shows most). ratio = calls/s through the gateway / calls/s without it;
target >= 0.8 for both. `ok` is false unless every call answered 200 and
the message log verifies afterwards.

    .venv/bin/python bench/bench_gateway.py [--database tinhso_bench_gw] [--n 300] [--repeat 5] [--json PATH]
"""

from __future__ import annotations

import argparse
import sys
import time

from common import bootstrap, figure, log, write_json

TARGET_RATIO = 0.8


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--database", default="tinhso_bench_gw")
    p.add_argument("--n", type=int, default=300, help="calls per round and side")
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--dossiers", type=int, default=0, help="ignored (the demo's dossiers are enough)")
    p.add_argument("--json")
    return p.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    bootstrap(args.database, TINHSO_ALLOWED_HOSTS="testserver,127.0.0.1,localhost")
    from django.test import Client

    from tinhso.accounts.models import RoleAssignment
    from tinhso.dossiers.models import Dossier
    from tinhso.integration import actions
    from tinhso.integration.log import verify
    from tinhso.integration.models import MessageLog

    dossier = Dossier.objects.order_by("id").first()
    if dossier is None:
        raise SystemExit("bench_gateway: the demo has no dossier")
    clerk = RoleAssignment.objects.filter(role="clerk", agency=dossier.receiving_agency).select_related("user").first()
    if clerk is None:
        raise SystemExit("bench_gateway: no clerk at the dossier's receiving agency")
    system = actions.register_client(acting_user=None, name="Benchmark: hệ thống ngành", rate_limit=1_000_000)
    actions.grant_services(acting_user=None, client=system, codes=["dossiers"])
    actions.update_client(acting_user=None, client=system, service_user=clerk.user, rate_limit=1_000_000)
    _row, key = actions.issue_key(acting_user=None, client=system, scopes=["dossiers"])

    person = Client()
    person.force_login(clerk.user)
    machine = Client(headers={"X-API-Key": key})
    endpoints = {"detail": f"/api/v1/dossiers/{dossier.code}", "list": "/api/v1/dossiers?limit=20"}
    statuses: set[int] = set()
    before = MessageLog.objects.count()

    def rate(client, path) -> float:
        t0 = time.perf_counter()
        for _ in range(args.n):
            statuses.add(client.get(path).status_code)
        return args.n / (time.perf_counter() - t0)

    figures = []
    ok = True
    for name, path in endpoints.items():
        rate(person, path), rate(machine, path)  # warm both
        best_person = best_machine = 0.0
        for _ in range(args.repeat):
            best_person = max(best_person, rate(person, path))
            best_machine = max(best_machine, rate(machine, path))
        row = figure(f"{name}: calls/s through the gateway (baseline: same endpoint, session, no gateway)", "calls/s",
                     best_machine, best_person, target_ratio=TARGET_RATIO)
        log(f"[bench] gateway {name}: {best_machine:.0f} calls/s vs {best_person:.0f} without "
            f"(ratio {row['ratio']})")
        figures.append(row)
        ok = ok and row["target_met"]
    logged = MessageLog.objects.count() - before
    checked, breaks = verify()
    sound = statuses == {200} and not breaks and logged == len(endpoints) * args.n * (args.repeat + 1)
    log(f"[bench] statuses {sorted(statuses)}, {logged} log rows written, chain of {checked} rows: "
        f"{'intact' if not breaks else f'{len(breaks)} breaks'}")
    result = {"benchmark": "gateway", "ok": ok and sound, "figures": figures,
              "calls_per_round": args.n, "rounds": args.repeat, "log_rows": logged}
    write_json(args.json, result)
    for row in figures:
        print(f"{row['figure']}: {row['value']} {row['unit']} (baseline {row['baseline']}, ratio {row['ratio']})")
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
