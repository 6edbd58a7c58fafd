"""Benchmark the field-report reads that must stay fast with many reports
(GitHub issue 11): the nearby-duplicate search a citizen sees before sending
and the public list, on 100,000 reports.

Each figure times the app's own code end to end (`queries.nearby_open`, the
public list page's query with its filters) against a hand-written SQL query
that returns the same rows and the columns the page shows through a raw
cursor, warm, alternately,
`--repeat` rounds; the best round of each counts. ratio = baseline time / our
time; target >= 0.5 (at least half the hand-written query's speed). `ok` is
false unless both sides return IDENTICAL rows.

The reports are bulk-inserted once into the benchmark database (random points
around the demo communes, every state, the last 12 months) and reused.

    .venv/bin/python bench/bench_fieldreports.py [--database tinhso_bench_fr] [--reports|--n 100000]
        [--repeat 5] [--json PATH]
"""

from __future__ import annotations

import argparse
import datetime
import random
import sys
import time

from common import bootstrap, figure, log, write_json

TARGET_RATIO = 0.5

NEARBY_SQL = """
SELECT r.code, d FROM (
  SELECT r.code, r.id, 2 * 6371008.8 * asin(least(1, sqrt(
           power(sin(radians(r.lat - %(lat)s) / 2), 2) +
           cos(radians(%(lat)s)) * cos(radians(r.lat)) * power(sin(radians(r.lng - %(lng)s) / 2), 2)))) AS d
    FROM fieldreports_fieldreport r
    JOIN fieldreports_reportcategory c ON c.id = r.category_id
   WHERE r.lat BETWEEN %(lat_min)s AND %(lat_max)s AND r.lng BETWEEN %(lng_min)s AND %(lng_max)s
     AND r.status IN ('confirmed', 'assigned', 'accepted', 'in_progress', 'answered')
     AND r.hidden_at IS NULL AND c.is_public AND (r.category_id = %(category)s OR c."group" = %(group)s)
) r WHERE d <= %(metres)s ORDER BY d, r.id DESC LIMIT 5
"""
LIST_SQL = """
SELECT r.code, c.name, u.name, r.description, r.status, r.lat, r.lng, r.hide_location, r.created_at, c.code, c."group",
       u.code
  FROM fieldreports_fieldreport r
  JOIN fieldreports_reportcategory c ON c.id = r.category_id
  JOIN units_administrativeunit u ON u.id = r.unit_id
 WHERE r.status IN ('confirmed', 'assigned', 'accepted', 'in_progress', 'answered', 'published', 'closed')
   AND r.hidden_at IS NULL AND c.is_public {extra}
 ORDER BY r.created_at DESC, r.id DESC LIMIT 30
"""
STATES = ["new", "rejected", "confirmed", "assigned", "accepted", "in_progress", "answered", "published", "closed",
          "merged"]
WEIGHTS = [3, 5, 2, 10, 6, 6, 2, 6, 58, 2]


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--database", default="tinhso_bench_fr")
    p.add_argument("--reports", "--n", type=int, default=100_000, dest="reports")
    p.add_argument("--dossiers", type=int, default=0, help="ignored (bench/run.py passes it to every database bench)")
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--json", default=None)
    return p.parse_args(argv)


def ensure_reports(n: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from tinhso.fieldreports.demo import CENTRES
    from tinhso.fieldreports.models import FieldReport, ReportCategory
    from tinhso.units.models import AdministrativeUnit

    have = FieldReport.objects.count()
    if have >= n:
        return
    rng = random.Random(11)
    categories = list(ReportCategory.objects.all())
    communes = {u.code: u for u in AdministrativeUnit.objects.filter(level="commune", valid_to__isnull=True,
                                                                     code__in=list(CENTRES))}
    now = timezone.now()
    t0 = time.perf_counter()
    batch = []
    for i in range(have, n):
        code = rng.choice(list(communes))
        lat, lng = CENTRES[code]
        status = rng.choices(STATES, WEIGHTS)[0]
        batch.append(FieldReport(
            code=f"PA-BENCH-{i:07d}", category=rng.choice(categories), description="Phản ánh mô phỏng cho đo hiệu năng",
            lat=lat + rng.uniform(-0.03, 0.03), lng=lng + rng.uniform(-0.03, 0.03), unit=communes[code],
            status=status, channel="web", created_at=now - datetime.timedelta(minutes=rng.uniform(0, 525_600)),
            hidden_at=now if rng.random() < 0.01 else None))
        if len(batch) == 5000:
            with transaction.atomic():
                FieldReport.objects.bulk_create(batch)
            batch = []
    if batch:
        FieldReport.objects.bulk_create(batch)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE fieldreports_fieldreport")
    log(f"[bench] {n - have:,} reports inserted in {time.perf_counter() - t0:.1f} s")


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def main(argv=None) -> int:
    args = parse_args(argv)
    bootstrap(args.database, TINHSO_DEMO_REPORTS="0")
    ensure_reports(args.reports)
    from django.db import connection

    from tinhso.fieldreports import geo
    from tinhso.fieldreports.demo import CENTRES
    from tinhso.fieldreports.models import ReportCategory
    from tinhso.fieldreports.queries import nearby_open, public_page
    from tinhso.units.models import AdministrativeUnit

    rng = random.Random(5)
    categories = list(ReportCategory.objects.all())
    points = []
    for _ in range(200):
        lat, lng = CENTRES[rng.choice(list(CENTRES))]
        points.append((lat + rng.uniform(-0.03, 0.03), lng + rng.uniform(-0.03, 0.03), rng.choice(categories)))
    commune = AdministrativeUnit.objects.get(level="commune", code="31135", valid_to__isnull=True)

    def ours_nearby():
        return [[r.code for r in nearby_open(lat, lng, category, 250)] for lat, lng, category in points]

    def base_nearby():
        out = []
        with connection.cursor() as cursor:
            for lat, lng, category in points:
                lat_min, lat_max, lng_min, lng_max = geo.box(lat, lng, 250)
                cursor.execute(NEARBY_SQL, {"lat": lat, "lng": lng, "lat_min": lat_min, "lat_max": lat_max,
                                            "lng_min": lng_min, "lng_max": lng_max, "category": category.pk,
                                            "group": category.group, "metres": 250})
                out.append([row[0] for row in cursor.fetchall()])
        return out

    lists = [("public list, first page", {}, ""),
             ("public list, one commune and category", {"unit": str(commune.pk), "category": "GT01"},
              f"AND r.unit_id = {commune.pk} AND c.code = 'GT01'")]

    def ours_list(params):
        def run():
            rows, _, _ = public_page(params, 1, 30)
            return [(r.code, r.category.name, r.unit.name) for r in rows]
        return run

    def base_list(extra):
        def run():
            with connection.cursor() as cursor:
                cursor.execute(LIST_SQL.format(extra=extra))
                return [tuple(row[:3]) for row in cursor.fetchall()]
        return run

    cases = [("nearby duplicates, 200 searches within 250 m", ours_nearby, base_nearby)]
    cases += [(name, ours_list(params), base_list(extra)) for name, params, extra in lists]
    figures, ok = [], True
    for name, ours, base in cases:
        ours(), base()  # warm
        best_ours = best_base = float("inf")
        same = True
        for _ in range(args.repeat):
            t, a = timed(ours)
            u, b = timed(base)
            best_ours, best_base = min(best_ours, t), min(best_base, u)
            same = same and a == b
        ok = ok and same
        figures.append(figure(name, "ms", best_ours * 1000, best_base * 1000, higher_is_better=False,
                              target_ratio=TARGET_RATIO, identical=same))
        log(f"{name}: ours {best_ours * 1000:.1f} ms, hand-written SQL {best_base * 1000:.1f} ms, identical={same}")
    result = {"benchmark": "fieldreports", "reports": args.reports, "figures": figures, "ok": ok}
    write_json(args.json, result)
    for row in figures:
        print(row)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
