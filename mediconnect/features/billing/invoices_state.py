"""/billing/invoices/ state: one page of invoices, its filters and the totals of the filter.

Only the current page of rows and the totals reach the browser. Every handler that reads goes
through ``page_call``: the caller comes from the server-side session, the service lists
only what ``invoice_scope`` lets them see and refuses roles without billing rights.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from mediconnect.features import live
from mediconnect.features.billing import queries
from mediconnect.features.billing.common import BILLING_ROLES, text_of
from mediconnect.features.billing.views import InvoiceRow, invoice_row
from mediconnect.features.kit.calls import page_call
from mediconnect.features.kit.format import money
from mediconnect.features.kit.paging import PagedList
from mediconnect.features.shell.state import private_state
from mediconnect.models.billing import InvoiceStatus
from mediconnect.services.options import Option

PAGE_SIZE = 20
STATUS_OPTIONS: list[Option] = [Option(value="all", label="All statuses")] + [
    Option(value=s.value, label=s.value.replace("_", " ").capitalize()) for s in InvoiceStatus
]
AGEING_LABELS = {"0-30": "0-30 days", "31-60": "31-60 days", "61-90": "61-90 days", "90+": "Over 90 days"}


@private_state
class BillingInvoicesState(PagedList, rx.State):
    loaded: bool = False
    rows: list[InvoiceRow] = []
    text: str = ""
    status_filter: str = "all"
    clinic_filter: str = "all"
    overdue_only: bool = False
    clinic_options: list[Option] = []
    search_version: int = 0
    list_error: str = ""
    # Totals over every invoice the filter matches (not just this page).
    sum_total: str = ""
    sum_paid: str = ""
    sum_outstanding: str = ""
    # Outstanding per ageing bucket: [{value: amount, label: "31-60 days"}].
    ageing: list[Option] = []

    async def _fetch(self, *, with_options: bool = False):  # type: ignore[no-untyped-def]
        filters = queries.InvoiceFilters(
            status=None if self.status_filter == "all" else self.status_filter,
            clinic_id=int(self.clinic_filter) if self.clinic_filter.isdigit() else None,
            overdue_only=self.overdue_only,
            text=self.text,
            page=self.page,
            page_size=PAGE_SIZE,
        )

        def work(db, principal):  # type: ignore[no-untyped-def]
            found = queries.list_invoices(db, principal, filters)
            options = queries.clinic_options(db, principal) if with_options else None
            return found, options

        outcome = await page_call(self, work, roles=BILLING_ROLES, on_denied="leave")
        if outcome.redirect is not None:
            self.reset()
            return outcome.redirect
        if outcome.error:
            self.list_error = outcome.error
            return None
        assert outcome.value is not None
        found, options = outcome.value
        if options is not None:
            self.clinic_options = [Option(value="all", label="All my clinics"), *options]
        self.list_error = ""
        self.rows = [invoice_row(item) for item in found["items"]]
        self._show_page(found["total"], found["page"], found["pages"])
        totals = found.get("totals") or {}
        self.sum_total = money(totals.get("total", "0"))
        self.sum_paid = money(totals.get("amount_paid", "0"))
        self.sum_outstanding = money(totals.get("outstanding", "0"))
        self.ageing = [
            Option(value=money((totals.get("ageing") or {}).get(key, "0")), label=label)
            for key, label in AGEING_LABELS.items()
        ]
        self.loaded = True
        await live.watch(self, *queries.list_topics(found))
        return None

    async def _on_live(self, event: Any) -> None:
        """A payment, refund or claim landed on an invoice this tab shows: reload the page
        (the caller is checked again inside ``page_call``)."""
        if self.loaded:
            await self._fetch()

    @rx.event
    async def load(self):
        self.reset()
        return await self._fetch(with_options=True)

    @rx.event
    async def search(self, form: dict[str, Any]):
        self.text, self.page = text_of(form, "text", 100), 1
        return await self._fetch()

    @rx.event
    async def clear(self):
        self.text, self.page, self.status_filter, self.clinic_filter = "", 1, "all", "all"
        self.overdue_only = False
        self.search_version += 1
        return await self._fetch()

    @rx.event
    async def set_status_filter(self, value: str):
        self.status_filter = value if value in {o["value"] for o in STATUS_OPTIONS} else "all"
        self.page = 1
        return await self._fetch()

    @rx.event
    async def set_clinic_filter(self, value: str):
        self.clinic_filter = (
            value if isinstance(value, str) and (value.isdigit() or value == "all") else "all"
        )
        self.page = 1
        return await self._fetch()

    @rx.event
    async def set_overdue_only(self, value: bool):
        self.overdue_only, self.page = bool(value), 1
        return await self._fetch()
