"""/billing/invoices/: the invoices billing staff look after (their clinics and doctors; every
invoice for an admin), with filters, ageing and totals. Each row opens the invoice."""

from __future__ import annotations

import reflex as rx

from mediconnect.features.billing.common import BILLING_ROLES, INVOICE_STATUS_COLORS
from mediconnect.features.billing.invoices_state import STATUS_OPTIONS, BillingInvoicesState
from mediconnect.features.kit.fields import filter_bar, filter_select, filter_switch, search_box
from mediconnect.features.kit.layout import busy_spinner, page_heading, stat
from mediconnect.features.kit.notices import form_alert, status_badge
from mediconnect.features.kit.tables import amount_cell, amount_header, pager, scroll_table
from mediconnect.features.shell.template import page

S = BillingInvoicesState
WIDE_ONLY = rx.breakpoints(initial="none", md="table-cell")
NARROW_ONLY = rx.breakpoints(initial="block", md="none")


def _filters() -> rx.Component:
    return filter_bar(
        search_box(
            name="text",
            id_="invoice-search",
            value=S.text,
            placeholder="Invoice number or patient name",
            label="Search invoices",
            on_submit=S.search,
            key=S.search_version.to_string(),
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
        filter_switch(
            "Overdue only",
            id_="overdue-only",
            checked=S.overdue_only,
            on_change=S.set_overdue_only,
            test_id="overdue-only",
        ),
        rx.button("Clear", variant="ghost", color_scheme="gray", size="2", on_click=S.clear),
    )


def _totals() -> rx.Component:
    return rx.vstack(
        rx.flex(
            stat("Invoiced", S.sum_total, test_id="sum-total"),
            stat("Received", S.sum_paid, test_id="sum-paid"),
            stat("Outstanding", S.sum_outstanding, test_id="sum-outstanding", tone="red"),
            spacing="3",
            wrap="wrap",
            width="100%",
        ),
        rx.flex(
            rx.text("Outstanding by age:", size="2", color=rx.color("gray", 11), weight="medium"),
            rx.foreach(
                S.ageing,
                lambda b: rx.badge(
                    b["label"], ": ", b["value"], variant="surface", color_scheme="gray", size="2"
                ),
            ),
            spacing="2",
            wrap="wrap",
            align="center",
            data_testid="ageing-totals",
        ),
        spacing="2",
        width="100%",
    )


def _row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.vstack(
                rx.link(row["number"], href=row["href"], weight="medium", size="2"),
                rx.text(row["service"], size="1", color=rx.color("gray", 11)),
                spacing="0",
            ),
            min_width="12em",
        ),
        rx.table.cell(
            rx.vstack(
                rx.text(row["patient"], size="2"),
                rx.text(row["clinic"], size="1", color=rx.color("gray", 11)),
                spacing="0",
            ),
            min_width="10em",
        ),
        rx.table.cell(rx.text(row["issued"], size="2"), white_space="nowrap", display=WIDE_ONLY),
        rx.table.cell(
            rx.vstack(
                rx.text(row["due"], size="2", color=rx.cond(row["overdue"], rx.color("red", 11), None)),
                # Below 1024px the age sits under the due date instead of in its own column.
                rx.cond(
                    row["ageing"],
                    rx.text(
                        row["ageing"], " days", size="1", color=rx.color("gray", 11), display=NARROW_ONLY
                    ),
                ),
                spacing="0",
            ),
            white_space="nowrap",
        ),
        rx.table.cell(status_badge(row["status"], row["status_label"], INVOICE_STATUS_COLORS)),
        amount_cell(row["total"], display=WIDE_ONLY),
        amount_cell(row["paid"], display=WIDE_ONLY),
        amount_cell(row["outstanding"]),
        rx.table.cell(
            rx.cond(row["ageing"], rx.badge(row["ageing"], variant="outline", color_scheme="gray")),
            white_space="nowrap",
            display=WIDE_ONLY,
        ),
        align="center",
        data_testid="invoice-row",
    )


def _table() -> rx.Component:
    return scroll_table(
        rx.table.header(
            rx.table.row(
                rx.table.column_header_cell("Invoice"),
                rx.table.column_header_cell("Patient"),
                rx.table.column_header_cell("Issued", display=WIDE_ONLY),
                rx.table.column_header_cell("Due"),
                rx.table.column_header_cell("Status"),
                amount_header("Total", display=WIDE_ONLY),
                amount_header("Paid", display=WIDE_ONLY),
                amount_header("Outstanding"),
                rx.table.column_header_cell("Age (days)", white_space="nowrap", display=WIDE_ONLY),
            )
        ),
        rx.table.body(rx.foreach(S.rows, _row)),
        test_id="invoices-table",
        min_width="560px",
    )


@page(route="/billing/invoices/", title="Invoices", roles=BILLING_ROLES, on_load=S.load)
def billing_invoices() -> rx.Component:
    return rx.cond(
        S.loaded,
        rx.vstack(
            page_heading(
                "Invoices",
                "Track what is owed, take payments and follow up overdue accounts.",
                rx.link(
                    rx.button(rx.icon("file-check", size=16), "Claims", variant="soft"),
                    href="/billing/claims/",
                ),
            ),
            form_alert(S.list_error, kind="error", test_id="invoices-error"),
            _filters(),
            _totals(),
            _table(),
            rx.cond(
                S.total == 0,
                rx.callout(
                    "No invoice matches these filters.", icon="search-x", color_scheme="gray", width="100%"
                ),
            ),
            pager(
                page=S.page,
                pages=S.pages,
                total=S.total,
                noun=("invoice", "invoices"),
                on_prev=S.prev_page,
                on_next=S.next_page,
            ),
            spacing="4",
            width="100%",
            padding_y="1em",
        ),
        busy_spinner(),
    )
