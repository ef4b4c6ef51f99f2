"""/appointments/list/: every role's appointments, scoped by the service, with filters and paging."""

from __future__ import annotations

import reflex as rx

from mediconnect.features.appointments.common import READERS, status_badge
from mediconnect.features.appointments.list_state import STATUS_OPTIONS, AppointmentListState, Row
from mediconnect.features.kit.fields import filter_bar, filter_select
from mediconnect.features.kit.layout import page_heading
from mediconnect.features.kit.tables import pager, scroll_table
from mediconnect.features.shell.template import page

S = AppointmentListState


def _filters() -> rx.Component:
    dates = rx.form(
        rx.flex(
            rx.vstack(
                rx.text("From", size="1", weight="medium"),
                rx.input(
                    type="date",
                    name="date_from",
                    default_value=S.date_from,
                    aria_label="From date",
                    width="100%",
                ),
                spacing="1",
                flex="1 1 9em",
            ),
            rx.vstack(
                rx.text("To", size="1", weight="medium"),
                rx.input(
                    type="date", name="date_to", default_value=S.date_to, aria_label="To date", width="100%"
                ),
                spacing="1",
                flex="1 1 9em",
            ),
            rx.cond(
                S.is_staff,
                rx.vstack(
                    rx.text("Patient", size="1", weight="medium"),
                    rx.input(
                        name="patient_text",
                        placeholder="Name or ID number",
                        aria_label="Patient",
                        max_length=80,
                    ),
                    spacing="1",
                    flex="2 1 12em",
                ),
            ),
            rx.hstack(
                rx.button("Apply", type="submit"),
                rx.button("Clear", type="button", variant="soft", color_scheme="gray", on_click=S.clear),
                spacing="2",
                align="end",
            ),
            spacing="2",
            wrap="wrap",
            align="end",
            width="100%",
        ),
        on_submit=S.apply,
        reset_on_submit=False,
        key=S.form_version.to_string(),
        width="100%",
    )
    selects = filter_bar(
        filter_select(
            id_="status-filter",
            value=S.status,
            on_change=S.set_status,
            options=STATUS_OPTIONS,
            label="Status",
        ),
        filter_select(
            id_="clinic-filter",
            value=S.clinic,
            on_change=S.set_clinic,
            options=S.clinic_options,
            label="Clinic",
            flex="1 1 12em",
        ),
        rx.cond(
            S.doctor_options.length() > 1,
            filter_select(
                id_="doctor-filter",
                value=S.doctor,
                on_change=S.set_doctor,
                options=S.doctor_options,
                label="Doctor",
                flex="1 1 12em",
            ),
        ),
        spacing="2",
    )
    return rx.card(rx.vstack(dates, selects, spacing="3", width="100%"), width="100%")


def _row(row: Row) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.link(row["when"], href=f"/appointments/{row['id']}/", weight="medium")),
        rx.table.cell(row["service"]),
        rx.table.cell(row["clinic"]),
        rx.cond(S.is_staff, rx.table.cell(row["patient"])),
        rx.table.cell(status_badge(row["status"], row["status_label"])),
        data_testid="appointment-row",
    )


@page(route="/appointments/list/", title="Appointments", roles=READERS, on_load=S.load)
def appointments_list() -> rx.Component:
    return rx.vstack(
        page_heading(
            "Appointments",
            "From today on, in date order (clear the dates to see past ones). Open one for details.",
            rx.link(rx.button(rx.icon("calendar-plus", size=16), "Book a scan"), href="/appointments/book/"),
        ),
        _filters(),
        rx.cond(
            S.error,
            rx.callout(
                S.error, icon="triangle-alert", color_scheme="red", width="100%", data_testid="list-error"
            ),
        ),
        rx.cond(
            S.rows.length() > 0,
            scroll_table(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell("When"),
                        rx.table.column_header_cell("Service"),
                        rx.table.column_header_cell("Clinic"),
                        rx.cond(S.is_staff, rx.table.column_header_cell("Patient")),
                        rx.table.column_header_cell("Status"),
                    )
                ),
                rx.table.body(rx.foreach(S.rows, _row)),
                test_id="appointments-table",
                min_width="40em",
            ),
            rx.cond(
                S.loaded,
                rx.callout(
                    "No appointments match these filters.",
                    icon="calendar",
                    color_scheme="gray",
                    width="100%",
                    data_testid="list-empty",
                ),
            ),
        ),
        pager(
            page=S.page,
            pages=S.pages,
            total=S.total,
            noun=("appointment", "appointments"),
            on_prev=S.prev_page,
            on_next=S.next_page,
        ),
        spacing="4",
        width="100%",
    )
