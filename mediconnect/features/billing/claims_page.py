"""/billing/claims/: medical aid claims by status, with amounts and dates, for billing staff
(their clinics' and doctors' invoices) and admins. Each claim links to its invoice, where
decisions and payments are recorded."""

from __future__ import annotations

from typing import Any

import reflex as rx

from mediconnect.features import live
from mediconnect.features.admin.common import choice, page_heading, pager, scroll_table
from mediconnect.features.auth.components import form_alert
from mediconnect.features.billing import queries
from mediconnect.features.billing.common import (
    BILLING_ROLES,
    CLAIM_STATUS_COLORS,
    amount_cell,
    amount_header,
    billing_call,
    busy_spinner,
    money,
    stat,
    status_badge,
)
from mediconnect.features.billing.views import ClaimRow, Option, claim_row
from mediconnect.features.shell.state import private_state
from mediconnect.features.shell.template import page
from mediconnect.models.billing import ClaimStatus

PAGE_SIZE = 20
STATUS_OPTIONS: list[Option] = [Option(value="all", label="All claims")] + [
    Option(value=s.value, label=s.value.replace("_", " ").capitalize()) for s in ClaimStatus
]
WIDE_ONLY = rx.breakpoints(initial="none", md="table-cell")
NARROW_ONLY = rx.breakpoints(initial="block", md="none")


@private_state
class BillingClaimsState(rx.State):
    loaded: bool = False
    rows: list[ClaimRow] = []
    total: int = 0
    page: int = 1
    pages: int = 1
    status_filter: str = "all"
    list_error: str = ""
    sum_claimed: str = ""
    sum_approved: str = ""
    sum_paid: str = ""
    # Count per status over everything the caller may see: [{value: count, label}].
    counts: list[Option] = []

    async def _fetch(self):  # type: ignore[no-untyped-def]
        status = None if self.status_filter == "all" else self.status_filter
        page = self.page
        outcome = await billing_call(
            self,
            lambda db, p: queries.list_claims(db, p, status=status, page=page, page_size=PAGE_SIZE),
            roles=BILLING_ROLES,
        )
        if outcome.redirect is not None:
            self.reset()
            return outcome.redirect
        if outcome.error:
            self.list_error = outcome.error
            return None
        found: dict[str, Any] = outcome.value  # type: ignore[assignment]
        self.list_error = ""
        self.rows = [claim_row(item, item.get("timezone")) for item in found["items"]]
        self.total, self.page, self.pages = found["total"], found["page"], max(1, found["pages"])
        totals = found.get("totals") or {}
        self.sum_claimed = money(totals.get("claimed", "0"))
        self.sum_approved = money(totals.get("approved", "0"))
        self.sum_paid = money(totals.get("paid", "0"))
        by_status = found.get("by_status") or {}
        self.counts = [
            Option(value=str(by_status.get(s.value, 0)), label=s.value.replace("_", " ").capitalize())
            for s in ClaimStatus
        ]
        self.loaded = True
        await live.watch(self, *[f"invoice:{r['invoice_id']}" for r in self.rows if r["invoice_id"]])
        return None

    async def _on_live(self, event: Any) -> None:
        """A claim on a listed invoice changed: reload (the caller is checked again)."""
        if self.loaded:
            await self._fetch()

    @rx.event
    async def load(self):
        self.reset()
        return await self._fetch()

    @rx.event
    async def set_status_filter(self, value: str):
        self.status_filter = value if value in {o["value"] for o in STATUS_OPTIONS} else "all"
        self.page = 1
        return await self._fetch()

    @rx.event
    async def prev_page(self):
        self.page = max(1, self.page - 1)
        return await self._fetch()

    @rx.event
    async def next_page(self):
        self.page = min(self.pages, self.page + 1)
        return await self._fetch()


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
            rx.flex(
                rx.box(
                    choice(
                        id_="claim-status-filter",
                        value=S.status_filter,
                        on_change=S.set_status_filter,
                        options=STATUS_OPTIONS,
                        label="Claim status",
                    ),
                    min_width="12em",
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
                spacing="3",
                wrap="wrap",
                align="center",
                width="100%",
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
