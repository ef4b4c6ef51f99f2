"""/appointments/[appointment_id]/payment-summary/: the invoice's numbers for one appointment
(``billing.payment_summary``: the same figures the quote showed, payments, balance, claim)."""

from __future__ import annotations

from typing import Any, TypedDict

import reflex as rx
from sqlmodel import Session

from mediconnect.core.permissions import Principal
from mediconnect.features.appointments.common import (
    NOT_YOURS,
    PAYERS,
    Outcome,
    back_link,
    money,
    path_id,
    user_call,
    when,
)
from mediconnect.features.shell.state import private_state
from mediconnect.features.shell.template import page

CLAIM_LABELS = {
    "submitted": "Submitted to your medical aid",
    "approved": "Approved",
    "partially_approved": "Partly approved",
    "denied": "Denied",
    "paid": "Paid by your medical aid",
}
AUTH_LABELS = {
    "not_required": "Not required",
    "approved": "Approved",
    "required": "Required, not yet approved",
}
METHOD_LABELS = {
    "card": "Card",
    "mobile_money": "Mobile money",
    "bank_transfer": "Bank transfer",
    "cash": "Cash",
    "insurance": "Medical aid",
}


class Line(TypedDict):
    label: str
    value: str


class PaymentView(TypedDict):
    when: str
    method: str
    amount: str
    status: str
    receipt: str


def _scheme(d: dict[str, Any]) -> str:
    """The scheme is named once a claim exists; before that, say whether one will be made."""
    if d.get("scheme_name"):
        return str(d["scheme_name"])
    portion = str(d.get("medical_aid_portion") or "0")
    return "None (private)" if portion in ("0", "0.00") else "Your medical aid (claimed after your visit)"


def _m(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    return money(value) if value is not None else "—"


@private_state
class PaymentSummaryState(rx.State):
    loaded: bool = False
    missing: str = ""
    appointment_id: int = 0
    service: str = ""
    number: str = ""
    invoice_status: str = ""
    figures: list[Line] = []
    balance: str = ""
    due_date: str = ""
    overdue: bool = False
    claim: list[Line] = []
    payments: list[PaymentView] = []

    @rx.event
    async def load(self):
        self.reset()
        self.appointment_id = aid = path_id(self)

        def work(db: Session, p: Principal) -> dict[str, Any]:
            from mediconnect.services import billing

            return billing.payment_summary(session=db, principal=p, appointment_id=aid)

        outcome: Outcome[dict[str, Any]] = await user_call(self, work)
        if outcome.redirect is not None:
            self.reset()
            return outcome.redirect
        self.loaded = True
        if not outcome.ok or outcome.value is None:
            self.missing = outcome.error or NOT_YOURS
            return None
        d = outcome.value
        self.service, self.number = str(d.get("service") or ""), str(d.get("number") or "")
        self.invoice_status = str(d.get("status") or "").replace("_", " ").capitalize()
        auth = d.get("authorisation_status")
        self.figures = [
            Line(label="Price", value=_m(d, "price")),
            Line(label="Medical aid", value=_scheme(d)),
            Line(label="Medical aid portion", value=_m(d, "medical_aid_portion")),
            Line(label="Shortfall", value=_m(d, "shortfall")),
            Line(label="Co-payment", value=_m(d, "co_payment")),
            Line(label="Your portion", value=_m(d, "patient_portion")),
            Line(label="You have paid", value=_m(d, "patient_paid")),
            Line(label="Medical aid has paid", value=_m(d, "insurance_paid")),
        ]
        if auth:
            self.figures.insert(2, Line(label="Authorisation", value=AUTH_LABELS.get(str(auth), str(auth))))
        moved = d.get("moved_to_patient_by_claim")
        if moved and str(moved) not in ("0", "0.00"):
            self.figures.append(Line(label="Moved to you after the claim", value=money(moved)))
        self.balance, self.due_date = _m(d, "balance"), str(d.get("due_date") or "")
        self.overdue = bool(d.get("overdue"))
        claim = d.get("claim") or None
        self.claim = (
            []
            if claim is None
            else [
                Line(label="Claim", value=str(claim.get("number") or "")),
                Line(
                    label="Status", value=CLAIM_LABELS.get(str(claim.get("status")), str(claim.get("status")))
                ),
                Line(label="Claimed", value=_m(claim, "claimed_amount")),
                Line(label="Approved", value=_m(claim, "approved_amount")),
                Line(label="Paid", value=_m(claim, "paid_amount")),
                *(
                    [Line(label="Reason", value=str(claim["denial_reason"]))]
                    if claim.get("denial_reason")
                    else []
                ),
            ]
        )
        self.payments = [
            PaymentView(
                when=when(p.get("completed_at") or p.get("created_at"), None),
                method=METHOD_LABELS.get(str(p.get("method")), str(p.get("method"))),
                amount=money(p.get("amount")),
                status=str(p.get("status") or "").capitalize(),
                receipt=str(p.get("receipt_number") or ""),
            )
            for p in d.get("payments") or []
        ]
        return None


S = PaymentSummaryState


def _lines(items: rx.Var, test_id: str) -> rx.Component:
    return rx.vstack(
        rx.foreach(
            items,
            lambda line: rx.hstack(
                rx.text(line["label"], size="2", color=rx.color("gray", 11)),
                rx.spacer(),
                rx.text(line["value"], size="2", weight="medium", text_align="right"),
                width="100%",
            ),
        ),
        spacing="2",
        width="100%",
        data_testid=test_id,
    )


def _body() -> rx.Component:
    return rx.vstack(
        rx.heading("Price and payments", as_="h1", size="7"),
        rx.text(
            S.service, " · invoice ", S.number, " · ", S.invoice_status, size="3", color=rx.color("gray", 11)
        ),
        rx.flex(
            rx.card(
                rx.vstack(
                    rx.heading("Breakdown", as_="h2", size="4"),
                    _lines(S.figures, "summary-figures"),
                    spacing="3",
                    width="100%",
                ),
                flex="1 1 22em",
                min_width="0",
            ),
            rx.vstack(
                rx.card(
                    rx.vstack(
                        rx.text("Balance due from you", size="2", color=rx.color("gray", 11)),
                        rx.heading(S.balance, size="8", data_testid="summary-balance"),
                        rx.cond(S.due_date, rx.text("Due by ", S.due_date, size="2")),
                        rx.cond(S.overdue, rx.badge("Overdue", color_scheme="red")),
                        spacing="1",
                    ),
                    width="100%",
                ),
                rx.cond(
                    S.claim.length() > 0,
                    rx.card(
                        rx.vstack(
                            rx.heading("Medical aid claim", as_="h2", size="4"),
                            _lines(S.claim, "summary-claim"),
                            spacing="3",
                            width="100%",
                        ),
                        width="100%",
                    ),
                ),
                flex="1 1 18em",
                min_width="0",
                spacing="4",
            ),
            spacing="4",
            wrap="wrap",
            width="100%",
            align="start",
        ),
        rx.card(
            rx.vstack(
                rx.heading("Payments", as_="h2", size="4"),
                rx.cond(
                    S.payments.length() > 0,
                    rx.vstack(
                        rx.foreach(
                            S.payments,
                            lambda p: rx.flex(
                                rx.text(p["when"], size="2", flex="2 1 12em"),
                                rx.text(p["method"], size="2", flex="1 1 6em"),
                                rx.text(p["status"], size="2", flex="1 1 6em"),
                                rx.text(p["receipt"], size="2", flex="1 1 8em", color=rx.color("gray", 11)),
                                rx.text(
                                    p["amount"], size="2", weight="bold", flex="1 1 6em", text_align="right"
                                ),
                                wrap="wrap",
                                width="100%",
                                spacing="2",
                            ),
                        ),
                        width="100%",
                        data_testid="summary-payments",
                    ),
                    rx.text(
                        "No payments yet. You pay what is due at your visit.",
                        size="2",
                        color=rx.color("gray", 11),
                    ),
                ),
                spacing="3",
                width="100%",
            ),
            width="100%",
        ),
        spacing="4",
        width="100%",
    )


@page(
    route="/appointments/[appointment_id]/payment-summary/",
    title="Price and payments",
    roles=PAYERS,
    on_load=S.load,
)
def payment_summary_page() -> rx.Component:
    return rx.vstack(
        back_link("Back to the appointment", f"/appointments/{S.appointment_id}/"),
        rx.cond(
            S.loaded,
            rx.cond(
                S.missing,
                rx.callout(
                    S.missing,
                    icon="triangle-alert",
                    color_scheme="amber",
                    width="100%",
                    data_testid="summary-missing",
                ),
                _body(),
            ),
            rx.center(rx.spinner(size="3"), width="100%", padding="3em"),
        ),
        spacing="4",
        width="100%",
    )
