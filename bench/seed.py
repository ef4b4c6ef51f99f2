"""Times the seed on a fresh database and prints its figures.

    python -m bench.seed --scale demo                       # SQLite file, the embedded default
    python -m bench.seed --scale large --postgres postgresql://postgres@127.0.0.1:5432/postgres

Each run migrates a new, empty database, seeds it through the real CLI, and prints wall time,
total rows and rows/s (the CLI's own table of rows per table is printed above the summary).
The PostgreSQL database is kept (named in the output) so the dashboard benchmarks can use it;
pass --drop to remove it.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mediconnect.core.settings import ROOT
from tests.support.databases import create_postgres_database, drop_postgres_database, migrate


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", choices=["tiny", "demo", "large"], default="demo")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--postgres", metavar="SERVER_URL", help="seed a new database on this server")
    ap.add_argument("--drop", action="store_true", help="drop the PostgreSQL database afterwards")
    args = ap.parse_args()

    if args.postgres:
        url = create_postgres_database(args.postgres, f"mediconnect_bench_{args.scale}")
    else:
        url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='mediconnect-bench-')) / 'seed.db'}"
    started = time.perf_counter()
    migrate(url)
    migrated = time.perf_counter()
    cmd = [sys.executable, "-m", "mediconnect.cli", "seed", "--scale", args.scale, "--seed", str(args.seed),
           "--database-url", url]  # fmt: skip
    proc = subprocess.run(cmd, cwd=ROOT, text=True, capture_output=True)
    finished = time.perf_counter()
    sys.stdout.write(proc.stdout)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        return proc.returncode
    rows = _total_rows(proc.stdout)
    seed_s = finished - migrated
    print("\n== bench.seed ==")
    print(f"scale      {args.scale} (seed {args.seed})")
    print(f"database   {url}")
    print(f"migrate    {migrated - started:8.1f} s")
    print(f"seed       {seed_s:8.1f} s (wall, including process start)")
    if rows:
        print(f"rows       {rows:>10,}")
        print(f"rows/s     {rows / seed_s:>10,.0f}")
    if args.postgres and args.drop:
        drop_postgres_database(args.postgres, url)
    return 0


def _total_rows(output: str) -> int | None:
    match = re.search(r"^TOTAL\s+([\d,]+)", output, re.MULTILINE)
    return int(match.group(1).replace(",", "")) if match else None


if __name__ == "__main__":
    raise SystemExit(main())
