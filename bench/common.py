"""Shared set-up for the benchmarks that need a database.

A benchmark calls `bootstrap()` before it imports any model: it creates the
PostgreSQL database if it is missing, points Django at it, runs the
migrations, loads the demo province (real units, agencies, staff, catalogue)
and, with `dossiers=N`, a generated province-year of N dossiers
(`tinhso.demo.province_year`), unless the database already holds that
very generation. Re-running a benchmark therefore reuses its data.

    from common import bootstrap
    url = bootstrap("tinhso_bench", dossiers=1_000_000)
    from tinhso.dossiers.models import Dossier   # only now

The PostgreSQL server is TINHSO_BENCH_PG (default postgres://postgres@127.0.0.1:5432).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_SERVER = os.environ.get("TINHSO_BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")


def log(*parts) -> None:
    print(*parts, file=sys.stderr, flush=True)


def database_url(dbname: str) -> str:
    return f"{PG_SERVER}/{dbname}"


def create_database(dbname: str, *, drop: bool = False) -> str:
    """Create `dbname` on the benchmark server (drop it first with drop=True)."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    cfg = dj_database_url.parse(database_url(dbname))
    with psycopg.connect(host=cfg["HOST"], port=cfg["PORT"] or 5432, user=cfg["USER"],
                         password=cfg["PASSWORD"] or None, dbname="postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone()
        if exists and drop:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(dbname)))
            exists = None
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
    return database_url(dbname)


def setup_django(url: str, **env: str) -> None:
    """Point Django at `url` (production-like settings, debug off) and set it up."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinhso.settings")
    os.environ.setdefault("TINHSO_LOG_LEVEL", "WARNING")
    # The demo seeding signs a sample result; benchmarks measure no network: no time-stamping.
    os.environ.setdefault("TINHSO_TSA_URL", "off")
    for key, value in env.items():
        os.environ[key] = value
    import django

    django.setup()


def bootstrap(dbname: str, *, dossiers: int = 0, seed: int = 1, year: int | None = None, drop: bool = False,
              **env: str) -> str:
    """Database `dbname` migrated, with the demo province and (dossiers > 0) a
    generated province-year. Returns its DATABASE_URL. Django is set up."""
    url = create_database(dbname, drop=drop)
    setup_django(url, **env)
    from django.core.management import call_command

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    from tinhso.demo.seed import seed_demo

    seed_demo()
    log(f"[bench] {dbname}: migrated and demo province loaded in {time.perf_counter() - t0:.1f} s")
    if dossiers:
        from tinhso.demo import province_year

        t0 = time.perf_counter()
        stats = province_year.ensure(dossiers=dossiers, seed=seed, year=year)
        log(f"[bench] {dbname}: province-year of {dossiers:,} dossiers ready in {time.perf_counter() - t0:.1f} s "
            f"({json.dumps(stats, ensure_ascii=False, default=str)})")
    return url


def percentile(sorted_values: list[float], p: float) -> float:
    """The p-th percentile (0-100) of an already sorted list, nearest rank."""
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, int(round(p / 100 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[k]


def write_json(path: str | None, result: dict) -> None:
    if path:
        Path(path).write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n")


def figure(name: str, unit: str, value: float, baseline: float | None, *, higher_is_better: bool = True,
           target_ratio: float | None = None, **extra) -> dict:
    """One row of the benchmark table. `ratio` is always figure relative to the
    baseline in the sense 'bigger is better' (rate / baseline rate, or baseline
    time / time), so a target reads 'ratio >= target'."""
    ratio = None
    if baseline:
        ratio = value / baseline if higher_is_better else baseline / value
    row = {"figure": name, "unit": unit, "value": round(value, 3) if value < 100 else round(value),
           "baseline": (round(baseline, 3) if baseline < 100 else round(baseline)) if baseline is not None else None,
           "ratio": round(ratio, 3) if ratio is not None else None}
    if target_ratio is not None and ratio is not None:
        row["target_ratio"] = target_ratio
        row["target_met"] = ratio >= target_ratio
    row.update(extra)
    return row
