"""/manage/clinics/ and /manage/clinics/<id>/: what clinic managers keep right so that online
availability is right: hours and closures, rooms and equipment, maintenance, duty roster.
Admins manage every clinic, clinic staff their own. Times are the clinic's local time."""

from __future__ import annotations

import reflex as rx

from mediconnect.features.catalog.clinic_tabs import maintenance_tab, roster_tab
from mediconnect.features.catalog.clinics_state import ClinicSetupState, ManageClinicsState
from mediconnect.features.catalog.components import enum_options, section
from mediconnect.features.catalog.schedule_state import MaintenanceState, RosterState
from mediconnect.features.kit.fields import field_error, form_field, form_select
from mediconnect.features.kit.layout import busy_spinner, page_heading
from mediconnect.features.kit.notices import form_alert
from mediconnect.features.kit.tables import scroll_table
from mediconnect.features.shell.template import page
from mediconnect.models.clinics import EquipmentStatus, Modality, RoomType
from mediconnect.models.users import Role

MANAGERS = {Role.ADMIN, Role.CLINIC_STAFF}
C = ClinicSetupState
LIST = ManageClinicsState


# ------------------------------------------------------------------ /manage/clinics/


def _clinic_card(row: rx.Var) -> rx.Component:
    return rx.link(
        rx.card(
            rx.vstack(
                rx.text(row["name"], weight="bold", size="3"),
                rx.text(row["city"], " · ", row["timezone"], size="2", color=rx.color("gray", 11)),
                spacing="1",
            ),
            width="100%",
        ),
        href="/manage/clinics/" + row["id"].to_string() + "/",
        underline="none",
        data_testid="manage-clinic-link",
    )


@page(route="/manage/clinics/", title="Manage clinics", roles=MANAGERS, on_load=ManageClinicsState.load)
def manage_clinics() -> rx.Component:
    return rx.vstack(
        page_heading("Manage clinics", "Opening hours, rooms, equipment, maintenance and duty rosters."),
        rx.cond(
            LIST.loaded & (LIST.clinics.length() == 0),
            rx.callout("You are not assigned to a clinic yet.", icon="info", width="100%"),
        ),
        rx.grid(
            rx.foreach(LIST.clinics, _clinic_card),
            columns=rx.breakpoints(initial="1", sm="2", md="3"),
            spacing="3",
            width="100%",
        ),
        rx.cond(
            LIST.loaded,
            rx.fragment(),
            rx.center(rx.spinner(size="3"), min_height="20vh", width="100%"),
        ),
        spacing="4",
        width="100%",
        padding_y="1em",
    )


# ------------------------------------------------------------------ hours & closures


def _hours_row(row: rx.Var) -> rx.Component:
    n = row["weekday"].to_string()
    return rx.table.row(
        rx.table.row_header_cell(row["day"]),
        rx.table.cell(
            rx.input(
                type="time",
                name="opens_" + n,
                default_value=row["opens"],
                aria_label="Opens " + row["day"].to(str),
                width="8em",
            ),
            field_error(C.errors["opens_" + n].to(str), name="opens_" + n),
        ),
        rx.table.cell(
            rx.input(
                type="time",
                name="closes_" + n,
                default_value=row["closes"],
                aria_label="Closes " + row["day"].to(str),
                width="8em",
            ),
            rx.text(C.errors["closes_" + n].to(str), size="1", color=rx.color("red", 11)),
        ),
        rx.table.cell(
            rx.cond(
                row["opens"],
                rx.badge("Open", color_scheme="teal", variant="soft"),
                rx.badge("Closed", color_scheme="gray", variant="soft"),
            )
        ),
        align="center",
    )


def _closure_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(row["day"], white_space="nowrap"),
        rx.table.cell(row["reason"]),
        rx.table.cell(
            rx.button(
                "Remove", size="1", variant="soft", color_scheme="red", on_click=C.remove_closure(row["id"])
            )
        ),
        align="center",
    )


def hours_tab() -> rx.Component:
    return rx.vstack(
        section(
            "Opening hours",
            rx.text(
                "Leave both times empty for a day the clinic is closed.", size="2", color=rx.color("gray", 11)
            ),
            rx.form(
                rx.vstack(
                    scroll_table(
                        rx.table.header(
                            rx.table.row(
                                rx.table.column_header_cell("Day"),
                                rx.table.column_header_cell("Opens"),
                                rx.table.column_header_cell("Closes"),
                                rx.table.column_header_cell("Status"),
                            )
                        ),
                        rx.table.body(rx.foreach(C.hours, _hours_row)),
                        test_id="hours-table",
                        min_width="420px",
                    ),
                    rx.button("Save hours", type="submit", data_testid="save-hours"),
                    spacing="3",
                    width="100%",
                ),
                key="hours-" + C.form_version.to_string(),
                on_submit=C.save_hours,
                width="100%",
            ),
        ),
        section(
            "Closures",
            rx.form(
                rx.flex(
                    rx.box(form_field("Day", "closure_day", errors=C.errors, type_="date"), flex="1 1 10em"),
                    rx.box(
                        form_field(
                            "Reason", "reason", errors=C.errors, max_length=120, placeholder="Public holiday"
                        ),
                        flex="2 1 14em",
                    ),
                    rx.button("Add closure", type="submit", size="3", margin_top="1.6em"),
                    spacing="3",
                    wrap="wrap",
                    align="start",
                    width="100%",
                ),
                key="closure-" + C.form_version.to_string(),
                on_submit=C.add_closure,
                width="100%",
            ),
            scroll_table(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell("Day"),
                        rx.table.column_header_cell("Reason"),
                        rx.table.column_header_cell(""),
                    )
                ),
                rx.table.body(rx.foreach(C.closures, _closure_row)),
                test_id="closures-table",
                min_width="360px",
            ),
            rx.cond(
                C.closures.length() == 0,
                rx.text("No upcoming closures.", size="2", color=rx.color("gray", 11)),
            ),
        ),
        spacing="5",
        width="100%",
    )


# ------------------------------------------------------------------ rooms & equipment


def _room_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(row["name"]),
        rx.table.cell(row["room_type"].to(str).capitalize()),
        rx.table.cell(row["department"]),
        rx.table.cell(
            rx.cond(
                row["is_active"],
                rx.button(
                    "Take out of use",
                    size="1",
                    variant="soft",
                    color_scheme="red",
                    on_click=C.set_room_active(row["id"], False),
                ),
                rx.button(
                    "Bring back into use",
                    size="1",
                    variant="soft",
                    on_click=C.set_room_active(row["id"], True),
                ),
            )
        ),
        align="center",
    )


def _equipment_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.vstack(
                rx.text(row["name"], weight="medium", size="2"),
                rx.text(row["serial_number"], size="1", color=rx.color("gray", 11)),
                spacing="0",
            )
        ),
        rx.table.cell(row["modality"].to(str).upper()),
        rx.table.cell(row["room"]),
        rx.table.cell(row["interval_days"], " days"),
        rx.table.cell(
            rx.select.root(
                rx.select.trigger(aria_label="Status of " + row["name"].to(str)),
                rx.select.content(
                    *[rx.select.item(o["label"], value=o["value"]) for o in enum_options(EquipmentStatus)]
                ),
                value=row["status"],
                on_change=lambda value: C.set_equipment_status(row["id"], value),
                size="1",
            )
        ),
        align="center",
    )


def rooms_tab() -> rx.Component:
    return rx.vstack(
        section(
            "Rooms",
            rx.form(
                rx.flex(
                    rx.box(form_field("Room name", "name", errors=C.errors, max_length=60), flex="2 1 12em"),
                    rx.box(
                        form_select(
                            "Type", "room_type", enum_options(RoomType), errors=C.errors, default="imaging"
                        ),
                        flex="1 1 10em",
                    ),
                    rx.box(
                        form_select(
                            "Department",
                            "department_id",
                            C.departments,
                            errors=C.errors,
                            default="none",
                        ),
                        flex="1 1 10em",
                    ),
                    rx.button("Add room", type="submit", size="3", margin_top="1.6em"),
                    spacing="3",
                    wrap="wrap",
                    align="start",
                    width="100%",
                ),
                key="room-" + C.form_version.to_string(),
                on_submit=C.add_room,
                width="100%",
            ),
            scroll_table(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell("Room"),
                        rx.table.column_header_cell("Type"),
                        rx.table.column_header_cell("Department"),
                        rx.table.column_header_cell(""),
                    )
                ),
                rx.table.body(rx.foreach(C.rooms, _room_row)),
                test_id="rooms-table",
                min_width="480px",
            ),
        ),
        section(
            "Equipment",
            rx.form(
                rx.vstack(
                    rx.grid(
                        form_field("Name", "equipment_name", errors=C.errors, max_length=80),
                        form_select(
                            "Modality", "modality", enum_options(Modality), errors=C.errors, default="xray"
                        ),
                        form_select(
                            "Room",
                            "room_id",
                            C.room_choices,
                            errors=C.errors,
                            default="none",
                        ),
                        form_field("Serial number", "serial_number", errors=C.errors, max_length=80),
                        form_field(
                            "Service every (days)",
                            "interval_days",
                            errors=C.errors,
                            default_value="90",
                            input_mode="numeric",
                        ),
                        columns=rx.breakpoints(initial="1", xs="2", md="3"),
                        spacing="3",
                        width="100%",
                    ),
                    rx.button("Add equipment", type="submit"),
                    spacing="3",
                    width="100%",
                ),
                key="equipment-" + C.form_version.to_string(),
                on_submit=C.add_equipment,
                width="100%",
            ),
            scroll_table(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell("Equipment"),
                        rx.table.column_header_cell("Modality"),
                        rx.table.column_header_cell("Room"),
                        rx.table.column_header_cell("Service interval"),
                        rx.table.column_header_cell("Status"),
                    )
                ),
                rx.table.body(rx.foreach(C.equipment, _equipment_row)),
                test_id="equipment-table",
                min_width="560px",
            ),
        ),
        spacing="5",
        width="100%",
    )


# ------------------------------------------------------------------ the page


@page(
    route="/manage/clinics/[clinic_id]/",
    title="Clinic set-up",
    roles=MANAGERS,
    on_load=[ClinicSetupState.load, MaintenanceState.load, RosterState.load],
)
def manage_clinic() -> rx.Component:
    return rx.cond(
        C.loaded,
        rx.vstack(
            rx.link("← All clinics", href="/manage/clinics/", size="2"),
            page_heading(C.clinic_name, "Set-up of this clinic. Times are clinic time (" + C.timezone + ")."),
            form_alert(C.notice, kind="success", test_id="setup-notice"),
            form_alert(C.errors["form"].to(str), kind="error", test_id="setup-error"),
            rx.tabs.root(
                rx.tabs.list(
                    rx.tabs.trigger("Hours & closures", value="hours"),
                    rx.tabs.trigger("Rooms & equipment", value="rooms"),
                    rx.tabs.trigger("Maintenance", value="maintenance"),
                    rx.tabs.trigger("Duty roster", value="roster"),
                    style={"flexWrap": "wrap"},
                ),
                rx.tabs.content(hours_tab(), value="hours", padding_top="1em"),
                rx.tabs.content(rooms_tab(), value="rooms", padding_top="1em"),
                rx.tabs.content(maintenance_tab(), value="maintenance", padding_top="1em"),
                rx.tabs.content(roster_tab(), value="roster", padding_top="1em"),
                default_value="hours",
                width="100%",
            ),
            spacing="4",
            width="100%",
            padding_y="1em",
        ),
        busy_spinner(),
    )
