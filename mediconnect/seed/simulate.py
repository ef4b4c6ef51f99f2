"""Build and simulate the whole world in memory, phase by phase, before anything is written."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from mediconnect.core.passwords import hash_password
from mediconnect.seed import catalog, org_clinics, org_people, patients_build, roster
from mediconnect.seed.clock import LocalDays
from mediconnect.seed.demo_accounts import DEMO_PASSWORD
from mediconnect.seed.scales import Scale
from mediconnect.seed.scheduler import Scheduler
from mediconnect.seed.world import World

HISTORY_DAYS = 730
FUTURE_DAYS = 56

Phase = Callable[[str, int | None], Callable[[int], object]]


def new_world(scale: Scale, seed: int, today: date, clock: time, tz_name: str) -> World:
    tz = ZoneInfo(tz_name)
    now = int(datetime.combine(today, clock, tzinfo=tz).timestamp())
    # One argon2id hash for every demo account; the salt comes from the seed so that the same
    # inputs give byte-identical data (a documented demo password, not a real credential).
    salt = hashlib.sha256(f"mediconnect-demo-salt:{seed}".encode()).digest()[:16]
    return World(
        scale=scale,
        seed=seed,
        today=today,
        now=now,
        tz=tz,
        local=LocalDays(tz),
        first_day=today.toordinal() - HISTORY_DAYS,
        last_day=today.toordinal() + FUTURE_DAYS,
        demo_password_hash=hash_password(DEMO_PASSWORD, salt=salt),
    )


def simulate(world: World, phase: Phase) -> None:
    """Every in-memory phase; `phase(name, total)` returns a tick function for a progress bar."""
    tick = phase("catalogue and organisation", 6)
    catalog.build(world)
    tick(1)
    org_clinics.build_clinics(world)
    tick(1)
    org_people.build_doctors(world)
    tick(1)
    org_clinics.build_facilities(world)
    tick(1)
    org_people.build_people(world)
    tick(1)
    patients_build.build(world)
    tick(1)
    days = world.last_day - world.first_day + 1
    roster.build(world)
    Scheduler(world).run(phase("appointments (simulated days)", days))
