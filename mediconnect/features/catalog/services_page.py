"""/manage/services/: the service catalogue (scan types), for admins: search, add, edit,
deactivate. What is set here is what patients book and what availability and quotes use."""

from __future__ import annotations

import reflex as rx

from mediconnect.features.catalog.components import DIALOG_WIDTH, buttons, cancel_button, enum_options, grid
from mediconnect.features.catalog.services_state import ManageServicesState
from mediconnect.features.kit.fields import (
    filter_bar,
    filter_switch,
    form_check,
    form_field,
    form_select,
    search_box,
)
from mediconnect.features.kit.layout import busy_spinner, page_heading
from mediconnect.features.kit.notices import form_alert
from mediconnect.features.kit.tables import pager, scroll_table
from mediconnect.features.shell.template import page
from mediconnect.models.catalog import ServiceCategory
from mediconnect.models.clinics import Modality, RoomType
from mediconnect.models.users import Role

S = ManageServicesState
WIDE_ONLY = rx.breakpoints(initial="none", md="table-cell")


def _filters() -> rx.Component:
    return filter_bar(
        search_box(
            name="search",
            id_="service-search",
            value=S.search_text,
            placeholder="Name, code or department",
            label="Search services",
            on_submit=S.search,
            key=S.search_text,
            max_length=80,
            size="2",
        ),
        filter_switch(
            "Show deactivated", id_="show-inactive", checked=S.show_inactive, on_change=S.set_show_inactive
        ),
    )


def _flags(row: rx.Var) -> rx.Component:
    return rx.flex(
        rx.cond(row["referral_required"], rx.badge("Referral", color_scheme="amber", variant="soft")),
        rx.cond(row["requires_equipment"], rx.badge("Equipment", color_scheme="blue", variant="soft")),
        rx.cond(row["fasting_hours"].to(int) > 0, rx.badge("Fasting", color_scheme="purple", variant="soft")),
        spacing="1",
        wrap="wrap",
    )


def _row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.vstack(
                rx.text(row["name"], weight="medium", size="2"),
                rx.text(
                    row["code"],
                    " · ",
                    row["modality"].to(str).upper(),
                    " · ",
                    row["department_name"],
                    size="1",
                    color=rx.color("gray", 11),
                ),
                spacing="0",
            ),
            min_width="12em",
        ),
        rx.table.cell(
            rx.text(row["modality"].to(str).upper(), size="2"), white_space="nowrap", display=WIDE_ONLY
        ),
        rx.table.cell(rx.text(row["duration_minutes"], " min", size="2"), white_space="nowrap"),
        rx.table.cell(rx.text("R ", row["price"], size="2"), white_space="nowrap", text_align="right"),
        rx.table.cell(_flags(row), display=WIDE_ONLY),
        rx.table.cell(
            rx.cond(
                row["is_active"],
                rx.badge("Active", color_scheme="teal", variant="soft"),
                rx.badge("Deactivated", color_scheme="red", variant="soft"),
            )
        ),
        rx.table.cell(
            rx.hstack(
                rx.button(
                    "Edit",
                    size="1",
                    variant="soft",
                    on_click=S.open_edit(row["id"]),
                    aria_label="Edit " + row["name"].to(str),
                ),
                rx.cond(
                    row["is_active"],
                    rx.button(
                        "Deactivate",
                        size="1",
                        variant="soft",
                        color_scheme="red",
                        on_click=S.set_active(row["id"], False),
                        aria_label="Deactivate " + row["name"].to(str),
                    ),
                    rx.button(
                        "Reactivate",
                        size="1",
                        variant="soft",
                        color_scheme="teal",
                        on_click=S.set_active(row["id"], True),
                        aria_label="Reactivate " + row["name"].to(str),
                    ),
                ),
                spacing="1",
            )
        ),
        align="center",
        data_testid="service-row",
    )


def _table() -> rx.Component:
    return scroll_table(
        rx.table.header(
            rx.table.row(
                rx.table.column_header_cell("Service"),
                rx.table.column_header_cell("Modality", display=WIDE_ONLY),
                rx.table.column_header_cell("Duration"),
                rx.table.column_header_cell("Price", text_align="right"),
                rx.table.column_header_cell("Needs", display=WIDE_ONLY),
                rx.table.column_header_cell("Status"),
                rx.table.column_header_cell("Actions"),
            )
        ),
        rx.table.body(rx.foreach(S.rows, _row)),
        test_id="services-table",
        min_width="560px",
    )


def _dialog() -> rx.Component:
    v, e = S.edit_values, S.edit_errors
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.cond(S.edit_id, "Edit service", "New service")),
            rx.dialog.description(
                "Price and duration apply to new bookings; existing bookings keep theirs.",
                size="2",
                color=rx.color("gray", 11),
                margin_bottom="0.75em",
            ),
            rx.form(
                rx.vstack(
                    form_alert(e["form"].to(str), kind="error", test_id="service-form-error"),
                    grid(
                        form_field(
                            "Code", "code", errors=e, default_value=v["code"], max_length=20, required=True
                        ),
                        form_field(
                            "Name", "name", errors=e, default_value=v["name"], max_length=120, required=True
                        ),
                        form_select(
                            "Category",
                            "category",
                            enum_options(ServiceCategory),
                            errors=e,
                            default=v["category"],
                        ),
                        form_select(
                            "Modality", "modality", enum_options(Modality), errors=e, default=v["modality"]
                        ),
                        form_field(
                            "Department",
                            "department_name",
                            errors=e,
                            default_value=v["department_name"],
                            max_length=80,
                        ),
                        form_select(
                            "Room type", "room_type", enum_options(RoomType), errors=e, default=v["room_type"]
                        ),
                        form_field(
                            "Duration (minutes)",
                            "duration_minutes",
                            errors=e,
                            default_value=v["duration_minutes"],
                            input_mode="numeric",
                        ),
                        form_field(
                            "Fasting (hours)",
                            "fasting_hours",
                            errors=e,
                            default_value=v["fasting_hours"],
                            input_mode="numeric",
                        ),
                        form_field(
                            "Price (R)", "price", errors=e, default_value=v["price"], input_mode="decimal"
                        ),
                        form_field(
                            "Direct cost (R)", "cost", errors=e, default_value=v["cost"], input_mode="decimal"
                        ),
                    ),
                    form_field(
                        "Preparation note",
                        "preparation",
                        errors=e,
                        default_value=v["preparation"],
                        max_length=1000,
                    ),
                    rx.vstack(
                        rx.el.label(
                            "Preparation checklist (one item per line)",
                            html_for="preparation_items",
                            style={"fontWeight": "500", "fontSize": "var(--font-size-2)"},
                        ),
                        rx.text_area(
                            name="preparation_items",
                            id="preparation_items",
                            default_value=v["preparation_items"],
                            rows="3",
                            width="100%",
                        ),
                        spacing="1",
                        width="100%",
                    ),
                    rx.flex(
                        form_check(
                            "Needs equipment of its modality",
                            "requires_equipment",
                            default=v["requires_equipment"],
                        ),
                        form_check("Referral required", "referral_required", default=v["referral_required"]),
                        spacing="4",
                        wrap="wrap",
                    ),
                    buttons(
                        cancel_button(),
                        rx.button(
                            "Save service",
                            type="submit",
                            size="3",
                            loading=S.busy,
                            data_testid="save-service",
                        ),
                    ),
                    spacing="3",
                    width="100%",
                ),
                key=S.form_version.to_string(),
                on_submit=S.save,
            ),
            max_width=DIALOG_WIDTH,
        ),
        open=S.edit_open,
        on_open_change=S.set_edit_open,
    )


@page(route="/manage/services/", title="Services", roles={Role.ADMIN}, on_load=ManageServicesState.load)
def manage_services() -> rx.Component:
    return rx.cond(
        S.loaded,
        rx.vstack(
            page_heading(
                "Services",
                "Scan types every clinic offers: duration, price, preparation and what each needs.",
                rx.button(rx.icon("plus", size=16), "New service", size="3", on_click=S.open_new),
            ),
            form_alert(S.notice, kind="success", test_id="services-notice"),
            form_alert(S.list_error, kind="error", test_id="services-error"),
            _filters(),
            _table(),
            rx.cond(
                S.total == 0,
                rx.callout("No service matches.", icon="search-x", color_scheme="gray", width="100%"),
            ),
            pager(
                page=S.page,
                pages=S.pages,
                total=S.total,
                noun=("service", "services"),
                on_prev=S.prev_page,
                on_next=S.next_page,
            ),
            _dialog(),
            spacing="4",
            width="100%",
            padding_y="1em",
        ),
        busy_spinner(),
    )
