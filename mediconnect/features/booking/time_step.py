"""The booking page's day and time step: the day picker, the live slot grid, a full or closed
day (with the waiting list and the nearest free times), and the times suggested after a refusal."""

from __future__ import annotations

import reflex as rx

from mediconnect.features.booking.book_state import BookState
from mediconnect.features.booking.choice_steps import step
from mediconnect.features.kit.pickers import SlotView

S = BookState


def _slot_button(slot: SlotView) -> rx.Component:
    chosen = S.selected == slot["key"]
    return rx.button(
        slot["label"],
        on_click=S.choose_slot(slot["key"]),
        variant=rx.cond(chosen, "solid", "outline"),
        size="2",
        aria_pressed=chosen,
        data_testid="slot",
        data_key=slot["key"],
        width="100%",
    )


def _day_picker() -> rx.Component:
    return rx.hstack(
        rx.icon_button(
            rx.icon("chevron-left", size=18),
            on_click=S.shift_day(-1),
            variant="soft",
            aria_label="Previous day",
            disabled=S.day == S.days[0]["value"].to(str),
        ),
        # min_width 0 lets the long day label shrink instead of pushing the card sideways.
        rx.box(
            rx.select.root(
                rx.select.trigger(aria_label="Day", width="100%", overflow="hidden"),
                rx.select.content(rx.foreach(S.days, lambda d: rx.select.item(d["label"], value=d["value"]))),
                value=S.day,
                on_change=S.choose_day,
            ),
            flex="1",
            min_width="0",
        ),
        rx.icon_button(
            rx.icon("chevron-right", size=18),
            on_click=S.shift_day(1),
            variant="soft",
            aria_label="Next day",
        ),
        spacing="2",
        align="center",
        width="100%",
        data_testid="day-picker",
    )


def _full_day() -> rx.Component:
    return rx.callout(
        rx.vstack(
            rx.text(
                "No free times on ",
                S.day_label,
                ". Try another day, or join the waiting list: "
                "if a time frees up, the first person waiting is offered it.",
            ),
            rx.button(
                rx.icon("list-plus", size=16),
                "Join the waiting list for this day",
                on_click=S.join_waitlist,
                variant="soft",
                data_testid="join-waitlist",
            ),
            spacing="2",
            align="start",
        ),
        icon="calendar-x",
        color_scheme="amber",
        width="100%",
        data_testid="day-full",
    )


def _closed_day() -> rx.Component:
    return rx.callout(
        rx.text(
            "No bookings for this service on ",
            S.day_label,
            ": the clinic is closed, or the day's times have passed.",
        ),
        icon="calendar-off",
        color_scheme="gray",
        width="100%",
        data_testid="day-closed",
    )


def _time_choices(times: rx.Var, test_id: str) -> rx.Component:
    """The nearest free times as buttons; choosing one picks it (nothing when there are none)."""
    return rx.cond(
        times.length() > 0,
        rx.vstack(
            rx.text("The nearest free times:", size="2", weight="medium"),
            rx.flex(
                rx.foreach(
                    times,
                    lambda a: rx.button(
                        a["label"],
                        variant="outline",
                        on_click=S.choose_alternative(a["key"]),
                        data_testid=test_id,
                    ),
                ),
                wrap="wrap",
                spacing="2",
            ),
            spacing="2",
            width="100%",
        ),
    )


def _nearest() -> rx.Component:
    """Under a day with no free time."""
    return _time_choices(S.nearest, "nearest")


def time_step() -> rx.Component:
    return step(
        "3",
        "Choose a day and time",
        rx.cond(
            S.clinic_id == "",
            rx.text("Choose a clinic first.", size="2", color=rx.color("gray", 11)),
            rx.vstack(
                _day_picker(),
                rx.cond(
                    S.slot_notice,
                    rx.callout(
                        S.slot_notice,
                        icon="triangle-alert",
                        color_scheme="amber",
                        width="100%",
                        role="alert",
                        data_testid="slot-notice",
                    ),
                ),
                rx.cond(
                    S.waitlist_notice,
                    rx.callout(
                        S.waitlist_notice,
                        icon="circle-check",
                        color_scheme="teal",
                        width="100%",
                        data_testid="waitlist-notice",
                    ),
                ),
                rx.cond(
                    S.slots.length() > 0,
                    rx.grid(
                        rx.foreach(S.slots, _slot_button),
                        columns=rx.breakpoints(initial="4", sm="6", md="5", lg="6"),
                        spacing="2",
                        width="100%",
                        data_testid="slot-grid",
                    ),
                    rx.cond(
                        S.slots_loaded,
                        rx.vstack(rx.cond(S.day_open, _full_day(), _closed_day()), _nearest(), width="100%"),
                    ),
                ),
                rx.text(
                    "Times are shown in the clinic's local time and update live as others book.",
                    size="1",
                    color=rx.color("gray", 10),
                ),
                spacing="3",
                width="100%",
            ),
        ),
        test_id="step-time",
    )


def alternatives() -> rx.Component:
    """After a refused time (just taken), where Confirm was."""
    return _time_choices(S.alternatives, "alternative")
