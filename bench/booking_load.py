"""The booking load: many clients booking and cancelling the same few clinic-days at once.

Each client is a thread with its own database connection, calling the real services
(availability.day_slots, booking.book, lifecycle.cancel) as the API and the pages do, one
transaction per operation. Clients aim at the first free slots of a handful of busy
clinic-days, so they collide on purpose; the database's exclusion constraints decide, and
the losers get "slot_taken" with alternatives. Afterwards every live appointment is checked
against every other for overlap per room, equipment, doctor and patient.
"""

from __future__ import annotations

import random
import statistics
import threading
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, col, select

from mediconnect.core.policy import Principal, principal_for
from mediconnect.models.catalog import Service
from mediconnect.models.clinics import Clinic
from mediconnect.models.patients import Patient
from mediconnect.models.users import Role, User
from mediconnect.services import availability, booking, lifecycle

RESOURCES = ("room", "equipment", "doctor", "patient")


@dataclass(frozen=True)
class Target:
    clinic_id: int
    service_id: int
    day: date


@dataclass
class ClientStats:
    book_ms: list[float] = field(default_factory=list)
    cancel_ms: list[float] = field(default_factory=list)
    booked: int = 0
    taken: int = 0
    refused: int = 0
    cancelled: int = 0
    errors: list[str] = field(default_factory=list)


def pick_targets(engine: sa.Engine, *, count: int, tz: str) -> list[Target]:
    """Busy-enough clinic-days with free slots: services that need no referral, next week."""
    targets: list[Target] = []
    with Session(engine) as s:
        services = s.exec(
            select(Service)
            .where(col(Service.is_active), ~col(Service.referral_required))
            .order_by(Service.id)
        ).all()
        clinics = s.exec(select(Clinic).order_by(Clinic.id)).all()
        today = datetime.now(ZoneInfo(tz)).date()
        for offset in range(1, 8):
            for clinic in clinics:
                for service in services:
                    assert clinic.id is not None and service.id is not None
                    day = today + timedelta(days=offset)
                    slots = availability.day_slots(
                        session=s, clinic_id=clinic.id, service_id=service.id, day=day
                    )
                    if len(slots) >= 8:
                        targets.append(Target(clinic.id, service.id, day))
                    if len(targets) >= count:
                        return targets
    return targets


def _admin(engine: sa.Engine) -> Principal:
    with Session(engine) as s:
        admin = s.exec(select(User).where(User.role == Role.ADMIN).order_by(User.id)).first()
        assert admin is not None, "the seed has no admin"
        return principal_for(s, user=admin)


def _patients(engine: sa.Engine, n: int) -> list[int]:
    with Session(engine) as s:
        ids = s.exec(select(Patient.id).order_by(sa.func.random()).limit(n)).all()
    return [i for i in ids if i is not None]


def run_load(engine: sa.Engine, *, seconds: float, clients: int, targets: list[Target]) -> dict[str, object]:
    principal = _admin(engine)
    patients = _patients(engine, 5000)
    deadline = time.monotonic() + seconds
    stats = [ClientStats() for _ in range(clients)]
    start_gate = threading.Barrier(clients)

    def client(i: int) -> None:
        rng = random.Random(i)
        mine: list[int] = []
        st = stats[i]
        start_gate.wait()
        while time.monotonic() < deadline:
            if mine and rng.random() < 0.3:
                appt_id = mine.pop(rng.randrange(len(mine)))
                t0 = time.perf_counter()
                try:
                    with Session(engine, expire_on_commit=False) as s:
                        lifecycle.cancel(
                            session=s, principal=principal, appointment_id=appt_id, reason="bench"
                        )
                        s.commit()
                    st.cancelled += 1
                except booking.BookingError as exc:
                    st.errors.append(f"cancel: {exc.code}")
                st.cancel_ms.append((time.perf_counter() - t0) * 1000)
                continue
            target = rng.choice(targets)
            t0 = time.perf_counter()
            try:
                with Session(engine, expire_on_commit=False) as s:
                    slots = availability.day_slots(
                        session=s, clinic_id=target.clinic_id, service_id=target.service_id, day=target.day
                    )
                    if not slots:
                        st.refused += 1
                        continue
                    slot = rng.choice(slots[:3])  # everyone wants the earliest times
                    appt = booking.book(
                        session=s, principal=principal, patient_id=rng.choice(patients),
                        clinic_id=target.clinic_id, service_id=target.service_id, start=slot.start,
                        preparation_acknowledged=True, channel="online",
                    )  # fmt: skip
                    s.commit()
                st.booked += 1
                mine.append(appt.id)
            except booking.BookingError as exc:
                if exc.code == "slot_taken":
                    st.taken += 1
                else:
                    st.refused += 1
            except Exception as exc:  # counted and shown: the bench must not hide failures
                st.errors.append(f"{type(exc).__name__}: {exc}"[:2000])
            st.book_ms.append((time.perf_counter() - t0) * 1000)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    t_start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t_start
    book_ms = sorted(x for st in stats for x in st.book_ms)
    cancel_ms = sorted(x for st in stats for x in st.cancel_ms)
    booked = sum(st.booked for st in stats)
    return {
        "seconds": elapsed,
        "clients": clients,
        "booked": booked,
        "taken": sum(st.taken for st in stats),
        "refused": sum(st.refused for st in stats),
        "cancelled": sum(st.cancelled for st in stats),
        "errors": [e for st in stats for e in st.errors],
        "bookings_per_s": booked / elapsed,
        "ops_per_s": (len(book_ms) + len(cancel_ms)) / elapsed,
        "book_p50_ms": percentile(book_ms, 50),
        "book_p95_ms": percentile(book_ms, 95),
        "cancel_p50_ms": percentile(cancel_ms, 50),
        "cancel_p95_ms": percentile(cancel_ms, 95),
        "double_bookings": double_bookings(engine),
    }


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(pct) - 1]


def double_bookings(engine: sa.Engine) -> int:
    """Pairs of live appointments that overlap on any resource (must be 0)."""
    total = 0
    with engine.connect() as conn:
        for res in RESOURCES:
            total += conn.execute(
                sa.text(
                    f"SELECT count(*) FROM appointments a JOIN appointments b"
                    f" ON a.{res}_id = b.{res}_id AND a.id < b.id"
                    f" AND a.scheduled_start < b.scheduled_end AND b.scheduled_start < a.scheduled_end"
                    f" WHERE a.status NOT IN ('cancelled', 'no_show')"
                    f" AND b.status NOT IN ('cancelled', 'no_show')"
                )
            ).scalar_one()
    return total
