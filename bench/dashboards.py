"""Dashboard latency through the real HTTP stack, and push latency to 100 live sockets.

    PYTHONPATH=. .venv/bin/python -m bench.dashboards                 # the large dataset
    python -m bench.dashboards --database-url postgresql://... --doctors 20 --clients 100 --rounds 20

1. Latency: the API app in-process behind httpx's ASGI transport (authentication, rate limit,
   service, cache, JSON: everything but the socket). For each endpoint, p50/p95/max cold (the
   dashboard cache cleared before every call) and warm (served from the cache): the doctor
   dashboard of --doctors sampled doctors, their analytics (period=month&comparison=true) and
   the clinic dashboard of every clinic. Cold calls also time the SQL of each builder section
   (the dashboards module that issued it), printed when the cold target is missed.
2. Push (bench/dashboards_push.py): the API under granian (two worker processes, Redis), --clients
   WebSockets on one clinic's dashboard, --rounds check-ins committed from this process through
   the lifecycle service; latency is each socket's metric_update arrival minus the commit time.

Unless --no-prewarm, the database's tables are first read into the OS page cache (as on a server
in steady state); "cold" is about our dashboard cache, not the disk.

Targets: cold p95 < 300 ms, warm p95 < 20 ms, push p95 < 1 s. Figures only: nothing asserts on time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

DEFAULT_DB = "postgresql://postgres@127.0.0.1:5432/mediconnect_large"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
TARGETS = {"cold": 300.0, "warm": 20.0, "push": 1000.0}


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


# --------------------------------------------------------------------------- SQL time per section

_sections: dict[str, float] = defaultdict(float)
# The machinery around the builders, not a section of one.
_NOT_SECTIONS = ("service.py", "registry.py", "kit/cache.py", "kit/guard.py")
_recording = False


def _section() -> str:
    frame = sys._getframe(2)
    while frame is not None:
        path = frame.f_code.co_filename
        if "/mediconnect/dashboards/" in path and not path.endswith(_NOT_SECTIONS):
            # "clinic/alerts.build": the package keeps same-named sections apart.
            return path.split("/mediconnect/dashboards/", 1)[1][:-3] + "." + frame.f_code.co_name
        frame = frame.f_back  # type: ignore[assignment]
    return "(outside the builders)"


def install_sql_timer() -> None:
    import sqlalchemy as sa

    def before(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
        conn.info.setdefault("bench_t0", []).append(time.perf_counter())

    def after(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
        t0 = conn.info["bench_t0"].pop()
        if _recording:
            _sections[_section()] += (time.perf_counter() - t0) * 1000

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", before)
    sa.event.listen(sa.engine.Engine, "after_cursor_execute", after)


@contextmanager
def recording() -> Iterator[None]:
    global _recording
    _recording = True
    try:
        yield
    finally:
        _recording = False


# --------------------------------------------------------------------------- HTTP latency


def clear_cache() -> None:
    from mediconnect.dashboards.kit import cache

    cache.clear()


def targets(doctors: int) -> tuple[str, dict[str, list[str]]]:
    """An admin's access token and the URLs of each endpoint."""
    import sqlalchemy as sa
    from sqlmodel import Session, select

    from mediconnect.core.db import get_engine
    from mediconnect.core.tokens import issue_access_token
    from mediconnect.models.users import Role, User

    with Session(get_engine()) as s:
        admin = s.exec(select(User).where(User.role == Role.ADMIN, User.is_active == True)).first()  # noqa: E712
        assert admin is not None, "no active admin in this database"
        token = issue_access_token(user=admin)
        doctor_ids = [int(i) for i in s.execute(sa.text("SELECT id FROM doctors ORDER BY id")).scalars()]
        clinic_ids = [int(i) for i in s.execute(sa.text("SELECT id FROM clinics ORDER BY id")).scalars()]
    step = max(1, len(doctor_ids) // max(1, doctors))
    sample = doctor_ids[::step][:doctors]
    return token, {
        "doctor dashboard": [f"/api/dashboard/doctor/?doctor_id={d}" for d in sample],
        "doctor analytics": [
            f"/api/dashboard/doctor/analytics/?doctor_id={d}&period=month&comparison=true" for d in sample
        ],
        "clinic dashboard": [f"/api/clinics/{c}/dashboard/" for c in clinic_ids],
    }


async def measure_http(
    token: str, urls: dict[str, list[str]], warm_repeats: int
) -> dict[str, dict[str, Any]]:
    import httpx

    from mediconnect.api.router import create_api

    out: dict[str, dict[str, Any]] = {}
    headers = {"Authorization": f"Bearer {token}"}
    transport = httpx.ASGITransport(app=create_api())
    async with httpx.AsyncClient(transport=transport, base_url="http://bench", headers=headers) as client:
        await client.get(urls["clinic dashboard"][0])  # imports, pools, first connections
        for name, group in urls.items():
            cold: list[float] = []
            warm: list[float] = []
            errors: list[str] = []
            _sections.clear()
            for url in group:
                clear_cache()
                t0 = time.perf_counter()
                with recording():
                    r = await client.get(url)
                cold.append((time.perf_counter() - t0) * 1000)
                if r.status_code != 200 or r.headers.get("x-cache") != "MISS":
                    errors.append(f"{url}: {r.status_code} {r.headers.get('x-cache')} {r.text[:200]}")
                for _ in range(warm_repeats):
                    t0 = time.perf_counter()
                    r = await client.get(url)
                    warm.append((time.perf_counter() - t0) * 1000)
                    if r.headers.get("x-cache") != "HIT":
                        errors.append(f"{url}: warm call not a cache hit ({r.status_code})")
            sections = sorted(((v / len(group), k) for k, v in _sections.items()), reverse=True)
            out[name] = {"cold": cold, "warm": warm, "errors": errors, "sections": sections}
    return out


def print_http(results: dict[str, dict[str, Any]]) -> None:
    cols = "".join(f"{c:>9}" for c in ("cold p50", "cold p95", "cold max"))
    cols += "  " + "".join(f"{c:>9}" for c in ("warm p50", "warm p95", "warm max"))
    head = f"{'endpoint':<18}{'n':>4}  {cols}"
    print(head)
    print("-" * len(head))
    for name, r in results.items():
        c, w = r["cold"], r["warm"]
        print(
            f"{name:<18}{len(c):>4}  {percentile(c, 50):>9.1f}{percentile(c, 95):>9.1f}{max(c):>9.1f}"
            f"  {percentile(w, 50):>9.1f}{percentile(w, 95):>9.1f}{max(w):>9.1f}"
        )
    print("(milliseconds; targets: cold p95 < 300, warm p95 < 20)")
    for name, r in results.items():
        for err in r["errors"][:3]:
            print(f"  ! {name}: {err}")
        if percentile(r["cold"], 95) >= TARGETS["cold"] or os.environ.get("BENCH_SECTIONS"):
            print(f"\n  SQL time per builder section, {name} (mean ms per cold call):")
            for ms, section in r["sections"][:12]:
                print(f"    {ms:>8.1f}  {section}")


# The tables and indexes the dashboards read. A server in steady state holds them in memory; a
# freshly seeded 9 GB database on this machine does not (128 MB shared_buffers, cold page cache),
# and first reads from disk would be measured instead of the dashboards.
PREWARM = (
    "appointments", "invoices", "payments", "feedback", "reports", "prescriptions", "vital_signs",
    "lab_tests", "messages", "duty_shifts", "daily_clinic_stats",
)  # fmt: skip


def prewarm(database_url: str) -> float:
    """Read the dashboards' tables and their indexes into the OS page cache (pg_prewarm 'read');
    returns the seconds it took. Our own dashboard cache is still cleared before every cold call."""
    import sqlalchemy as sa

    url = database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    started = time.perf_counter()
    with sa.create_engine(url).begin() as conn:
        conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        for table in PREWARM:
            conn.exec_driver_sql(
                "SELECT pg_prewarm(c.oid::regclass, 'read') FROM pg_class c"
                " WHERE c.oid = %(t)s::regclass"
                " OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = %(t)s::regclass)",
                {"t": table},
            )
    return time.perf_counter() - started


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--database-url", default=os.environ.get("DATABASE_URL") or DEFAULT_DB)
    ap.add_argument("--redis", default=os.environ.get("REDIS_URL") or DEFAULT_REDIS)
    ap.add_argument("--doctors", type=int, default=20)
    ap.add_argument("--warm-repeats", type=int, default=5)
    ap.add_argument("--clients", type=int, default=100)
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--port", type=int, default=3215)
    ap.add_argument("--skip-push", action="store_true")
    ap.add_argument("--no-prewarm", action="store_true", help="measure first reads from disk too")
    ap.add_argument("--only", help="comma-separated endpoints: doctor,analytics,clinic")
    args = ap.parse_args()
    # Before anything reads Settings: the app's database and Redis, and no rate limit in the way.
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["REDIS_URL"] = args.redis
    os.environ.setdefault("DASHBOARD_RATE_LIMIT", "1000000")
    from mediconnect.bootstrap import wire

    wire()  # after the environment: the commit hooks, as every app process does

    if not args.no_prewarm:
        print(f"pre-read the dashboards' tables into the OS page cache in {prewarm(args.database_url):.1f} s")
    install_sql_timer()
    token, urls = targets(args.doctors)
    if args.only:
        urls = {k: v for k, v in urls.items() if k.split()[-1 if "analytics" in k else 0] in args.only}
    print(f"\n== bench.dashboards: HTTP latency ({args.database_url.rsplit('/', 1)[-1]}) ==")
    results = asyncio.run(measure_http(token, urls, args.warm_repeats))
    print_http(results)
    if args.skip_push:
        return 0

    from bench.dashboards_push import print_push, run_push

    print(f"\n== bench.dashboards: push ({args.clients} sockets, {args.rounds} check-ins) ==")
    push = run_push(
        database_url=args.database_url, redis_url=args.redis, clients=args.clients,
        rounds=args.rounds, port=args.port,
    )  # fmt: skip
    print_push(push)
    return 0 if push.missed == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
