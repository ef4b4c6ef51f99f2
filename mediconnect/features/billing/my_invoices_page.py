"""/billing/my-invoices/: a patient's own invoices, read only: what each visit cost, what the
medical aid covers, what they paid and still owe, and a receipt for every payment.

The service lists by ``invoice_scope``: for a patient that is their own invoices only, whatever
the browser sends."""

from __future__ import annotations

from typing import Any, TypedDict

import reflex as rx

from mediconnect.features import live
from mediconnect.features.admin.common import page_heading, pager
from mediconnect.features.auth.components import form_alert
from mediconnect.features.billing import queries
from mediconnect.features.billing.common import (
    INVOICE_STATUS_COLORS,
    PATIENT_ROLES,
    billing_call,
    busy_spinner,
    status_badge,
)
from mediconnect.features.billing.views import InvoiceRow, invoice_row
from mediconnect.features.shell.state import private_state
from mediconnect.features.shell.template import page

PAGE_SIZE = 10
MUTED = rx.color("gray", 11)


class ReceiptLink(TypedDict):
    label: str
    href: str


class MyInvoice(TypedDict):
    invoice: InvoiceRow
    receipts: list[ReceiptLink]


def _my_invoice(item: dict[str, Any]) -> MyInvoice:
    receipts = [
        ReceiptLink(label=str(p.get("receipt_number")), href=f"/billing/receipts/{p.get('payment_id')}/")
        for p in item.get("payments") or []
        if p.get("receipt_number") and p.get("status") in ("completed", "refunded")
    ]
    return MyInvoice(invoice=invoice_row(item), receipts=receipts)


@private_state
class MyInvoicesState(rx.State):
    loaded: bool = False
    items: list[MyInvoice] = []
    total: int = 0
    page: int = 1
    pages: int = 1
    list_error: str = ""

    async def _fetch(self):  # type: ignore[no-untyped-def]
        filters = queries.InvoiceFilters(page=self.page, page_size=PAGE_SIZE, with_payments=True)
        outcome = await billing_call(
            self, lambda db, p: queries.list_invoices(db, p, filters), roles=PATIENT_ROLES
        )
        if outcome.redirect is not None:
            self.reset()
            return outcome.redirect
        if outcome.error:
            self.list_error = outcome.error
            return None
        found: dict[str, Any] = outcome.value  # type: ignore[assignment]
        self.list_error = ""
        self.items = [_my_invoice(item) for item in found["items"]]
        self.total, self.page, self.pages = found["total"], found["page"], max(1, found["pages"])
        self.loaded = True
        await live.watch(self, *queries.list_topics(found))
        return None

    async def _on_live(self, event: Any) -> None:
        if self.loaded:
            await self._fetch()

    @rx.event
    async def load(self):
        self.reset()
        return await self._fetch()

    @rx.event
    async def prev_page(self):
        self.page = max(1, self.page - 1)
        return await self._fetch()

    @rx.event
    async def next_page(self):
        self.page = min(self.pages, self.page + 1)
        return await self._fetch()


S = MyInvoicesState


def _figure(label: str, value: rx.Var, *, strong: bool = False) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="1", color=MUTED),
        rx.text(value, size="3", weight=rx.cond(strong, "bold", "medium")),  # type: ignore[arg-type]
        spacing="0",
        min_width="7em",
    )


def _card(item: rx.Var) -> rx.Component:
    inv = item["invoice"]
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.vstack(
                    rx.text(inv["service"], weight="bold", size="3"),
                    rx.text(
                        inv["number"],
                        " · ",
                        inv["clinic"],
                        " · issued ",
                        inv["issued"],
                        size="2",
                        color=MUTED,
                    ),
                    spacing="0",
                ),
                status_badge(inv["status"], inv["status_label"], INVOICE_STATUS_COLORS),
                justify="between",
                align="start",
                spacing="3",
                width="100%",
            ),
            rx.flex(
                _figure("Total", inv["total"]),
                _figure("Medical aid", inv["medical_aid"]),
                _figure("Your portion", inv["patient_portion"]),
                _figure("You still owe", inv["balance"], strong=True),
                spacing="5",
                wrap="wrap",
            ),
            rx.cond(
                inv["overdue"],
                rx.text("Payment was due on ", inv["due"], ".", size="2", color=rx.color("red", 11)),
            ),
            rx.cond(
                item["receipts"].length() > 0,
                rx.flex(
                    rx.text("Receipts:", size="2", color=MUTED),
                    rx.foreach(
                        item["receipts"],
                        lambda r: rx.link(
                            rx.hstack(
                                rx.icon("receipt", size=14), rx.text(r["label"]), spacing="1", align="center"
                            ),
                            href=r["href"],
                            size="2",
                        ),
                    ),
                    spacing="3",
                    wrap="wrap",
                    align="center",
                ),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        data_testid="my-invoice",
    )


@page(route="/billing/my-invoices/", title="My invoices", roles=PATIENT_ROLES, on_load=S.load)
def my_invoices() -> rx.Component:
    return rx.cond(
        S.loaded,
        rx.vstack(
            page_heading(
                "My invoices",
                "What each visit cost, what your medical aid covers and what you have paid.",
            ),
            form_alert(S.list_error, kind="error", test_id="my-invoices-error"),
            rx.foreach(S.items, _card),
            rx.cond(
                S.total == 0,
                rx.callout("You have no invoices yet.", icon="receipt", color_scheme="gray", width="100%"),
                pager(
                    page=S.page,
                    pages=S.pages,
                    total=S.total,
                    noun=("invoice", "invoices"),
                    on_prev=S.prev_page,
                    on_next=S.next_page,
                ),
            ),
            spacing="4",
            width="100%",
            padding_y="1em",
            max_width="52em",
        ),
        busy_spinner(),
    )
