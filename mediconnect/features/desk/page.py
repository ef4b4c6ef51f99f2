"""/desk/: the front-desk day queue of one clinic, live on every desk."""

from __future__ import annotations

import reflex as rx

from mediconnect.features.appointments.common import status_badge
from mediconnect.features.desk.state import DeskState, QueueView
from mediconnect.features.kit.fields import choice
from mediconnect.features.kit.layout import busy_spinner, page_heading
from mediconnect.features.kit.notices import notice
from mediconnect.features.shell.template import page
from mediconnect.models.users import Role

S = DeskState
DESK_ROLES = {Role.CLINIC_STAFF, Role.ADMIN}
BUTTONS = {
    "check_in": ("Check in", "log-in", "teal", "solid"),
    "start": ("Start", "play", "violet", "solid"),
    "complete": ("Complete", "flag", "green", "solid"),
    "mark_no_show": ("No-show", "user-x", "red", "soft"),
    "cancel": ("Cancel", "x", "gray", "soft"),
}


def _button(action: rx.Var, row: QueueView) -> rx.Component:
    return rx.button(
        rx.match(action, *[(k, rx.icon(v[1], size=14)) for k, v in BUTTONS.items()], rx.fragment()),
        rx.match(action, *[(k, v[0]) for k, v in BUTTONS.items()], action),
        size="2",
        variant=rx.match(action, *[(k, v[3]) for k, v in BUTTONS.items()], "soft"),
        color_scheme=rx.match(action, *[(k, v[2]) for k, v in BUTTONS.items()], "gray"),
        loading=S.busy_id == row["id"],
        on_click=rx.cond(action == "cancel", S.ask_cancel(row["id"]), S.act(action, row["id"])),
        data_testid=f"desk-{action}",
    )


def _row(row: QueueView) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.vstack(
                rx.text(row["time"], size="5", weight="bold"),
                rx.text("until ", row["ends"], size="1", color=rx.color("gray", 11)),
                spacing="0",
                min_width="5em",
            ),
            rx.vstack(
                rx.link(
                    row["patient"],
                    href=f"/appointments/{row['id']}/",
                    size="3",
                    weight="bold",
                    data_testid="desk-patient",
                ),
                rx.text(
                    row["service"],
                    rx.cond(row["room"], " · " + row["room"], ""),
                    size="2",
                    color=rx.color("gray", 11),
                ),
                spacing="0",
                flex="1 1 14em",
                min_width="0",
            ),
            rx.vstack(
                status_badge(row["status"], row["status_label"]),
                rx.cond(
                    row["waiting"],
                    rx.text(
                        rx.icon("clock", size=12),
                        " ",
                        row["waiting"],
                        size="1",
                        color=rx.color("amber", 11),
                        data_testid="desk-waiting",
                    ),
                ),
                spacing="1",
                align="start",
                min_width="8em",
            ),
            rx.flex(
                rx.foreach(row["actions"], lambda a: _button(a, row)),
                spacing="2",
                wrap="wrap",
                justify="end",
                flex="1 1 16em",
            ),
            spacing="4",
            align="center",
            wrap="wrap",
            width="100%",
        ),
        width="100%",
        data_testid="desk-row",
        data_status=row["status"],
    )


def _toolbar() -> rx.Component:
    return rx.flex(
        rx.box(
            choice(
                id_="desk-clinic",
                value=S.clinic,
                on_change=S.set_clinic,
                options=S.clinic_options,
                label="Clinic",
            ),
            flex="2 1 14em",
        ),
        rx.hstack(
            rx.icon_button(
                rx.icon("chevron-left", size=18),
                variant="soft",
                on_click=S.shift_day(-1),
                aria_label="Previous day",
            ),
            rx.input(type="date", value=S.day, on_change=S.set_day, aria_label="Day", data_testid="desk-day"),
            rx.icon_button(
                rx.icon("chevron-right", size=18),
                variant="soft",
                on_click=S.shift_day(1),
                aria_label="Next day",
            ),
            rx.button("Today", variant="soft", on_click=S.go_today, disabled=S.day == S.today),
            spacing="2",
            align="center",
        ),
        spacing="3",
        wrap="wrap",
        align="center",
        width="100%",
    )


def _counts() -> rx.Component:
    return rx.hstack(
        rx.text(S.rows.length(), " appointments", size="2", weight="medium"),
        rx.foreach(
            S.counts, lambda c: rx.badge(c["count"], " ", c["label"], variant="outline", color_scheme="gray")
        ),
        wrap="wrap",
        spacing="2",
    )


def _cancel_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Cancel appointment"),
            rx.dialog.description(S.cancel_label, size="2"),
            rx.form(
                rx.vstack(
                    rx.text_area(
                        name="reason",
                        placeholder="Reason (required)",
                        max_length=300,
                        rows="3",
                        width="100%",
                        aria_label="Reason",
                        auto_focus=True,
                    ),
                    rx.cond(
                        S.cancel_error,
                        rx.text(S.cancel_error, color=rx.color("red", 11), size="2", role="alert"),
                    ),
                    rx.hstack(
                        rx.dialog.close(
                            rx.button("Keep it", variant="soft", color_scheme="gray", type="button")
                        ),
                        rx.button(
                            "Cancel appointment",
                            color_scheme="red",
                            type="submit",
                            data_testid="desk-cancel-confirm",
                        ),
                        justify="end",
                        width="100%",
                        spacing="2",
                    ),
                    spacing="3",
                    width="100%",
                ),
                on_submit=S.cancel,
                reset_on_submit=False,
            ),
            max_width="28em",
        ),
        open=S.cancel_open,
        on_open_change=S.set_cancel_open,
    )


@page(route="/desk/", title="Front desk", roles=DESK_ROLES, on_load=S.load)
def desk_page() -> rx.Component:
    return rx.vstack(
        page_heading(
            "Front desk", "The day's appointments. Updates live as patients arrive and others book."
        ),
        _toolbar(),
        notice(S.notice, S.notice_kind, test_id="desk-notice"),
        rx.cond(
            S.loaded,
            rx.vstack(
                rx.heading(S.day_label, as_="h2", size="4"),
                _counts(),
                rx.cond(
                    S.rows.length() > 0,
                    rx.vstack(rx.foreach(S.rows, _row), spacing="2", width="100%", data_testid="desk-queue"),
                    rx.callout(
                        "No appointments on this day.", icon="calendar", color_scheme="gray", width="100%"
                    ),
                ),
                spacing="3",
                width="100%",
            ),
            busy_spinner(),
        ),
        _cancel_dialog(),
        spacing="4",
        width="100%",
    )
