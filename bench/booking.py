"""Booking under load, and how fast a booking reaches every open screen. Prints its figures.

    python -m bench.booking                                   # demo data on a new PostgreSQL db
    python -m bench.booking --database-url postgresql://...   # an already seeded database
    python -m bench.booking --seconds 30 --clients 16 --watchers 100 --rounds 20

1. Load (bench/booking_load.py): --clients threads book and cancel for --seconds against the
   same few clinic-days, through the real services on PostgreSQL; prints bookings/s, p50/p95
   latency and the double-booking count (must be 0).
2. Push (bench/booking_push.py): starts the app in production mode (two backend processes,
   Redis state), opens --watchers booking pages on one clinic-day over WebSockets, books and
   cancels --rounds times from this process, and prints commit-to-delta p50/p95.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--postgres", default=DEFAULT_PG, metavar="SERVER_URL")
    ap.add_argument("--database-url", help="use this seeded database instead of seeding a new one")
    ap.add_argument("--redis", default=os.environ.get("REDIS_URL") or DEFAULT_REDIS)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--watchers", type=int, default=100)
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--port", type=int, default=3210)
    ap.add_argument("--skip-push", action="store_true")
    args = ap.parse_args()
    # Before anything reads Settings: this process publishes to the app's Redis.
    os.environ["REDIS_URL"] = args.redis
    os.environ["MEDICONNECT_TEST_PORT"] = str(args.port)
    from mediconnect.bootstrap import wire

    wire()  # after the environment: the commit hooks, as every app process does

    from mediconnect.core.db import make_engine

    url = args.database_url or _seed_demo(args.postgres)
    engine = make_engine(url)
    from bench.booking_load import percentile, pick_targets, run_load

    targets = pick_targets(engine, count=6, tz="Africa/Johannesburg")
    if not targets:
        print("no clinic-day with free slots in the next week: is the seed's --today in the past?")
        return 1
    what = f"{args.clients} clients, {args.seconds:.0f} s, {len(targets)} clinic-days"
    print(f"\n== bench.booking: load ({what}) ==")
    load = run_load(engine, seconds=args.seconds, clients=args.clients, targets=targets)
    for key in ("booked", "taken", "refused", "cancelled"):
        print(f"{key:<18}{load[key]:>10}")
    print(f"{'bookings/s':<18}{load['bookings_per_s']:>10.1f}")
    print(f"{'operations/s':<18}{load['ops_per_s']:>10.1f}")
    print(f"{'book p50 / p95':<18}{load['book_p50_ms']:>10.1f} / {load['book_p95_ms']:.1f} ms")
    print(f"{'cancel p50 / p95':<18}{load['cancel_p50_ms']:>10.1f} / {load['cancel_p95_ms']:.1f} ms")
    print(f"{'double bookings':<18}{load['double_bookings']:>10}")
    errors = load["errors"]
    assert isinstance(errors, list)
    if errors:
        print(f"errors            {len(errors)} (first: {errors[0][:300]})")
    status = 0 if load["double_bookings"] == 0 and not errors else 1
    if args.skip_push:
        return status

    from bench.booking_load import _admin, _patients
    from bench.booking_push import measure, open_tabs
    from mediconnect.seed.demo_accounts import DEMO_PASSWORD
    from tests.support.app_server import running_server

    target = targets[0]
    log = Path(tempfile.mkdtemp(prefix="mediconnect-bench-")) / "app.log"
    print(f"\n== bench.booking: push ({args.watchers} tabs, {args.rounds} bookings; app log {log}) ==")
    with running_server(database_url=url, log_path=log, extra_env={"GRANIAN_WORKERS": "2"}) as base:

        async def run():  # type: ignore[no-untyped-def]
            t0 = time.perf_counter()
            tabs = await open_tabs(
                base, n=args.watchers, password=DEMO_PASSWORD, clinic_id=target.clinic_id,
                service_id=target.service_id, day=target.day.isoformat(),
            )  # fmt: skip
            print(f"tabs open         {len(tabs):>10} in {time.perf_counter() - t0:.1f} s")
            try:
                return await measure(
                    tabs, engine=engine, principal=_admin(engine), patient_ids=_patients(engine, 200),
                    target=target, rounds=args.rounds,
                )  # fmt: skip
            finally:
                await asyncio.gather(*(t.close() for t in tabs))

        push = asyncio.run(run())
    lat = push.latencies_ms
    print(f"{'deltas received':<18}{len(lat):>10} of {push.clients * push.rounds}")
    print(f"{'push p50 / p95':<18}{percentile(lat, 50):>10.1f} / {percentile(lat, 95):.1f} ms")
    print(f"{'push max':<18}{(max(lat) if lat else float('nan')):>10.1f} ms")
    return status if push.missed == 0 else 1


def _seed_demo(server_url: str) -> str:
    from mediconnect.core.settings import ROOT
    from tests.support.databases import create_postgres_database, migrate

    url = create_postgres_database(server_url, "mediconnect_bench_booking")
    migrate(url)
    t0 = time.perf_counter()
    cmd = [sys.executable, "-m", "mediconnect.cli", "seed", "--scale", "demo", "--database-url", url]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-2000:] + proc.stderr[-2000:])
        raise SystemExit(proc.returncode)
    print(f"seeded demo data into {url} in {time.perf_counter() - t0:.1f} s")
    return url


if __name__ == "__main__":
    raise SystemExit(main())
