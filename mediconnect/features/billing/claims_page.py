"""/billing/claims/: medical aid claims by status, with amounts and dates, for billing staff
(their clinics' and doctors' invoices) and admins. Each claim links to its invoice, where
decisions and payments are recorded."""

from __future__ import annotations

import reflex as rx

from mediconnect.features.billing.claims_state import STATUS_OPTIONS, BillingClaimsState
from mediconnect.features.billing.common import BILLING_ROLES, CLAIM_STATUS_COLORS
from mediconnect.features.kit.fields import filter_bar, filter_select
from mediconnect.features.kit.layout import busy_spinner, page_heading, stat
from mediconnect.features.kit.notices import form_alert, status_badge
from mediconnect.features.kit.tables import amount_cell, amount_header, pager, scroll_table
from mediconnect.features.shell.template import page

WIDE_ONLY = rx.breakpoints(initial="none", md="table-cell")
NARROW_ONLY = rx.breakpoints(initial="block", md="none")


S = BillingClaimsState


def _row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.vstack(
                rx.text(row["number"], weight="medium", size="2"),
                rx.link(row["invoice_number"], href=row["invoice_href"], size="1"),
                # Below 1024px the dates have no columns: the submission date goes here.
                rx.text(
                    "Submitted ", row["submitted"], size="1", color=rx.color("gray", 11), display=NARROW_ONLY
                ),
                spacing="0",
            ),
            min_width="10em",
        ),
        rx.table.cell(
            rx.vstack(
                rx.text(row["patient"], size="2"),
                rx.text(row["scheme"], size="1", color=rx.color("gray", 11)),
                spacing="0",
            ),
            min_width="10em",
        ),
        rx.table.cell(
            rx.vstack(
                status_badge(row["status"], row["status_label"], CLAIM_STATUS_COLORS),
                rx.cond(
                    row["denial_reason"],
                    rx.text(row["denial_reason"], size="1", color=rx.color("red", 11)),
                ),
                spacing="1",
            ),
            max_width="14em",
        ),
        amount_cell(row["claimed"]),
        amount_cell(rx.cond(row["approved"], row["approved"], "—")),
        amount_cell(rx.cond(row["paid"], row["paid"], "—")),
        rx.table.cell(rx.text(row["submitted"], size="2"), white_space="nowrap", display=WIDE_ONLY),
        rx.table.cell(
            rx.text(rx.cond(row["decided"], row["decided"], "—"), size="2"),
            white_space="nowrap",
            display=WIDE_ONLY,
        ),
        rx.table.cell(
            rx.text(rx.cond(row["paid_on"], row["paid_on"], "—"), size="2"),
            white_space="nowrap",
            display=WIDE_ONLY,
        ),
        align="center",
        data_testid="claim-row",
    )


@page(route="/billing/claims/", title="Claims", roles=BILLING_ROLES, on_load=S.load)
def billing_claims() -> rx.Component:
    return rx.cond(
        S.loaded,
        rx.vstack(
            page_heading(
                "Medical aid claims",
                "What was claimed, what the schemes approved and what they paid.",
                rx.link(
                    rx.button(rx.icon("file-text", size=16), "Invoices", variant="soft"),
                    href="/billing/invoices/",
                ),
            ),
            form_alert(S.list_error, kind="error", test_id="claims-error"),
            filter_bar(
                filter_select(
                    id_="claim-status-filter",
                    value=S.status_filter,
                    on_change=S.set_status_filter,
                    options=STATUS_OPTIONS,
                    label="Claim status",
                    flex="0 1 12em",
                ),
                rx.flex(
                    rx.foreach(
                        S.counts,
                        lambda c: rx.badge(
                            c["label"], ": ", c["value"], variant="surface", color_scheme="gray", size="2"
                        ),
                    ),
                    spacing="2",
                    wrap="wrap",
                    data_testid="claim-counts",
                ),
            ),
            rx.flex(
                stat("Claimed", S.sum_claimed, test_id="claims-claimed"),
                stat("Approved", S.sum_approved, test_id="claims-approved"),
                stat("Paid by schemes", S.sum_paid, test_id="claims-paid"),
                spacing="3",
                wrap="wrap",
                width="100%",
            ),
            scroll_table(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell("Claim"),
                        rx.table.column_header_cell("Patient · scheme"),
                        rx.table.column_header_cell("Status"),
                        amount_header("Claimed"),
                        amount_header("Approved"),
                        amount_header("Paid"),
                        rx.table.column_header_cell("Submitted", display=WIDE_ONLY),
                        rx.table.column_header_cell("Decided", display=WIDE_ONLY),
                        rx.table.column_header_cell("Paid on", display=WIDE_ONLY),
                    )
                ),
                rx.table.body(rx.foreach(S.rows, _row)),
                test_id="claims-table",
                min_width="560px",
            ),
            rx.cond(
                S.total == 0,
                rx.callout("No claim has this status.", icon="search-x", color_scheme="gray", width="100%"),
            ),
            pager(
                page=S.page,
                pages=S.pages,
                total=S.total,
                noun=("claim", "claims"),
                on_prev=S.prev_page,
                on_next=S.next_page,
            ),
            spacing="4",
            width="100%",
            padding_y="1em",
        ),
        busy_spinner(),
    )
