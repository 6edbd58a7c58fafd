"""Benchmark the province dashboard query (GitHub issue 6).

On a generated province-year (default 1,000,000 dossiers, bench/common.py
`bootstrap`), times the dashboard's figures — received, received online,
finished early / on time / late in the period, overdue now — as the app
computes them (`tinhso.dashboard.queries.summary`: one aggregate query built
by the Django ORM, called end to end) against the baseline: one hand-written
SQL aggregate computing the same numbers through a raw psycopg cursor.

Two scopes: the whole province, and the commune (agency subtree) with the
most dossiers. Period: the generation's period (12 months up to the time it
was generated), or the calendar year given with --year. Both sides run warm,
alternately, `--repeat` times; the best time of each counts. `ok` is about correctness
only; whether the speed targets are met is in each figure's `target_met` and
`target_ms_met`.

Figures per scope: time in ms (ratio = baseline time / our time; target
>= 1/1.5, i.e. within 1.5x of the hand-written SQL) with `target_ms` 1000
(`target_ms_met`: our time under 1 s). `ok` is false unless both sides give
IDENTICAL numbers in every scope (also reported per figure as `identical`). `plan` holds a one-line summary of
EXPLAIN ANALYZE of the app's exact SQL (--explain prints the whole plan).

    .venv/bin/python bench/bench_dashboard.py [--database tinhso_bench] [--dossiers|--n 1000000]
        [--seed 1] [--year YYYY] [--repeat 7] [--explain] [--json PATH]

`--dossiers 0` uses whatever the database already holds (no generation); then
give --year.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
import time

from common import bootstrap, figure, log, write_json

TARGET_RATIO = round(1 / 1.5, 3)
TARGET_MS = 1000.0
COUNTS = ("received", "received_online", "finished", "finished_early", "finished_on_time", "finished_late",
          "overdue_now")

# The baseline: what one would write by hand for these figures, in one statement.
BASELINE_SQL = """
SELECT count(*) FILTER (WHERE d.received_at >= %(start)s AND d.received_at < %(end)s),
       count(*) FILTER (WHERE d.received_at >= %(start)s AND d.received_at < %(end)s AND d.channel = 2),
       count(*) FILTER (WHERE d.finished_at >= %(start)s AND d.finished_at < %(end)s),
       count(*) FILTER (WHERE d.finished_at >= %(start)s AND d.finished_at < %(end)s AND d.outcome = 'early'),
       count(*) FILTER (WHERE d.finished_at >= %(start)s AND d.finished_at < %(end)s AND d.outcome = 'on_time'),
       count(*) FILTER (WHERE d.finished_at >= %(start)s AND d.finished_at < %(end)s AND d.outcome = 'late'),
       count(*) FILTER (WHERE d.status IN (2, 4) AND d.due_at < %(now)s)
  FROM dossiers_dossier d
 WHERE ((d.received_at >= %(start)s AND d.received_at < %(end)s)
        OR (d.finished_at >= %(start)s AND d.finished_at < %(end)s)
        OR (d.status IN (2, 4) AND d.due_at < %(now)s)) {scope}
"""
SCOPE_SQL = "AND d.competent_agency_id IN (SELECT a.id FROM agencies_agency a WHERE a.path LIKE %(path)s)"


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--database", default="tinhso_bench")
    p.add_argument("--dossiers", type=int, default=1_000_000, help="dossiers in the province-year (default 1,000,000)")
    p.add_argument("--n", type=int, default=None, help="timed runs (alias of --repeat, as bench/run.py passes --n "
                   "to every script; the data size is --dossiers)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--year", type=int, default=None)
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--explain", action="store_true", help="print EXPLAIN (ANALYZE, BUFFERS) of the app's SQL")
    p.add_argument("--json", default=None)
    args = p.parse_args(argv)
    if args.n is not None:
        args.repeat = max(1, args.n)
    return args


def raw_connection():
    import psycopg
    from django.conf import settings

    cfg = settings.DATABASES["default"]
    return psycopg.connect(host=cfg["HOST"], port=cfg["PORT"] or 5432, user=cfg["USER"],
                           password=cfg["PASSWORD"] or None, dbname=cfg["NAME"], autocommit=True)


def capture_sql(func):
    """Run func() and return the (sql, params) of the one query it made."""
    from django.db import connection

    seen = []

    def wrapper(execute, sql, params, many, context):
        seen.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        func()
    assert len(seen) == 1, f"expected one query, got {len(seen)}"
    return seen[0]


def explain(sql, params, full: bool) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        if full:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            log("\n".join(row[0] for row in cursor.fetchall()))
    top = plan[0]
    nodes = []

    def walk(node):
        label = node["Node Type"]
        if node.get("Index Name"):
            label += f" using {node['Index Name']}"
        if node.get("Relation Name") and "Scan" in node["Node Type"]:
            label += f" on {node['Relation Name']}"
        if node.get("Workers Launched") is not None:
            label += f" ({node['Workers Launched']} workers)"
        nodes.append(label)
        for child in node.get("Plans", []):
            walk(child)

    walk(top["Plan"])
    return f"{' > '.join(nodes)}; execution {top['Execution Time']:.0f} ms"


def main(argv=None) -> int:
    args = parse_args(argv)
    bootstrap(args.database, dossiers=args.dossiers, seed=args.seed, year=args.year, TINHSO_TSA_URL="off")

    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from tinhso.agencies.models import Agency, AgencyKind
    from tinhso.dashboard import queries
    from tinhso.dossiers.models import Dossier

    if args.year is not None:
        period = queries.Period.year(args.year)
    else:
        from tinhso.demo.province_year import current

        gen = current()
        if gen is None:
            log("[dashboard] no generated province-year in the database: give --year (or --dossiers N)")
            return 2
        period = queries.Period.between(timezone.localdate(gen.period_start), timezone.localdate(gen.period_end))
    total = Dossier.objects.count()
    # The commune whose People's Committee (with its service centre) resolves the most dossiers.
    communal = (AgencyKind.COMMUNE_COMMITTEE, AgencyKind.COMMUNE_SERVICE_CENTRE)
    busiest = (Dossier.objects.filter(competent_agency__kind__in=communal).values("competent_agency")
               .annotate(n=Count("pk")).order_by("-n").first()
               or Dossier.objects.values("competent_agency").annotate(n=Count("pk")).order_by("-n").first())
    commune = None
    if busiest is not None:
        agency = Agency.objects.get(pk=busiest["competent_agency"])
        committees = [a for a in agency.ancestors_and_self() if a.kind == AgencyKind.COMMUNE_COMMITTEE]
        commune = committees[-1] if committees else agency
    with connection.cursor() as cursor:
        # Fresh statistics of the (small) agency table, fair to the hand-written sub-select; and the
        # visibility map set, as autovacuum leaves it after a bulk load, for index-only scans on both sides.
        cursor.execute("ANALYZE agencies_agency")
        t0 = time.perf_counter()
        cursor.execute("VACUUM dossiers_dossier")
        log(f"[dashboard] VACUUM dossiers_dossier: {time.perf_counter() - t0:.1f} s")
    log(f"[dashboard] {total:,} dossiers; period {period.first_day} – {period.last_day}; "
        f"subtree scope: {commune.name if commune else '—'}")

    now = timezone.now()
    scopes = [("province", None)] + ([("subtree", commune)] if commune is not None else [])
    figures, all_ok, details = [], True, {}
    with raw_connection() as raw:
        for name, agency in scopes:
            params = {"start": period.start, "end": period.end, "now": now}
            sql = BASELINE_SQL.format(scope=SCOPE_SQL if agency is not None else "")
            if agency is not None:
                params["path"] = agency.path + "%"

            def ours():
                return queries.summary(agency, period, now=now)

            def baseline():
                with raw.cursor() as cursor:
                    cursor.execute(sql, params)
                    return cursor.fetchone()

            mine, theirs = ours(), baseline()  # warm both
            ours_t, base_t = [], []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                mine = ours()
                ours_t.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                theirs = baseline()
                base_t.append(time.perf_counter() - t0)
            ours_counts = tuple(mine[k] for k in COUNTS)
            same = ours_counts == tuple(int(v) for v in theirs)
            all_ok &= same
            app_sql, app_params = capture_sql(ours)
            plan = explain(app_sql, app_params, args.explain) if connection.vendor == "postgresql" else ""
            best, best_base = min(ours_t) * 1000, min(base_t) * 1000
            row = figure(f"dashboard summary ({'whole province' if agency is None else 'commune subtree'})", "ms",
                         best, best_base, higher_is_better=False, target_ratio=TARGET_RATIO,
                         target_ms=TARGET_MS, target_ms_met=best < TARGET_MS, identical=same,
                         median_ms=round(sorted(ours_t)[len(ours_t) // 2] * 1000, 1),
                         baseline_median_ms=round(sorted(base_t)[len(base_t) // 2] * 1000, 1), plan=plan)
            figures.append(row)
            details[name] = {"scope": agency.name if agency else "Toàn tỉnh", "counts": dict(zip(COUNTS, ours_counts)),
                             "baseline_counts": dict(zip(COUNTS, (int(v) for v in theirs))),
                             "online_share": str(mine["online_share"]), "on_time_rate": str(mine["on_time_rate"])}
            if not same:
                log(f"[dashboard] MISMATCH in {name}: app {ours_counts} vs baseline {tuple(theirs)}")

    result = {"benchmark": "dashboard", "dossiers": total, "period": [str(period.first_day), str(period.last_day)],
              "repeat": args.repeat, "figures": figures, "details": details,
              "ok": all_ok}
    write_json(args.json, result)
    print(f"{'figure':44} {'ours ms':>9} {'SQL ms':>9} {'ratio':>7} {'target':>7} {'<1 s':>5} {'same':>5}")
    for f in figures:
        print(f"{f['figure']:44} {f['value']:>9} {f['baseline']:>9} {f['ratio']:>7} {f['target_ratio']:>7} "
              f"{'yes' if f['target_ms_met'] else 'NO':>5} {'yes' if f['identical'] else 'NO':>5}")
    for name, d in details.items():
        print(f"  {d['scope']}: {json.dumps(d['counts'], ensure_ascii=False)}; online {d['online_share']} %, "
              f"on time {d['on_time_rate']} %")
    for f in figures:
        print(f"  plan ({f['figure']}): {f['plan']}")
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
