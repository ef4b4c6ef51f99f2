"""`seed`: check the target database, simulate the world, write every table in foreign-key order,
and report what was written."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from datetime import time as clock_time

import sqlalchemy as sa
from tqdm import tqdm

from mediconnect.core.db import make_engine
from mediconnect.dashboards.kit import daily_stats
from mediconnect.models import metadata
from mediconnect.seed import activity_sim, billing_sim, clinical_sim, lab_sim, referral_files, reports_sim
from mediconnect.seed.demo_accounts import format_demo_logins
from mediconnect.seed.emitters import EMITTERS
from mediconnect.seed.scales import SCALES
from mediconnect.seed.simulate import new_world, simulate
from mediconnect.seed.world import World
from mediconnect.seed.writer import make_writer

# Importing the emitter modules registers them.
from mediconnect.seed import (  # noqa: F401  isort: skip
    emit_appointments,
    emit_audit,
    emit_billing,
    emit_catalog,
    emit_clinical,
    emit_notifications,
    emit_ops,
    emit_org,
    emit_patients,
    emit_referrals,
    emit_reports,
    emit_scheduling,
)

# Tables the seed leaves empty on purpose (runtime artefacts, or owned by code not written yet).
NOT_SEEDED = {"oauth_identities", "refresh_tokens", "password_reset_tokens"}
ROOT_TABLES = ("users", "clinics", "patients", "services", "appointments")


class SeedRefused(Exception):
    """The database is not in a state the seed may write to (exit code 2)."""


@dataclass
class SeedResult:
    skipped: bool = False
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    elapsed: float = 0.0
    simulate_seconds: float = 0.0
    finish_seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.counts.values())


class Phases:
    """One progress bar per simulation phase."""

    def __init__(self, enabled: bool) -> None:
        self.enabled, self.bar = enabled, None

    def __call__(self, name: str, total: int | None) -> Callable[[int], object]:
        self.close()
        self.bar = tqdm(
            total=total,
            desc=f"{name:<28}",
            leave=False,
            disable=None if self.enabled else True,
            dynamic_ncols=True,
            mininterval=0.5,
        )
        return self.bar.update

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def _existing_rows(engine: sa.Engine) -> dict[str, int]:
    inspector = sa.inspect(engine)
    missing = [t for t in ROOT_TABLES if not inspector.has_table(t)]
    if missing:
        raise SeedRefused(
            f"the database has no schema (missing {', '.join(missing)}): run "
            "`python -m mediconnect.cli migrate` first"
        )
    with engine.connect() as conn:
        return {
            t: conn.execute(sa.select(sa.func.count()).select_from(sa.table(t))).scalar_one()
            for t in ROOT_TABLES
        }


def build(scale: str, seed: int, today: date, clock: clock_time, tz: str, progress: bool) -> World:
    world = new_world(SCALES[scale], seed, today, clock, tz)
    phases = Phases(progress)
    simulate(world, phases)
    for name, fn in (
        ("reports", reports_sim.simulate),
        ("billing", billing_sim.simulate),
        ("clinical records", clinical_sim.simulate),
        ("sign-ins and sessions", activity_sim.simulate),
    ):
        phases(name, None)
        fn(world)
    world.clinical.labs = lab_sim.simulate(world)
    phases.close()
    return world


def seed_database(
    url: str,
    scale: str,
    seed: int,
    today: date,
    clock: clock_time,
    tz: str,
    *,
    if_empty: bool = False,
    create_tables: bool = False,
    progress: bool = True,
    echo: Callable[[str], object] = print,
) -> SeedResult:
    started = time.perf_counter()
    engine = make_engine(url)
    try:
        if create_tables:
            metadata.create_all(engine)
        existing = _existing_rows(engine)
        if any(existing.values()):
            summary = ", ".join(f"{n} {t}" for t, n in existing.items() if n)
            if if_empty:
                echo(f"The database already has data ({summary}); --if-empty: nothing to do.")
                return SeedResult(skipped=True)
            raise SeedRefused(
                f"refusing to seed a database that already has data ({summary}); "
                "use an empty database (or --if-empty to skip quietly)"
            )
        echo(
            f"Seeding scale={scale} seed={seed} today={today.isoformat()} now={clock:%H:%M} {tz} "
            f"into {engine.url.render_as_string(hide_password=True)}"
        )
        world = build(scale, seed, today, clock, tz, progress)
        simulated = time.perf_counter() - started
        writer = make_writer(engine, progress)
        try:
            for table in metadata.sorted_tables:
                emitter = EMITTERS.get(table.name)
                if emitter is None:
                    if table.name not in NOT_SEEDED:
                        raise RuntimeError(f"no emitter for table {table.name}")
                    continue
                writer.write(table.name, emitter.columns, emitter.rows(world), emitter.total(world))
            finishing = time.perf_counter()
            writer.finish()
            if scale != "large":  # the benchmark set keeps documents as rows only
                files = referral_files.materialise(engine)
                echo(f"Wrote {files:,} referral document files under {referral_files.storage_dir()}")
            if daily_stats.refresh_all(engine):  # the dashboards' history reads the rollup
                echo("Refreshed the daily rollup (daily_clinic_stats)")
            finished = time.perf_counter() - finishing
        finally:
            writer.close()
        return SeedResult(
            counts=writer.counts,
            seconds=writer.seconds,
            elapsed=time.perf_counter() - started,
            simulate_seconds=simulated,
            finish_seconds=finished,
        )
    finally:
        engine.dispose()


def format_summary(result: SeedResult) -> str:
    width = max(len(t) for t in result.counts)
    lines = [f"{'table':<{width}}  {'rows':>10}  {'seconds':>8}"]
    for table in [t.name for t in metadata.sorted_tables]:
        if table in result.counts:
            lines.append(
                f"{table:<{width}}  {result.counts[table]:>10,}  {result.seconds.get(table, 0):>8.2f}"
            )
    for table in sorted(NOT_SEEDED):
        lines.append(f"{table:<{width}}  {0:>10,}  {'(not seeded)':>8}")
    rate = result.total / result.elapsed if result.elapsed else 0.0
    lines.append(f"{'TOTAL':<{width}}  {result.total:>10,}")
    lines.append(
        f"Elapsed {result.elapsed:.1f} s (simulation {result.simulate_seconds:.1f} s, final checks and "
        f"statistics {result.finish_seconds:.1f} s), {rate:,.0f} rows/s"
    )
    lines.append("")
    lines.append(format_demo_logins())
    return "\n".join(lines)
