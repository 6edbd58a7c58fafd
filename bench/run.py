"""Run every benchmark script in bench/ and print one table.

Each `bench/bench_*.py` is run in its own process with `--json <tmp>` and
must write a JSON object with a "figures" list (figure, unit, value, baseline,
ratio, ...) and an "ok" flag. `--n N` (each script's own workload size:
pairs, lifecycles, PDFs, look-up codes...) needs `--only`, since the sizes
mean different things; the scripts that use a database (those that accept
`--dossiers`) get `--dossiers` and `--database` when given: they share one
PostgreSQL database holding a generated province-year (default
"tinhso_bench" with 1,000,000 dossiers, generated once and reused).
The combined results are written to --json (default var/bench.json; var/ is
ignored by git). Exit status 1 if any benchmark fails or reports ok=false.

    .venv/bin/python bench/run.py [--dossiers 1000000] [--database tinhso_bench] [--json var/bench.json]
    .venv/bin/python bench/run.py --only calendar --n 200000
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def scripts(only: list[str] | None) -> list[Path]:
    found = sorted(HERE.glob("bench_*.py"))
    if only:
        found = [p for p in found if p.stem.removeprefix("bench_") in only]
    return found


def run_one(script: Path, n: int | None, dossiers: int | None = None, database: str | None = None) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        cmd = [sys.executable, str(script), "--json", str(out)]
        if n is not None:
            cmd += ["--n", str(n)]
        text = script.read_text()
        if dossiers is not None and '"--dossiers"' in text:
            cmd += ["--dossiers", str(dossiers)]
        if database and '"--database"' in text:
            cmd += ["--database", database]
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        result = json.loads(out.read_text()) if out.exists() else {"figures": [], "ok": False}
    result.setdefault("benchmark", script.stem.removeprefix("bench_"))
    result["script"] = str(script.relative_to(ROOT))
    result["returncode"] = proc.returncode
    if proc.returncode:
        result["ok"] = False
        result["stderr"] = proc.stderr[-2000:]
    return result


def print_table(results: list[dict]) -> None:
    head = ("benchmark", "figure", "value", "unit", "baseline", "ratio", "identical")
    rows = []
    for res in results:
        if not res.get("figures"):
            rows.append((res["benchmark"], "FAILED (see stderr in the JSON)", "", "", "", "", ""))
        for f in res.get("figures", []):
            rows.append((res["benchmark"], f["figure"], f"{f['value']:,}", f.get("unit", ""),
                         f"{f['baseline']:,}" if f.get("baseline") is not None else "",
                         f"{f['ratio']:.3f}" if f.get("ratio") is not None else "",
                         {True: "yes", False: "NO"}.get(f.get("identical_days"), "")))
    widths = [max(len(r[c]) for r in [head, *rows]) for c in range(len(head))]
    fmt = "  ".join(f"{{:{'<' if c < 2 or c == 3 else '>'}{w}}}" for c, w in enumerate(widths))
    print(fmt.format(*head))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print(fmt.format(*r))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=None, help="workload size of the --only benchmarks (default: each script's own)")
    parser.add_argument("--json", default="var/bench.json", metavar="PATH",
                        help="combined results (default var/bench.json, relative to the project root)")
    parser.add_argument("--dossiers", type=int, default=None,
                        help="province-year size for the database benchmarks (default: each script's own, 1,000,000)")
    parser.add_argument("--database", default=None, help="PostgreSQL database of the database benchmarks")
    parser.add_argument("--only", action="append", help="run only this benchmark (name without bench_), repeatable")
    args = parser.parse_args()
    if args.n is not None and not args.only:
        parser.error("--n means something different to each benchmark: give it with --only NAME")

    results = []
    for script in scripts(args.only):
        print(f"running {script.relative_to(ROOT)} ...", file=sys.stderr, flush=True)
        results.append(run_one(script, args.n, args.dossiers, args.database))
    print_table(results)
    for res in results:
        if res.get("stderr"):
            print(f"\n{res['script']} failed (exit {res['returncode']}):\n{res['stderr']}", file=sys.stderr)
    report = {
        "when": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "ok": all(r.get("ok") for r in results) and bool(results),
        "results": results,
    }
    path = Path(args.json)
    if not path.is_absolute():
        path = ROOT / path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwritten: {path}")
    sys.exit(0 if report["ok"] else 1)


if __name__ == "__main__":
    main()
