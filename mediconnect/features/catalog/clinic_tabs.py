"""The "Maintenance" and "Duty roster" tabs of /manage/clinics/<id>/."""

from __future__ import annotations

import reflex as rx

from mediconnect.features.catalog.components import section
from mediconnect.features.catalog.schedule_state import DUTY_ROLES, MaintenanceState, RosterState
from mediconnect.features.kit.fields import field_error, form_check, form_field, form_select
from mediconnect.features.kit.notices import form_alert
from mediconnect.features.kit.tables import scroll_table

M = MaintenanceState
R = RosterState


def _status_badge(status: rx.Var) -> rx.Component:
    return rx.match(
        status,
        ("scheduled", rx.badge("Scheduled", color_scheme="blue", variant="soft")),
        ("in_progress", rx.badge("In progress", color_scheme="amber", variant="soft")),
        ("completed", rx.badge("Completed", color_scheme="teal", variant="soft")),
        rx.badge("Cancelled", color_scheme="gray", variant="soft"),
    )


def _window_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.text(row["title"], weight="medium", size="2")),
        rx.table.cell(row["target"]),
        rx.table.cell(rx.text(row["starts"], " → ", row["ends"], size="2"), min_width="12em"),
        rx.table.cell(_status_badge(row["status"])),
        rx.table.cell(
            rx.cond(
                row["status"] == "scheduled",
                rx.button(
                    "Cancel", size="1", variant="soft", color_scheme="red", on_click=M.cancel(row["id"])
                ),
            )
        ),
        align="center",
        data_testid="maintenance-row",
    )


def maintenance_tab() -> rx.Component:
    e = M.errors
    return section(
        "Maintenance windows",
        rx.text(
            "Bookings are not offered on what is down. A window over booked appointments needs confirming.",
            size="2",
            color=rx.color("gray", 11),
        ),
        form_alert(M.notice, kind="success", test_id="maintenance-notice"),
        form_alert(e["form"].to(str), kind="error", test_id="maintenance-error"),
        rx.form(
            rx.vstack(
                rx.grid(
                    form_field("Title", "title", errors=e, max_length=120, placeholder="Annual service"),
                    form_select("What is down", "target", M.targets, errors=e, default="clinic"),
                    form_field("Starts (day)", "starts_day", errors=e, type_="date"),
                    form_field("Starts (time)", "starts_time", errors=e, type_="time"),
                    form_field("Ends (day)", "ends_day", errors=e, type_="date"),
                    form_field("Ends (time)", "ends_time", errors=e, type_="time"),
                    columns=rx.breakpoints(initial="1", xs="2"),
                    spacing="3",
                    width="100%",
                ),
                form_field("Impact (optional)", "impact", errors=e, max_length=200),
                rx.cond(
                    M.affected_count > 0,
                    rx.callout(
                        rx.vstack(
                            rx.text(e["force"].to(str)),
                            form_check("Schedule anyway", "force"),
                            spacing="2",
                        ),
                        icon="triangle-alert",
                        color_scheme="amber",
                        width="100%",
                        data_testid="maintenance-conflict",
                    ),
                ),
                rx.button("Schedule maintenance", type="submit", data_testid="add-maintenance"),
                spacing="3",
                width="100%",
            ),
            key="maintenance-" + M.form_version.to_string(),
            on_submit=M.add,
            width="100%",
        ),
        scroll_table(
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell("Title"),
                    rx.table.column_header_cell("What"),
                    rx.table.column_header_cell("When (clinic time)"),
                    rx.table.column_header_cell("Status"),
                    rx.table.column_header_cell(""),
                )
            ),
            rx.table.body(rx.foreach(M.windows, _window_row)),
            test_id="maintenance-table",
            min_width="600px",
        ),
        rx.cond(
            M.windows.length() == 0, rx.text("No maintenance planned.", size="2", color=rx.color("gray", 11))
        ),
    )


def _shift(row: rx.Var) -> rx.Component:
    return rx.flex(
        rx.text(row["starts"], " - ", row["ends"], weight="medium", size="2", white_space="nowrap"),
        rx.text(row["person"], size="2"),
        rx.badge(row["duty_role"], variant="surface"),
        rx.cond(row["where"], rx.text(row["where"], size="1", color=rx.color("gray", 11))),
        rx.spacer(),
        rx.button(
            "Cancel",
            size="1",
            variant="ghost",
            color_scheme="red",
            on_click=R.cancel(row["id"]),
            aria_label="Cancel shift " + row["starts"].to(str) + " " + row["person"].to(str),
        ),
        spacing="2",
        align="center",
        wrap="wrap",
        width="100%",
        padding_y="0.25em",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        data_testid="shift-row",
    )


def _day(day: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(day["label"], weight="bold", size="2"),
            rx.foreach(day["shifts"], _shift),
            rx.cond(
                day["shifts"].length() == 0, rx.text("Nobody rostered.", size="2", color=rx.color("gray", 10))
            ),
            spacing="1",
            width="100%",
        ),
        width="100%",
        data_testid="roster-day",
    )


def roster_tab() -> rx.Component:
    e = R.errors
    days = rx.foreach(R.days, lambda d: rx.select.item(d["label"], value=d["day"]))
    return section(
        "Duty roster",
        rx.flex(
            rx.button(
                rx.icon("chevron-left", size=16),
                "Previous week",
                variant="soft",
                color_scheme="gray",
                on_click=R.prev_week,
            ),
            rx.button("This week", variant="soft", color_scheme="gray", on_click=R.this_week),
            rx.button(
                "Next week",
                rx.icon("chevron-right", size=16),
                variant="soft",
                color_scheme="gray",
                on_click=R.next_week,
            ),
            rx.text(
                "Week of ", R.week_start, size="2", color=rx.color("gray", 11), data_testid="roster-week"
            ),
            spacing="2",
            wrap="wrap",
            align="center",
        ),
        form_alert(R.notice, kind="success", test_id="roster-notice"),
        form_alert(e["form"].to(str), kind="error", test_id="roster-error"),
        rx.form(
            rx.vstack(
                rx.grid(
                    form_select("Person", "user_id", R.people, errors=e),
                    form_select("Duty", "duty_role", DUTY_ROLES, errors=e),
                    rx.vstack(
                        rx.el.label(
                            "Day",
                            html_for="day",
                            style={"fontWeight": "500", "fontSize": "var(--font-size-2)"},
                        ),
                        rx.select.root(
                            rx.select.trigger(placeholder="Choose a day", id="day", width="100%"),
                            rx.select.content(days),
                            name="day",
                            size="3",
                        ),
                        field_error(e["day"].to(str), name="day"),
                        spacing="1",
                        width="100%",
                    ),
                    form_select(
                        "Room",
                        "room_id",
                        R.room_choices,
                        errors=e,
                        default="none",
                    ),
                    form_field("Starts", "starts", errors=e, type_="time"),
                    form_field(
                        "Ends", "ends", errors=e, type_="time", hint="Earlier than the start: ends next day."
                    ),
                    columns=rx.breakpoints(initial="1", xs="2", md="3"),
                    spacing="3",
                    width="100%",
                ),
                rx.button("Add shift", type="submit", data_testid="add-shift"),
                spacing="3",
                width="100%",
            ),
            key="shift-" + R.form_version.to_string(),
            on_submit=R.add,
            width="100%",
        ),
        rx.grid(
            rx.foreach(R.days, _day), columns=rx.breakpoints(initial="1", md="2"), spacing="3", width="100%"
        ),
    )
