"""/billing/receipts/[payment_id]/: a printable receipt for one completed payment.

Billing staff and admins open it from the invoice; patients from "My invoices". The service
decides who may see which receipt (the payment's invoice must be in the caller's scope)."""

from __future__ import annotations

import reflex as rx

from mediconnect.features.billing.common import RECEIPT_ROLES
from mediconnect.features.billing.receipt_state import BillingReceiptState
from mediconnect.features.kit.notices import not_found, object_frame
from mediconnect.features.shell.template import page

MUTED = rx.color("gray", 11)
PRINT_CSS = """
@media print {
  header, footer, nav, .no-print, [data-testid=live-instance] { display: none !important; }
  body { background: white !important; }
  .receipt-card { box-shadow: none !important; border: 1px solid #999 !important; }
}
"""


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
    return object_frame(
        S.loaded,
        S.missing,
        _receipt(),
        when_missing=not_found(
            S.missing, "/dashboard/", "Back to your dashboard", test_id="billing-not-found"
        ),
    )
