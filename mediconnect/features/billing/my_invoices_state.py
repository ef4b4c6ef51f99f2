"""The state of /billing/my-invoices/ (``my_invoices_page``): a patient's own invoices."""

from __future__ import annotations

from typing import Any, TypedDict

import reflex as rx

from mediconnect.features import live
from mediconnect.features.billing import queries
from mediconnect.features.billing.common import PATIENT_ROLES
from mediconnect.features.billing.views import InvoiceRow, invoice_row
from mediconnect.features.kit.calls import page_call
from mediconnect.features.kit.paging import PagedList
from mediconnect.features.shell.state import private_state

PAGE_SIZE = 10


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
class MyInvoicesState(PagedList, rx.State):
    loaded: bool = False
    items: list[MyInvoice] = []
    list_error: str = ""

    async def _fetch(self):  # type: ignore[no-untyped-def]
        filters = queries.InvoiceFilters(page=self.page, page_size=PAGE_SIZE, with_payments=True)
        outcome = await page_call(
            self, lambda db, p: queries.list_invoices(db, p, filters), roles=PATIENT_ROLES, on_denied="leave"
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
        self._show_page(found["total"], found["page"], found["pages"])
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
