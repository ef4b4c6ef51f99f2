"""The state of /billing/receipts/[payment_id]/ (``receipt_page``): one payment's receipt."""

from __future__ import annotations

from typing import Any

import reflex as rx

from mediconnect.features.billing import queries
from mediconnect.features.billing.common import METHOD_LABELS, RECEIPT_ROLES
from mediconnect.features.billing.views import when
from mediconnect.features.kit.calls import page_call, path_id
from mediconnect.features.kit.format import label_of, money
from mediconnect.features.shell.state import private_state
from mediconnect.models.users import Role

# The top bar, footer and buttons stay off paper.


@private_state
class BillingReceiptState(rx.State):
    loaded: bool = False
    missing: str = ""
    receipt_number: str = ""
    practice: str = ""
    practice_address: str = ""
    practice_contact: str = ""
    patient: str = ""
    # A medical aid's remittance is received for the patient, not from them.
    received_label: str = "Received from"
    invoice_number: str = ""
    paid_on: str = ""
    method: str = ""
    reference: str = ""
    amount: str = ""
    status_label: str = ""
    invoice_total: str = ""
    paid_to_date: str = ""
    balance: str = ""
    refunded: str = ""
    back_href: str = ""

    def _apply(self, data: dict[str, Any], patient_view: bool) -> None:
        tz = data.get("timezone")
        method = str(data.get("method") or "")
        self.receipt_number = str(data.get("receipt_number") or "")
        self.practice = str(data.get("clinic_name") or data.get("clinic") or "")
        self.practice_address = str(data.get("clinic_address") or "")
        self.practice_contact = " · ".join(
            str(x) for x in (data.get("clinic_phone"), data.get("clinic_email")) if x
        )
        self.patient = str(data.get("patient_name") or data.get("patient") or "")
        self.invoice_number = str(data.get("invoice_number") or "")
        self.paid_on = when(data.get("paid_at") or data.get("completed_at"), tz)
        self.method = METHOD_LABELS.get(method, label_of(method))
        self.received_label = "Paid by the medical aid for" if method == "insurance" else "Received from"
        self.reference = str(data.get("reference") or "")
        self.amount = money(data.get("amount"))
        self.status_label = label_of(data.get("status"))
        self.invoice_total = money(data.get("invoice_total"))
        self.paid_to_date = money(data.get("patient_paid"))
        self.balance = money(data.get("balance"))
        refunded = data.get("refunded")
        self.refunded = money(refunded) if refunded not in (None, "", "0.00") else ""
        invoice_id = data.get("invoice_id")
        self.back_href = (
            "/billing/my-invoices/" if patient_view or not invoice_id else f"/billing/invoices/{invoice_id}/"
        )
        self.loaded, self.missing = True, ""

    @rx.event
    async def load(self):
        self.reset()
        payment_id = path_id(self, "receipts") or None
        if payment_id is None:
            self.missing, self.loaded = "There is no such receipt.", True
            return None
        outcome = await page_call(
            self,
            lambda db, p: (queries.receipt(db, p, payment_id), p.role is Role.PATIENT),
            roles=RECEIPT_ROLES,
            on_denied="leave",
        )
        if outcome.redirect is not None:
            self.reset()
            return outcome.redirect
        if outcome.error:
            self.missing, self.loaded = outcome.error, True
            return None
        assert outcome.value is not None
        self._apply(*outcome.value)
        return None
