"""/appointments/waitlist/: a patient's waiting-list entries and the offers made to them.

When a booked time frees up, ``waitlist.offer_next`` offers it to the first patient waiting;
this page (watching ``patient:<id>``) shows the offer at once, with Accept and Decline.
"""

from __future__ import annotations

from typing import Any, TypedDict

import reflex as rx
from sqlmodel import Session

from mediconnect.core.permissions import Principal
from mediconnect.features import live
from mediconnect.features.admin.common import page_heading
from mediconnect.features.appointments.common import Outcome, long_day, notice, user_call, when
from mediconnect.features.shell.state import current_user, private_state
from mediconnect.features.shell.template import page
from mediconnect.models.users import Role
from mediconnect.services import booking_choices

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
    from datetime import date

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

    async def _fetch(self):  # type: ignore[no-untyped-def]
        def work(db: Session, p: Principal) -> tuple[list[booking_choices.WaitlistChoice], int]:
            return booking_choices.my_waitlist(session=db, principal=p), int(p.patient_id or 0)

        outcome: Outcome[Any] = await user_call(self, work)
        if outcome.redirect is not None:
            self.reset()
            return outcome.redirect
        if not outcome.ok:
            self.notice, self.notice_kind = outcome.error, "error"
            return None
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

        def work(db: Session, p: Principal) -> Any:
            from mediconnect.services import waitlist

            return waitlist.accept(session=db, principal=p, entry_id=eid, preparation_acknowledged=True)

        outcome: Outcome[Any] = await user_call(self, work)
        self.busy_id = 0
        if outcome.redirect is not None:
            self.reset()
            return outcome.redirect
        if not outcome.ok:
            self.notice, self.notice_kind = outcome.error, "error"
            return await self._fetch()
        return rx.redirect(f"/appointments/{int(outcome.value.id)}/confirmed/")

    @rx.event
    async def decline(self, entry_id: int):
        entry = self._entry(entry_id)
        if entry is None:
            self.notice, self.notice_kind = "That offer is no longer open.", "error"
            return None
        eid = entry["id"]

        def work(db: Session, p: Principal) -> Any:
            from mediconnect.services import waitlist

            return waitlist.decline(session=db, principal=p, entry_id=eid)

        outcome: Outcome[Any] = await user_call(self, work)
        if outcome.redirect is not None:
            self.reset()
            return outcome.redirect
        self.notice, self.notice_kind = (
            (outcome.error, "error")
            if not outcome.ok
            else ("Offer declined. It goes to the next person.", "info")
        )
        return await self._fetch()

    @rx.event
    async def leave(self, entry_id: int):
        entry = self._entry(entry_id)
        if entry is None:
            self.notice, self.notice_kind = "That entry is no longer on your list.", "error"
            return None
        eid = entry["id"]

        def work(db: Session, p: Principal) -> Any:
            from mediconnect.services import waitlist

            return waitlist.leave(session=db, principal=p, entry_id=eid)

        outcome: Outcome[Any] = await user_call(self, work)
        if outcome.redirect is not None:
            self.reset()
            return outcome.redirect
        self.notice, self.notice_kind = (
            (outcome.error, "error")
            if not outcome.ok
            else ("You have left the waiting list for that day.", "info")
        )
        return await self._fetch()


S = WaitlistState


def _entry(e: EntryView) -> rx.Component:
    offered = e["status"] == "offered"
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.vstack(
                    rx.text(e["service"], weight="bold", size="3"),
                    rx.text(e["clinic"], " · ", e["day"], size="2", color=rx.color("gray", 11)),
                    spacing="0",
                    flex="1 1 16em",
                ),
                rx.badge(e["status_text"], color_scheme=rx.cond(offered, "teal", "gray"), size="2"),
                wrap="wrap",
                spacing="2",
                width="100%",
                justify="between",
            ),
            rx.cond(
                offered,
                rx.vstack(
                    rx.text("Offered: ", rx.el.strong(e["offer"]), size="3"),
                    rx.cond(
                        e["expires"],
                        rx.text("Reply by ", e["expires"], size="2", color=rx.color("amber", 11)),
                    ),
                    rx.cond(
                        e["preparation"],
                        rx.el.label(
                            rx.hstack(
                                rx.checkbox(
                                    checked=S.acknowledged.contains(e["id"]),
                                    on_change=lambda v: S.toggle_ack(e["id"], v),
                                ),
                                rx.text("I have read the preparation: ", e["preparation"], size="2"),
                                spacing="2",
                                align="start",
                            )
                        ),
                    ),
                    rx.hstack(
                        rx.button(
                            "Accept",
                            on_click=S.accept(e["id"]),
                            loading=S.busy_id == e["id"],
                            data_testid="waitlist-accept",
                        ),
                        rx.button(
                            "Decline",
                            variant="soft",
                            color_scheme="gray",
                            on_click=S.decline(e["id"]),
                            data_testid="waitlist-decline",
                        ),
                        spacing="2",
                    ),
                    spacing="2",
                    width="100%",
                ),
            ),
            rx.cond(
                (e["status"] == "waiting") | offered,
                rx.button(
                    "Leave the waiting list",
                    variant="ghost",
                    color_scheme="gray",
                    size="1",
                    on_click=S.leave(e["id"]),
                    data_testid="waitlist-leave",
                ),
            ),
            rx.cond(
                e["appointment_id"] > 0,
                rx.link(
                    "See the appointment",
                    href="/appointments/" + e["appointment_id"].to_string() + "/",
                    size="2",
                ),
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        data_testid="waitlist-entry",
    )


@page(route="/appointments/waitlist/", title="My waiting list", roles={Role.PATIENT}, on_load=S.load)
def waitlist_page() -> rx.Component:
    return rx.vstack(
        page_heading(
            "My waiting list",
            "Days you are waiting for. When a time frees up, the first person waiting is offered it here.",
            rx.link(rx.button("Book a scan", variant="soft"), href="/appointments/book/"),
        ),
        notice(S.notice, S.notice_kind, test_id="waitlist-notice"),
        rx.cond(
            S.entries.length() > 0,
            rx.vstack(rx.foreach(S.entries, _entry), spacing="3", width="100%"),
            rx.cond(
                S.loaded,
                rx.callout(
                    "You are not waiting for any day. If a day you want is full, join its waiting list "
                    "from the booking page.",
                    icon="list",
                    color_scheme="gray",
                    width="100%",
                ),
            ),
        ),
        spacing="4",
        width="100%",
    )
