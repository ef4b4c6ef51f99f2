"""/billing/receipts/[payment_id]/: a printable receipt for one completed payment.

Billing staff and admins open it from the invoice; patients from "My invoices". The service
decides who may see which receipt (the payment's invoice must be in the caller's scope)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from mediconnect.features.billing import queries
from mediconnect.features.billing.common import (
    METHOD_LABELS,
    RECEIPT_ROLES,
    billing_call,
    busy_spinner,
    label_of,
    money,
    not_found,
    parse_id,
)
from mediconnect.features.billing.views import when
from mediconnect.features.shell.state import private_state
from mediconnect.features.shell.template import page
from mediconnect.models.users import Role

MUTED = rx.color("gray", 11)
# The top bar, footer and buttons stay off paper.
PRINT_CSS = """
@media print {
  header, footer, nav, .no-print, [data-testid=live-instance] { display: none !important; }
  body { background: white !important; }
  .receipt-card { box-shadow: none !important; border: 1px solid #999 !important; }
}
"""


def payment_id_from_path(path: str) -> int | None:
    parts = [p for p in path.split("/") if p]
    if len(parts) >= 3 and parts[0] == "billing" and parts[1] == "receipts":
        return parse_id(parts[2])
    return None


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
        payment_id = payment_id_from_path(self.router.url.path)
        if payment_id is None:
            self.missing, self.loaded = "There is no such receipt.", True
            return None
        outcome = await billing_call(
            self,
            lambda db, p: (queries.receipt(db, p, payment_id), p.role is Role.PATIENT),
            roles=RECEIPT_ROLES,
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


S = BillingReceiptState


def _row(label: str | rx.Var, value: rx.Var, test_id: str) -> rx.Component:
    return rx.flex(
        rx.text(label, size="2", color=MUTED),
        rx.text(value, size="2", weight="medium", text_align="right", data_testid=test_id),
        justify="between",
        spacing="4",
        width="100%",
    )


def _receipt() -> rx.Component:
    return rx.vstack(
        rx.el.style(PRINT_CSS),
        rx.flex(
            rx.link(
                rx.hstack(rx.icon("arrow-left", size=14), rx.text("Back"), spacing="1", align="center"),
                href=S.back_href,
                size="2",
            ),
            rx.button(
                rx.icon("printer", size=16),
                "Print",
                variant="soft",
                on_click=rx.call_script("window.print()"),
            ),
            justify="between",
            align="center",
            width="100%",
            class_name="no-print",
        ),
        rx.card(
            rx.vstack(
                rx.flex(
                    rx.vstack(
                        rx.heading(S.practice, as_="h2", size="5"),
                        rx.text(S.practice_address, size="2", color=MUTED),
                        rx.text(S.practice_contact, size="2", color=MUTED),
                        spacing="0",
                    ),
                    rx.vstack(
                        rx.heading("Receipt", as_="h1", size="6"),
                        rx.text(S.receipt_number, size="3", weight="bold", data_testid="receipt-number"),
                        align="end",
                        spacing="0",
                    ),
                    justify="between",
                    wrap="wrap",
                    spacing="4",
                    width="100%",
                ),
                rx.divider(),
                _row(S.received_label, S.patient, "receipt-patient"),
                _row("For invoice", S.invoice_number, "receipt-invoice"),
                _row("Date", S.paid_on, "receipt-date"),
                _row("Method", S.method, "receipt-method"),
                rx.cond(S.reference, _row("Reference", S.reference, "receipt-reference")),
                rx.divider(),
                rx.flex(
                    rx.text("Amount received", size="4", weight="bold"),
                    rx.text(S.amount, size="6", weight="bold", data_testid="receipt-amount"),
                    justify="between",
                    align="center",
                    width="100%",
                ),
                rx.cond(S.refunded, _row("Refunded since", S.refunded, "receipt-refunded")),
                rx.divider(),
                _row("Invoice total", S.invoice_total, "receipt-invoice-total"),
                _row("Paid by the patient to date", S.paid_to_date, "receipt-paid-to-date"),
                _row("Patient balance", S.balance, "receipt-balance"),
                rx.text(
                    "Thank you. Keep this receipt for your records.",
                    size="1",
                    color=MUTED,
                    padding_top="0.5em",
                ),
                spacing="3",
                width="100%",
            ),
            size="4",
            width="100%",
            class_name="receipt-card",
            data_testid="receipt",
        ),
        spacing="4",
        width="100%",
        max_width="40em",
        margin_x="auto",
        padding_y="1em",
    )


@page(route="/billing/receipts/[payment_id]/", title="Receipt", roles=RECEIPT_ROLES, on_load=S.load)
def billing_receipt() -> rx.Component:
    return rx.cond(
        S.loaded,
        rx.cond(S.missing, not_found(S.missing, "/dashboard/", "Back to your dashboard"), _receipt()),
        busy_spinner(),
    )
