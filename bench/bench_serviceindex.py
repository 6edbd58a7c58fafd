"""Benchmark the Decision 766 service index (GitHub issue 14): the whole
index of the province for a generated province-year, as the API computes it
(`tinhso.serviceindex.engine.compute`: the methodology, one aggregate over
the dossiers reading their index flags, the ratings, the catalogue, the
entered values), against hand-written SQL returning the same numerators and
denominators from the same flags (the baseline of the ratio), warm,
alternately, `--repeat` rounds; the best round of each counts. ratio =
baseline time / our time; target: under 2 s and ratio >= 0.67. A third
query recounts everything from the raw rows (events, papers, payments) with
sub-selects and is timed for information. `ok` is false unless all three
give IDENTICAL counts (which also proves the generator's flags right).

    .venv/bin/python bench/bench_serviceindex.py [--database tinhso_bench_si] [--dossiers 1000000]
        [--repeat 3] [--json PATH]
"""

from __future__ import annotations

import argparse
import datetime
import sys
import time

from common import bootstrap, figure, log, write_json

TARGET_RATIO = 0.67
TARGET_SECONDS = 2.0

DOSSIER_SQL = """
SELECT
  count(*) FILTER (WHERE rcv) AS received,
  count(*) FILTER (WHERE rcv AND synced) AS synced,
  count(*) FILTER (WHERE hnd) AS handled,
  count(*) FILTER (WHERE hnd AND outcome IN ('early', 'on_time') AND supplement_requests <= 1) AS on_time,
  count(*) FILTER (WHERE rcv AND channel = 2 AND synced) AS online_synced,
  count(*) FILTER (WHERE rcv AND paid) AS paid,
  count(*) FILTER (WHERE rcv AND paid AND paid_online) AS paid_online,
  count(*) FILTER (WHERE res) AS resulted,
  count(*) FILTER (WHERE res AND e_result) AS e_result,
  count(*) FILTER (WHERE rcv AND has_dig AND NOT has_undig AND (status NOT IN (9, 10) OR e_result)) AS digitised,
  count(*) FILTER (WHERE rcv AND reused) AS reused,
  count(*) FILTER (WHERE rcv AND citizen_id IS NOT NULL) AS linked,
  count(*) FILTER (WHERE rcv AND (owner_verified OR population)) AS population,
  count(*) FILTER (WHERE hnd AND outcome <> 'late' AND NOT disliked) AS satisfied_handling
FROM (
  SELECT d.status, d.channel, d.outcome, d.supplement_requests, d.citizen_id, d.owner_verified,
         d.status IN (2, 4, 5, 6, 7, 8, 9, 10) AND d.received_at >= %(s)s AND d.received_at < %(e)s AS rcv,
         d.handled_at >= %(s)s AND d.handled_at < %(e)s AND d.outcome <> '' AS hnd,
         d.status IN (9, 10) AND d.finished_at >= %(s)s AND d.finished_at < %(e)s AS res,
         (d.result_form = 'electronic' OR d.result_digitised_at IS NOT NULL) AS e_result,
         d.id NOT IN (SELECT v.dossier_id FROM dossiers_dossierevent v WHERE v.sync_status <> 'synced') AS synced,
         p.dossier_id IS NOT NULL AS paid, coalesce(p.online, false) AS paid_online,
         coalesce(c.has_dig, false) AS has_dig, coalesce(c.has_undig, false) AS has_undig,
         coalesce(c.reused, false) AS reused, coalesce(c.population, false) AS population,
         d.id IN (SELECT v.dossier_id FROM evaluations_evaluation v WHERE v.overall = 'not_satisfied') AS disliked
    FROM dossiers_dossier d
    LEFT JOIN (SELECT dossier_id, bool_or(method = 'online') AS online FROM payments_paymentrequest
                WHERE status IN ('paid', 'refunded') GROUP BY dossier_id) p ON p.dossier_id = d.id
    -- the papers, one pass grouped by dossier (an `id IN (SELECT …)` per condition outgrows work_mem at
    -- millions of papers and stops being hashed)
    LEFT JOIN (SELECT dossier_id,
                      bool_or(digitisation IN ('scanned', 'born_digital') OR reused_from_data_store
                              OR national_source <> '') AS has_dig,
                      bool_or(received AND digitisation IN ('paper', '') AND NOT reused_from_data_store
                              AND national_source = '') AS has_undig,
                      bool_or(reused_from_data_store OR national_source <> '') AS reused,
                      bool_or(national_source = 'population') AS population
                 FROM dossiers_dossiercomponent GROUP BY dossier_id) c ON c.dossier_id = d.id
   WHERE (d.received_at >= %(s)s AND d.received_at < %(e)s) OR (d.handled_at >= %(s)s AND d.handled_at < %(e)s)
      OR (d.finished_at >= %(s)s AND d.finished_at < %(e)s)
) x
"""
# the same counts from the dossiers' index flags (tinhso/dossiers/flags.py)
FLAGS_SQL = """
SELECT
  count(*) FILTER (WHERE rcv) AS received,
  count(*) FILTER (WHERE rcv AND portal_synced) AS synced,
  count(*) FILTER (WHERE hnd) AS handled,
  count(*) FILTER (WHERE hnd AND outcome IN ('early', 'on_time') AND supplement_requests <= 1) AS on_time,
  count(*) FILTER (WHERE rcv AND channel = 2 AND portal_synced) AS online_synced,
  count(*) FILTER (WHERE rcv AND fee_settled) AS paid,
  count(*) FILTER (WHERE rcv AND fee_settled AND paid_online) AS paid_online,
  count(*) FILTER (WHERE res) AS resulted,
  count(*) FILTER (WHERE res AND e_result) AS e_result,
  count(*) FILTER (WHERE rcv AND components_digitised AND (status NOT IN (9, 10) OR e_result)) AS digitised,
  count(*) FILTER (WHERE rcv AND data_reused) AS reused,
  count(*) FILTER (WHERE rcv AND citizen_id IS NOT NULL) AS linked,
  count(*) FILTER (WHERE rcv AND (owner_verified OR population_paper)) AS population,
  count(*) FILTER (WHERE hnd AND outcome <> 'late' AND NOT disliked) AS satisfied_handling
FROM (
  SELECT d.status, d.channel, d.outcome, d.supplement_requests, d.citizen_id, d.owner_verified, d.portal_synced,
         d.fee_settled, d.paid_online, d.components_digitised, d.data_reused, d.population_paper,
         d.status IN (2, 4, 5, 6, 7, 8, 9, 10) AND d.received_at >= %(s)s AND d.received_at < %(e)s AS rcv,
         d.handled_at >= %(s)s AND d.handled_at < %(e)s AND d.outcome <> '' AS hnd,
         d.status IN (9, 10) AND d.finished_at >= %(s)s AND d.finished_at < %(e)s AS res,
         (d.result_form = 'electronic' OR d.result_digitised_at IS NOT NULL) AS e_result,
         d.id IN (SELECT v.dossier_id FROM evaluations_evaluation v WHERE v.overall = 'not_satisfied') AS disliked
    FROM dossiers_dossier d
   WHERE (d.received_at >= %(s)s AND d.received_at < %(e)s) OR (d.handled_at >= %(s)s AND d.handled_at < %(e)s)
      OR (d.finished_at >= %(s)s AND d.finished_at < %(e)s)
) x
"""
EVALUATION_SQL = """
SELECT count(*) FILTER (WHERE overall IN ('satisfied', 'very_satisfied')), count(*)
  FROM evaluations_evaluation WHERE created_at >= %(s)s AND created_at < %(e)s
"""
PROCEDURE_SQL = """
SELECT
  count(*) FILTER (WHERE result_name <> '' AND EXISTS (SELECT 1 FROM catalogue_requiredcomponent r
                    JOIN catalogue_procedurecase c ON c.id = r.case_id WHERE c.procedure_id = p.id)),
  count(*),
  count(*) FILTER (WHERE online_level IN ('full', 'partial')),
  count(*) FILTER (WHERE online_level IN ('full', 'partial') AND EXISTS (
    SELECT 1 FROM dossiers_dossier d WHERE d.procedure_id = p.id AND d.channel = 2
       AND d.status IN (2, 4, 5, 6, 7, 8, 9, 10) AND d.received_at >= %(s)s AND d.received_at < %(e)s)),
  count(*) FILTER (WHERE fee_status IN ('charged', 'exempted') AND online_level IN ('full', 'partial')),
  count(*) FILTER (WHERE fee_status IN ('charged', 'exempted'))
  FROM catalogue_procedure p WHERE p.is_active
"""


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--database", default="tinhso_bench_si")
    p.add_argument("--dossiers", type=int, default=1_000_000)
    p.add_argument("--n", type=int, default=None, help="ignored (bench/run.py passes it to every bench)")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--json", default=None)
    return p.parse_args(argv)


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def main(argv=None) -> int:
    args = parse_args(argv)
    year = datetime.date.today().year - 1
    bootstrap(args.database, dossiers=args.dossiers, year=year)
    from django.db import connection

    from tinhso.serviceindex import engine

    period = engine.parse_period(str(year))
    params = {"s": period.start, "e": period.end}

    def ours():
        result = engine.compute(None, period)
        got = {i["formula_key"]: (i["numerator"], i["denominator"])
               for g in result["groups"] for i in g["indicators"] if i["source"] == "computed"}
        return got

    def base(dossier_sql=FLAGS_SQL):
        with connection.cursor() as cursor:
            cursor.execute(dossier_sql, params)
            (received, synced, handled, on_time, online_synced, paid, paid_online, resulted, e_result, digitised,
             reused, linked, population, satisfied_handling) = cursor.fetchone()
            cursor.execute(EVALUATION_SQL, params)
            rated_ok, rated = cursor.fetchone()
            cursor.execute(PROCEDURE_SQL, params)
            complete, procedures, online, used, fee_online, fees = cursor.fetchone()
        return {"dossiers_synced": (synced, received), "on_time": (on_time, handled),
                "online_dossiers": (online_synced, received), "paid_online": (paid_online, paid),
                "electronic_results": (e_result, resulted), "digitised_dossiers": (digitised, received),
                "reused_data": (reused, received), "datastore_linked": (linked, received),
                "population_db": (population, received), "handling_satisfaction": (satisfied_handling, handled),
                "evaluation_satisfied": (rated_ok, rated), "procedures_complete": (complete, procedures),
                "procedures_online": (online, procedures), "online_used": (used, online),
                "fee_online": (fee_online, fees)}

    def raw():
        return base(DOSSIER_SQL)

    ours(), base(), raw()  # warm
    best_ours = best_base = best_raw = float("inf")
    same = True
    for _ in range(args.repeat):
        t, a = timed(ours)
        u, b = timed(base)
        v, c = timed(raw)
        best_ours, best_base, best_raw = min(best_ours, t), min(best_base, u), min(best_raw, v)
        same = same and a == b == c
        if not a == b == c:
            log("differ:", {k: (a.get(k), b.get(k), c.get(k)) for k in c if not a.get(k) == b.get(k) == c.get(k)})
    row = figure(f"service index, province, year {year} ({args.dossiers:,} dossiers)", "ms", best_ours * 1000,
                 best_base * 1000, higher_is_better=False, target_ratio=TARGET_RATIO, identical=same,
                 under_2s=best_ours < TARGET_SECONDS, raw_rows_sql_ms=round(best_raw * 1000, 1))
    log(f"ours {best_ours * 1000:.0f} ms, hand-written SQL on the flags {best_base * 1000:.0f} ms, "
        f"hand-written SQL on the raw rows {best_raw * 1000:.0f} ms, identical={same}")
    ok = same and best_ours < TARGET_SECONDS and row["ratio"] >= TARGET_RATIO
    result = {"benchmark": "serviceindex", "dossiers": args.dossiers, "figures": [row], "ok": ok}
    write_json(args.json, result)
    print(row)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
