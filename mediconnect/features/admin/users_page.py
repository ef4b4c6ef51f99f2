"""/admin/users/: find users, create staff accounts, change roles and affiliations, and
deactivate or reactivate accounts. Admins only, on the page and in every handler."""

from __future__ import annotations

import reflex as rx

from mediconnect.features.admin.affiliations_dialog import affiliations_dialog
from mediconnect.features.admin.affiliations_state import AffiliationsState
from mediconnect.features.admin.create_state import CreateStaffState
from mediconnect.features.admin.users_dialogs import confirm_dialog, create_dialog, role_dialog
from mediconnect.features.admin.users_state import (
    ROLE_OPTIONS,
    STAFF_ROLE_VALUES,
    STATUS_OPTIONS,
    AdminUsersState,
)
from mediconnect.features.kit.fields import filter_bar, filter_select, search_box
from mediconnect.features.kit.layout import busy_spinner, page_heading
from mediconnect.features.kit.notices import form_alert
from mediconnect.features.kit.tables import pager, scroll_table
from mediconnect.features.shell.template import page
from mediconnect.models.users import Role

S = AdminUsersState
# The sign-in column shows from 1024px up; below, the date sits under the user's email.
WIDE_ONLY = rx.breakpoints(initial="none", md="table-cell")
NARROW_ONLY = rx.breakpoints(initial="block", md="none")
VISUALLY_HIDDEN = {
    "position": "absolute",
    "width": "1px",
    "height": "1px",
    "overflow": "hidden",
    "clip": "rect(0 0 0 0)",
    "whiteSpace": "nowrap",
}


def _filters() -> rx.Component:
    return filter_bar(
        search_box(
            name="text",
            id_="user-search",
            value=S.text,
            placeholder="Name, email or user id",
            label="Search users",
            on_submit=S.search,
            key=S.search_version.to_string(),
        ),
        filter_select(
            id_="role-filter",
            value=S.role_filter,
            on_change=S.set_role_filter,
            options=ROLE_OPTIONS,
            label="Role",
        ),
        filter_select(
            id_="status-filter",
            value=S.status_filter,
            on_change=S.set_status_filter,
            options=STATUS_OPTIONS,
            label="Status",
        ),
        filter_select(
            id_="clinic-filter",
            value=S.clinic_filter,
            on_change=S.set_clinic_filter,
            options=S.clinic_options,
            label="Clinic",
            flex="1 1 12em",
        ),
        spacing="2",
    )


def _sort_header(label: str, column: str, **props) -> rx.Component:  # type: ignore[no-untyped-def]
    arrow = rx.cond(
        S.sort == column,
        rx.icon(rx.cond(S.descending, "arrow-down", "arrow-up"), size=14),
        rx.icon("arrow-up-down", size=14, color=rx.color("gray", 8)),
    )
    return rx.table.column_header_cell(
        rx.button(
            label,
            arrow,
            variant="ghost",
            color_scheme="gray",
            high_contrast=True,
            size="2",
            on_click=S.sort_by(column),
            style={"fontWeight": "bold", "marginInline": "calc(-1 * var(--space-2))"},
            aria_label=f"Sort by {label.lower()}",
        ),
        white_space="nowrap",
        **props,
    )


def _status(active: rx.Var) -> rx.Component:
    return rx.cond(
        active,
        rx.badge("Active", color_scheme="teal", variant="soft"),
        rx.badge("Inactive", color_scheme="red", variant="soft"),
    )


def _actions(row: rx.Var) -> rx.Component:
    return rx.menu.root(
        rx.menu.trigger(
            rx.button(
                "Actions",
                rx.icon("chevron-down", size=14),
                variant="soft",
                color_scheme="gray",
                size="1",
                aria_label="Actions for " + row["name"].to(str),
            )
        ),
        rx.menu.content(
            rx.cond(
                rx.Var.create(STAFF_ROLE_VALUES).contains(row["role"]),
                rx.menu.item("Change role", on_select=S.open_role(row["id"])),
            ),
            rx.menu.item("Clinics and assignments", on_select=AffiliationsState.open_for(row["id"])),
            rx.menu.separator(),
            rx.cond(
                row["is_active"],
                rx.menu.item("Deactivate", color="red", on_select=S.ask("deactivate", row["id"])),
                rx.menu.item("Reactivate", on_select=S.ask("reactivate", row["id"])),
            ),
            align="end",
        ),
    )


def _row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.vstack(
                rx.text(row["name"], weight="medium", size="2"),
                rx.text(
                    row["email"], size="1", color=rx.color("gray", 11), style={"overflowWrap": "anywhere"}
                ),
                # Narrow screens have no sign-in column: the date goes under the email.
                rx.cond(
                    row["last_login"],
                    rx.text(
                        "Last sign-in ",
                        row["last_login"],
                        size="1",
                        color=rx.color("gray", 10),
                        display=NARROW_ONLY,
                    ),
                ),
                spacing="0",
            ),
            min_width="16em",
            max_width="20em",
        ),
        rx.table.cell(rx.badge(row["role_label"], variant="surface", radius="full"), white_space="nowrap"),
        rx.table.cell(rx.text(row["clinics"], size="2"), max_width="11em"),
        rx.table.cell(_status(row["is_active"])),
        rx.table.cell(
            rx.text(row["last_login"], size="1", color=rx.color("gray", 11)),
            max_width="7.5em",
            display=WIDE_ONLY,
        ),
        rx.table.cell(_actions(row)),
        align="center",
        data_testid="user-row",
    )


def _table() -> rx.Component:
    return scroll_table(
        rx.table.header(
            rx.table.row(
                _sort_header("User", "name"),
                _sort_header("Role", "role"),
                rx.table.column_header_cell("Clinics"),
                rx.table.column_header_cell("Status"),
                _sort_header("Last sign-in", "last_login", display=WIDE_ONLY),
                rx.table.column_header_cell(rx.el.span("Actions", style=VISUALLY_HIDDEN)),
            )
        ),
        rx.table.body(rx.foreach(S.rows, _row)),
        test_id="users-table",
        min_width="600px",
    )


def _empty() -> rx.Component:
    return rx.cond(
        S.total == 0,
        rx.callout("No user matches these filters.", icon="search-x", color_scheme="gray", width="100%"),
    )


@page(route="/admin/users/", title="Users", roles={Role.ADMIN}, on_load=AdminUsersState.load)
def admin_users() -> rx.Component:
    return rx.cond(
        S.loaded,
        rx.vstack(
            page_heading(
                "Users",
                "Find accounts, create staff, set roles and clinics, deactivate or reactivate.",
                rx.button(
                    rx.icon("user-plus", size=16),
                    "New staff account",
                    size="3",
                    on_click=CreateStaffState.start,
                ),
            ),
            rx.cond(
                S.notice_kind == "error",
                form_alert(S.notice, kind="error", test_id="users-notice"),
                form_alert(S.notice, kind="success", test_id="users-notice"),
            ),
            form_alert(S.list_error, kind="error", test_id="users-list-error"),
            _filters(),
            _table(),
            _empty(),
            pager(
                page=S.page,
                pages=S.pages,
                total=S.total,
                noun=("user", "users"),
                on_prev=S.prev_page,
                on_next=S.next_page,
            ),
            confirm_dialog(),
            role_dialog(),
            create_dialog(),
            affiliations_dialog(),
            spacing="4",
            width="100%",
            padding_y="1em",
        ),
        busy_spinner(),
    )
