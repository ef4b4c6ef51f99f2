"""The invoice page's dialogs: record a payment, refund a payment, record a claim decision."""

from __future__ import annotations

import reflex as rx

from mediconnect.features.billing.common import METHOD_OPTIONS
from mediconnect.features.billing.invoice_state import BillingInvoiceState
from mediconnect.features.kit.fields import choice, field_error
from mediconnect.features.kit.notices import form_alert

S = BillingInvoiceState


def _field(label: str, name: str, errors: rx.Var, *, hint: str = "", **props) -> rx.Component:  # type: ignore[no-untyped-def]
    message = errors[name].to(str)
    return rx.vstack(
        rx.el.label(
            label, html_for=f"{name}-input", style={"fontWeight": "500", "fontSize": "var(--font-size-2)"}
        ),
        rx.input(
            id=f"{name}-input",
            name=name,
            size="3",
            width="100%",
            aria_invalid=rx.cond(message, "true", "false"),
            aria_describedby=f"{name}-error",
            **props,
        ),
        rx.text(hint, size="1", color=rx.color("gray", 10)) if hint else rx.fragment(),
        field_error(message, name=name),
        spacing="1",
        width="100%",
    )


def _buttons(label: str, busy: rx.Var, close) -> rx.Component:  # type: ignore[no-untyped-def]
    return rx.flex(
        rx.dialog.close(
            rx.button("Cancel", variant="soft", color_scheme="gray", type="button", on_click=close)
        ),
        rx.button(label, type="submit", loading=busy),
        spacing="3",
        justify="end",
        width="100%",
    )


def payment_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Record a payment"),
            rx.dialog.description(
                "For ",
                S.number,
                ". The patient owes ",
                S.balance,
                ". A part payment is fine.",
                size="2",
                color=rx.color("gray", 11),
            ),
            rx.form(
                rx.vstack(
                    form_alert(S.pay_errors["form"].to(str), test_id="pay-error"),
                    _field(
                        "Amount (R)",
                        "amount",
                        S.pay_errors,
                        default_value=S.balance_value,
                        input_mode="decimal",
                        auto_complete="off",
                        max_length=14,
                    ),
                    rx.vstack(
                        rx.el.label(
                            "Method",
                            html_for="pay-method",
                            style={"fontWeight": "500", "fontSize": "var(--font-size-2)"},
                        ),
                        choice(
                            id_="pay-method",
                            value=S.pay_method,
                            on_change=S.set_pay_method,
                            options=METHOD_OPTIONS,
                            label="Payment method",
                        ),
                        field_error(S.pay_errors["method"].to(str), name="method"),
                        spacing="1",
                        width="100%",
                    ),
                    _field(
                        "Reference",
                        "reference",
                        S.pay_errors,
                        hint="Card slip, mobile money or bank reference. Optional for cash.",
                        max_length=64,
                        auto_complete="off",
                    ),
                    _buttons("Save payment", S.busy == "pay", S.set_pay_open(False)),
                    spacing="4",
                    width="100%",
                ),
                on_submit=S.record_payment,
                reset_on_submit=False,
                data_testid="payment-form",
            ),
            max_width="28em",
        ),
        open=S.pay_open,
        on_open_change=S.set_pay_open,
    )


def refund_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Refund a payment"),
            rx.dialog.description(S.refund_label, size="2", color=rx.color("gray", 11)),
            rx.form(
                rx.vstack(
                    form_alert(S.refund_errors["form"].to(str), test_id="refund-error"),
                    _field(
                        "Amount to refund (R)",
                        "amount",
                        S.refund_errors,
                        default_value=S.refund_default,
                        input_mode="decimal",
                        auto_complete="off",
                        max_length=14,
                    ),
                    _field(
                        "Reason",
                        "reason",
                        S.refund_errors,
                        max_length=200,
                        placeholder="e.g. Scan cancelled by the clinic",
                    ),
                    _buttons("Save refund", S.busy == "refund", S.set_refund_open(False)),
                    spacing="4",
                    width="100%",
                ),
                on_submit=S.refund,
                reset_on_submit=False,
                data_testid="refund-form",
            ),
            max_width="28em",
        ),
        open=S.refund_open,
        on_open_change=S.set_refund_open,
    )


def decision_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Record the medical aid's decision"),
            rx.form(
                rx.vstack(
                    form_alert(S.decide_errors["form"].to(str), test_id="decide-error"),
                    rx.radio_group.root(
                        rx.flex(
                            rx.radio_group.item(value="approved", id="outcome-approved"),
                            rx.el.label("Approved (in full or in part)", html_for="outcome-approved"),
                            rx.radio_group.item(value="denied", id="outcome-denied", margin_left="1em"),
                            rx.el.label("Denied", html_for="outcome-denied"),
                            spacing="2",
                            align="center",
                            wrap="wrap",
                        ),
                        value=S.decide_outcome,
                        on_change=S.set_decide_outcome,
                        aria_label="Outcome",
                    ),
                    rx.cond(
                        S.decide_outcome == "approved",
                        _field(
                            "Approved amount (R)",
                            "approved_amount",
                            S.decide_errors,
                            default_value=rx.cond(S.claim.length() > 0, S.claim[0]["claimed"].to(str), ""),
                            hint="Less than claimed means a partial approval; the rest moves to the patient.",
                            input_mode="decimal",
                            max_length=14,
                        ),
                        _field(
                            "Reason for the denial",
                            "reason",
                            S.decide_errors,
                            max_length=200,
                            placeholder="As stated by the medical aid",
                        ),
                    ),
                    _buttons("Save decision", S.busy == "decide", S.set_decide_open(False)),
                    spacing="4",
                    width="100%",
                ),
                on_submit=S.record_decision,
                reset_on_submit=False,
                data_testid="decision-form",
            ),
            max_width="30em",
        ),
        open=S.decide_open,
        on_open_change=S.set_decide_open,
    )


def claim_paid_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Record the medical aid's payment"),
            rx.dialog.description(
                "What the scheme paid on this claim. Less than approved moves the rest to the patient.",
                size="2",
                color=rx.color("gray", 11),
            ),
            rx.form(
                rx.vstack(
                    form_alert(S.paid_errors["form"].to(str), test_id="claim-paid-error"),
                    _field(
                        "Amount paid (R)",
                        "paid_amount",
                        S.paid_errors,
                        default_value=rx.cond(S.claim.length() > 0, S.claim[0]["approved"].to(str), ""),
                        input_mode="decimal",
                        auto_complete="off",
                        max_length=14,
                    ),
                    _field(
                        "Remittance reference", "reference", S.paid_errors, max_length=64, hint="Optional."
                    ),
                    _buttons("Save remittance", S.busy == "claim_paid", S.set_paid_open(False)),
                    spacing="4",
                    width="100%",
                ),
                on_submit=S.record_claim_paid,
                reset_on_submit=False,
                data_testid="claim-paid-form",
            ),
            max_width="28em",
        ),
        open=S.paid_open,
        on_open_change=S.set_paid_open,
    )
