"""/appointments/waitlist/: a patient's waiting-list entries and the offers made to them, with
Accept, Decline and Leave (state: ``waitlist_state.py``)."""

from __future__ import annotations

import reflex as rx

from mediconnect.features.booking.waitlist_state import EntryView, WaitlistState
from mediconnect.features.kit.layout import page_heading
from mediconnect.features.kit.notices import notice
from mediconnect.features.shell.template import page
from mediconnect.models.users import Role

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
