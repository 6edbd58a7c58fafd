"""Benchmark the working-calendar engine against numpy.busday_offset.

Computes due dates for N (start, amount) pairs: starts at 07:00 on random
days of 2025-2026 (working or not), amounts 1-60 working days, with the
official 2025-2026 calendar (the data of the seed migration, no database).

Correspondence checked (docs/calendar.md): a start at or before an opening
gives a due time at 17:00 on busday_offset(day, N - 1, roll='forward') with a
Mon-Sat weekmask whose holidays are the days off plus every Saturday that is
not a make-up working day.

    .venv/bin/python bench/bench_calendar.py [--n 1000000] [--seed 1]
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinhso.settings")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402

from tinhso.workcalendar.engine import Schedule, WorkCalendar  # noqa: E402

SEED = importlib.import_module("tinhso.workcalendar.migrations.0002_seed_2025_2026")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="number of (start, amount) pairs")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    n = args.n

    t0 = time.perf_counter()
    cal = WorkCalendar([Schedule.make(datetime.date(2000, 1, 1))], {d: k for d, k, _, _ in SEED.DAYS})
    build = time.perf_counter() - t0

    makeup = {d for d, k, _, _ in SEED.DAYS if k == "makeup_workday"}
    off = [d for d, k, _, _ in SEED.DAYS if k != "makeup_workday"]
    saturdays = [datetime.date(2024, 1, 6) + datetime.timedelta(days=7 * i) for i in range(52 * 5)]
    bdc = np.busdaycalendar(weekmask="1111110",
                            holidays=np.array(off + [s for s in saturdays if s not in makeup], dtype="datetime64[D]"))

    rng = np.random.default_rng(args.seed)
    first = np.datetime64("2025-01-01")
    start_days = first + rng.integers(0, 730, size=n).astype("timedelta64[D]")
    amounts = rng.integers(1, 61, size=n)

    # engine: one call per pair, Python datetimes in and out
    starts = [datetime.datetime.combine(d, datetime.time(7)) for d in start_days.astype(object)]
    amount_list = amounts.tolist()
    add = cal.add
    t0 = time.perf_counter()
    dues = [add(s, a, "working_days") for s, a in zip(starts, amount_list)]
    t_engine = time.perf_counter() - t0

    t0 = time.perf_counter()
    np_dues = np.busday_offset(start_days, amounts - 1, roll="forward", busdaycal=bdc)
    t_numpy = time.perf_counter() - t0

    engine_days = np.array([d.date() for d in dues], dtype="datetime64[D]")
    identical = bool(np.array_equal(engine_days, np_dues))
    all_at_close = all(d.hour == 17 and d.minute == 0 for d in dues)

    print(f"pairs:                 {n:,}")
    print(f"engine build:          {build * 1000:.1f} ms (years {2000}-{2100})")
    print(f"engine (per call):     {n / t_engine:,.0f} pairs/s  ({t_engine:.2f} s, {t_engine / n * 1e6:.2f} µs/call)")
    print(f"numpy (vectorised):    {n / t_numpy:,.0f} pairs/s  ({t_numpy:.3f} s)")
    print(f"ratio numpy/engine:    {t_engine / t_numpy:,.1f}x")
    print(f"day results identical: {identical}  (all due times at 17:00: {all_at_close})")
    if not identical:
        bad = np.nonzero(engine_days != np_dues)[0][:5]
        for i in bad:
            print("  mismatch", start_days[i], amounts[i], engine_days[i], np_dues[i])
        sys.exit(1)


if __name__ == "__main__":
    main()
