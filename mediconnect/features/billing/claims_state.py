"""The state of /billing/claims/ (``claims_page``): one page of medical aid claims, live."""

from __future__ import annotations

from typing import Any

import reflex as rx

from mediconnect.features import live
from mediconnect.features.billing import queries
from mediconnect.features.billing.common import BILLING_ROLES
from mediconnect.features.billing.views import ClaimRow, claim_row
from mediconnect.features.kit.calls import page_call
from mediconnect.features.kit.format import money
from mediconnect.features.kit.paging import PagedList
from mediconnect.features.shell.state import private_state
from mediconnect.models.billing import ClaimStatus
from mediconnect.services.options import Option

PAGE_SIZE = 20
STATUS_OPTIONS: list[Option] = [Option(value="all", label="All claims")] + [
    Option(value=s.value, label=s.value.replace("_", " ").capitalize()) for s in ClaimStatus
]


@private_state
class BillingClaimsState(PagedList, rx.State):
    loaded: bool = False
    rows: list[ClaimRow] = []
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
        outcome = await page_call(
            self,
            lambda db, p: queries.list_claims(db, p, status=status, page=page, page_size=PAGE_SIZE),
            roles=BILLING_ROLES,
            on_denied="leave",
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
        self._show_page(found["total"], found["page"], found["pages"])
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
