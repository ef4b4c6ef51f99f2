"""/admin/audit/: search the audit trail by user, patient, action and dates; export exactly the
rows found as CSV; verify the hash chain. Admins only, on the page and in every handler."""

from __future__ import annotations

import reflex as rx

from mediconnect.features.admin.audit_state import AdminAuditState
from mediconnect.features.kit.fields import form_field
from mediconnect.features.kit.layout import busy_spinner, page_heading
from mediconnect.features.kit.notices import form_alert
from mediconnect.features.kit.tables import pager, scroll_table
from mediconnect.features.shell.template import page
from mediconnect.models.users import Role

S = AdminAuditState


def _filters() -> rx.Component:
    return rx.card(
        rx.form(
            rx.vstack(
                rx.grid(
                    form_field(
                        "User id or email",
                        "user",
                        errors=S.errors,
                        placeholder="42 or name@example.org",
                        max_length=254,
                        size="2",
                    ),
                    form_field("Patient id", "patient_id", errors=S.errors, placeholder="1042", size="2"),
                    form_field(
                        "Action",
                        "action",
                        errors=S.errors,
                        placeholder="view, user.*",
                        max_length=41,
                        size="2",
                    ),
                    form_field("From (UTC)", "date_from", errors=S.errors, type_="date", size="2"),
                    form_field("To (UTC)", "date_to", errors=S.errors, type_="date", size="2"),
                    columns=rx.breakpoints(initial="1", xs="2", md="3", lg="5"),
                    spacing="3",
                    width="100%",
                ),
                form_alert(S.errors["form"].to(str), test_id="audit-filter-error"),
                rx.flex(
                    rx.button(
                        "Clear",
                        type="button",
                        variant="soft",
                        color_scheme="gray",
                        size="2",
                        on_click=S.clear,
                    ),
                    rx.button(rx.icon("search", size=16), "Search", type="submit", size="2"),
                    spacing="2",
                    justify="end",
                    width="100%",
                ),
                spacing="3",
                width="100%",
            ),
            key=S.version.to_string(),
            on_submit=S.search,
            no_validate=True,
            aria_label="Audit filters",
        ),
        width="100%",
    )


def _cell(value: rx.Var, **props) -> rx.Component:  # type: ignore[no-untyped-def]
    return rx.table.cell(rx.text(value, size="1"), **props)


def _row(row: rx.Var) -> rx.Component:
    when = row["occurred_at"].to(str).split("T")
    return rx.table.row(
        rx.table.cell(
            rx.text(when[0], size="1", weight="medium"),
            rx.text(when[1].to(str).replace("Z", ""), size="1", color=rx.color("gray", 11)),
            white_space="nowrap",
        ),
        rx.table.cell(
            rx.vstack(
                rx.text(rx.cond(row["user_email"], row["user_email"], "system"), size="1", weight="medium"),
                rx.text(
                    rx.cond(row["user_id"], "#" + row["user_id"].to(str) + " · ", ""),
                    row["role"],
                    rx.cond(row["ip_address"], " · " + row["ip_address"].to(str), ""),
                    size="1",
                    color=rx.color("gray", 11),
                ),
                spacing="0",
            ),
            min_width="14em",
            max_width="18em",
            style={"overflowWrap": "anywhere"},
        ),
        rx.table.cell(rx.code(row["action"], size="1", variant="ghost"), white_space="nowrap"),
        _cell(row["patient_id"]),
        _cell(
            row["resource_type"] + rx.cond(row["resource_id"], " #" + row["resource_id"].to(str), ""),
            white_space="nowrap",
        ),
        _cell(row["detail"], min_width="8em", max_width="18em", style={"overflowWrap": "anywhere"}),
        data_testid="audit-row",
    )


def _table() -> rx.Component:
    return scroll_table(
        rx.table.header(
            rx.table.row(
                *[
                    rx.table.column_header_cell(label, white_space="nowrap")
                    for label in ("Time (UTC)", "User", "Action", "Patient", "Resource", "Detail")
                ]
            )
        ),
        rx.table.body(rx.foreach(S.rows, _row)),
        test_id="audit-table",
        min_width="640px",
    )


def _chain() -> rx.Component:
    return rx.cond(
        S.verified,
        rx.cond(
            S.chain_ok,
            rx.callout(
                S.chain_text, icon="shield-check", color_scheme="teal", width="100%", data_testid="chain-ok"
            ),
            rx.callout(
                S.chain_text, icon="shield-alert", color_scheme="red", width="100%", data_testid="chain-bad"
            ),
        ),
    )


@page(route="/admin/audit/", title="Audit log", roles={Role.ADMIN}, on_load=AdminAuditState.load)
def admin_audit() -> rx.Component:
    return rx.cond(
        S.loaded,
        rx.vstack(
            page_heading(
                "Audit log",
                "Every access to patient data and every administrative change, hash-chained.",
                rx.button(
                    rx.icon("download", size=16),
                    "Export CSV",
                    variant="soft",
                    size="3",
                    loading=S.exporting,
                    on_click=S.export_csv,
                ),
                rx.button(
                    rx.icon("shield-check", size=16),
                    "Verify chain",
                    variant="soft",
                    size="3",
                    loading=S.verifying,
                    on_click=S.verify,
                ),
            ),
            _chain(),
            _filters(),
            form_alert(S.export_error, test_id="export-error"),
            rx.text("Showing: ", rx.code(S.summary, variant="ghost"), size="2", color=rx.color("gray", 11)),
            _table(),
            rx.cond(
                S.total == 0,
                rx.callout(
                    "No audit row matches these filters.", icon="search-x", color_scheme="gray", width="100%"
                ),
            ),
            pager(
                page=S.page,
                pages=S.pages,
                total=S.total,
                noun=("row", "rows"),
                on_prev=S.prev_page,
                on_next=S.next_page,
            ),
            spacing="4",
            width="100%",
            padding_y="1em",
        ),
        busy_spinner(),
    )
