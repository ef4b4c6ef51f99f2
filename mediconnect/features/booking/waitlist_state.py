"""State of /appointments/waitlist/: the patient's waiting-list entries and the offers made to them.

When a booked time frees up, ``waitlist.offer_next`` offers it to the first patient waiting;
the page watches ``patient:<id>`` and shows the offer at once. Every handler reaches data
through ``_call`` (``kit.calls.page_call``); the waitlist services check the caller again.
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypedDict, TypeVar

import reflex as rx
from sqlmodel import Session

from mediconnect.core.policy import Principal
from mediconnect.features import live
from mediconnect.features.appointments.common import NOT_YOURS
from mediconnect.features.kit.calls import Outcome, Work, page_call
from mediconnect.features.kit.format import long_day, when
from mediconnect.features.shell.state import current_user, private_state
from mediconnect.services import booking_choices, waitlist

T = TypeVar("T")

STATUS_TEXT = {
    "waiting": "Waiting for a free time",
    "offered": "A time is offered to you",
    "accepted": "Booked",
    "declined": "You declined the offer",
    "expired": "The offer expired",
    "cancelled": "Cancelled",
}


class EntryView(TypedDict):
    id: int
    service: str
    clinic: str
    day: str
    status: str
    status_text: str
    offer: str
    expires: str
    preparation: str
    appointment_id: int


def _view(e: booking_choices.WaitlistChoice) -> EntryView:
    return EntryView(
        id=e["id"],
        service=e["service"],
        clinic=e["clinic"],
        day=long_day(date.fromisoformat(e["desired_date"])),
        status=e["status"],
        status_text=STATUS_TEXT.get(e["status"], e["status"]),
        offer=when(e["offered_slot_start"], e["timezone"]) if e["offered_slot_start"] else "",
        expires=when(e["offer_expires_at"], e["timezone"]) if e["offer_expires_at"] else "",
        preparation=e["preparation"],
        appointment_id=e["appointment_id"] or 0,
    )


@private_state
class WaitlistState(rx.State):
    loaded: bool = False
    entries: list[EntryView] = []
    acknowledged: list[int] = []
    notice: str = ""
    notice_kind: str = "success"
    busy_id: int = 0

    async def _call(self, work: Work[T]) -> Outcome[T]:
        """How every handler reaches data (the booking page's refusal sentence)."""
        return await page_call(self, work, denied_text=NOT_YOURS)

    async def _fetch(self):  # type: ignore[no-untyped-def]
        def work(db: Session, p: Principal) -> tuple[list[booking_choices.WaitlistChoice], int]:
            return booking_choices.my_waitlist(session=db, principal=p), int(p.patient_id or 0)

        outcome = await self._call(work)
        if outcome.redirect is not None:
            self.reset()
            return outcome.redirect
        if not outcome.ok:
            self.notice, self.notice_kind = outcome.error, "error"
            return None
        assert outcome.value is not None
        found, patient_id = outcome.value
        self.entries, self.loaded = [_view(e) for e in found], True
        await live.watch(self, f"patient:{patient_id}")
        return None

    async def _on_live(self, event: Any) -> None:
        if await current_user(self) is None:
            self.reset()
            return
        await self._fetch()

    @rx.event
    async def load(self):
        self.reset()
        return await self._fetch()

    @rx.event
    def toggle_ack(self, entry_id: int, value: bool):
        ids = [i for i in self.acknowledged if i != int(entry_id)]
        self.acknowledged = [*ids, int(entry_id)] if value else ids

    def _entry(self, entry_id: int) -> EntryView | None:
        return next((e for e in self.entries if e["id"] == int(entry_id) and e["status"] == "offered"), None)

    @rx.event
    async def accept(self, entry_id: int):
        entry = self._entry(entry_id)
        if entry is None:
            self.notice, self.notice_kind = "That offer is no longer open.", "error"
            return None
        if entry["preparation"] and entry["id"] not in self.acknowledged:
            self.notice, self.notice_kind = (
                "Please confirm you have read the preparation instructions.",
                "error",
            )
            return None
        eid = entry["id"]
        self.busy_id = eid

        outcome = await self._call(
            lambda db, p: waitlist.accept(
                session=db, principal=p, entry_id=eid, preparation_acknowledged=True
            )
        )
        self.busy_id = 0
        if outcome.redirect is not None:
            self.reset()
            return outcome.redirect
        if not outcome.ok:
            self.notice, self.notice_kind = outcome.error, "error"
            return await self._fetch()
        assert outcome.value is not None
        return rx.redirect(f"/appointments/{int(outcome.value.id)}/confirmed/")

    @rx.event
    async def decline(self, entry_id: int):
        return await self._on_entry(
            entry_id,
            lambda db, p, eid: waitlist.decline(session=db, principal=p, entry_id=eid),
            missing="That offer is no longer open.",
            done="Offer declined. It goes to the next person.",
        )

    @rx.event
    async def leave(self, entry_id: int):
        return await self._on_entry(
            entry_id,
            lambda db, p, eid: waitlist.leave(session=db, principal=p, entry_id=eid),
            missing="That entry is no longer on your list.",
            done="You have left the waiting list for that day.",
        )

    async def _on_entry(self, entry_id: int, work, *, missing: str, done: str):  # type: ignore[no-untyped-def]
        """Run ``work`` on one of the caller's own entries (the service checks it again), then
        say how it went and reload the list."""
        entry = self._entry(entry_id)
        if entry is None:
            self.notice, self.notice_kind = missing, "error"
            return None
        eid = entry["id"]
        outcome = await self._call(lambda db, p: work(db, p, eid))
        if outcome.redirect is not None:
            self.reset()
            return outcome.redirect
        self.notice, self.notice_kind = (outcome.error, "error") if not outcome.ok else (done, "info")
        return await self._fetch()
