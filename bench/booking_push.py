"""Push latency: from a committed booking to the delta arriving at every open booking page.

The real app runs in production mode (two backend processes, state in Redis). N clients each
open /appointments/book/ over Reflex's WebSocket, as a browser tab does (sign in, pick the
same service, clinic and day), so N tabs watch one clinic-day. This process then books slots
of that day through the services and commits; the event goes out through Redis, each backend
process refreshes the tabs it serves, and each tab's socket receives its delta. Latency per tab
is the delta's arrival minus the commit time stamped on the event.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from mediconnect.core import events
from mediconnect.core.policy import Principal
from mediconnect.services import availability, booking, lifecycle
from tests.support.hostile_client import HostileClient

DEMO_PATIENT = "patient@demo.mediconnect.local"


class TimedClient(HostileClient):
    """A tab that stamps every message the server pushes with its arrival time."""

    def __init__(self, base_url: str) -> None:
        super().__init__(base_url, timeout=60)
        self.armed = False
        self.arrivals: list[float] = []

    async def _on_event(self, data: Any) -> None:
        if self.armed:
            self.arrivals.append(time.time())
        await super()._on_event(data)


@dataclass(frozen=True)
class PushResult:
    clients: int
    rounds: int
    latencies_ms: list[float]
    missed: int


async def open_tabs(
    base_url: str, *, n: int, password: str, clinic_id: int, service_id: int, day: str
) -> list[TimedClient]:
    from mediconnect.features.auth.state import LoginState
    from mediconnect.features.booking.book_state import BookState

    book = BookState.get_full_name()

    async def one() -> TimedClient:
        tab = TimedClient(base_url)
        await tab.connect("/login/")
        await tab.sign_in(LoginState.get_full_name(), DEMO_PATIENT, password)
        await tab.load_page("/appointments/book/")
        await tab.call(f"{book}.choose_service", {"service_id": str(service_id)})
        await tab.call(f"{book}.choose_clinic", {"clinic_id": str(clinic_id)})
        await tab.call(f"{book}.choose_day", {"value": day})
        return tab

    tabs: list[TimedClient] = []
    for start in range(0, n, 10):  # sign-ins hash passwords: open them ten at a time
        tabs += await asyncio.gather(*(one() for _ in range(min(10, n - start))))
    return tabs


def _book_one(
    engine: Any, principal: Principal, patient_ids: list[int], target: Any, i: int
) -> tuple[int, float]:
    """Book a free slot of the target day; return the appointment id and its commit time."""
    committed: list[float] = []

    def heard(evt: events.DomainEvent) -> None:
        if evt.name == "appointment_created":
            committed.append(evt.committed_at)

    unsubscribe = events.subscribe(heard)
    try:
        with Session(engine, expire_on_commit=False) as s:
            slots = availability.day_slots(
                session=s, clinic_id=target.clinic_id, service_id=target.service_id, day=target.day
            )
            appt = booking.book(
                session=s, principal=principal, patient_id=patient_ids[i % len(patient_ids)],
                clinic_id=target.clinic_id, service_id=target.service_id, start=slots[i % len(slots)].start,
                preparation_acknowledged=True,
            )  # fmt: skip
            s.commit()
    finally:
        unsubscribe()
    return appt.id, committed[-1]


def _cancel(engine: Any, principal: Principal, appointment_id: int) -> None:
    with Session(engine) as s:
        lifecycle.cancel(session=s, principal=principal, appointment_id=appointment_id, reason="bench")
        s.commit()


async def measure(
    tabs: list[TimedClient],
    *,
    engine: Any,
    principal: Principal,
    patient_ids: list[int],
    target: Any,
    rounds: int,
) -> PushResult:
    latencies: list[float] = []
    missed = 0
    for i in range(rounds):
        for tab in tabs:
            tab.arrivals.clear()
            tab.armed = True
        appt_id, committed_at = await asyncio.to_thread(_book_one, engine, principal, patient_ids, target, i)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not all(
            any(t >= committed_at for t in tab.arrivals) for tab in tabs
        ):
            await asyncio.sleep(0.01)
        for tab in tabs:
            after = [t for t in tab.arrivals if t >= committed_at]
            if after:
                latencies.append((after[0] - committed_at) * 1000)
            else:
                missed += 1
            tab.armed = False
        await asyncio.to_thread(_cancel, engine, principal, appt_id)
        await asyncio.sleep(0.5)  # let the cancellation's own push settle before the next round
    return PushResult(clients=len(tabs), rounds=rounds, latencies_ms=sorted(latencies), missed=missed)
