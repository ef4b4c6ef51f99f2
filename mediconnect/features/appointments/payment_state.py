"""The state of /appointments/[appointment_id]/payment-summary/ (``payment_page``)."""

from __future__ import annotations

from typing import Any, TypedDict

import reflex as rx
from sqlmodel import Session

from mediconnect.core.policy import Principal
from mediconnect.features.appointments.common import NOT_YOURS
from mediconnect.features.kit.calls import Outcome, page_call, path_id
from mediconnect.features.kit.format import money, when
from mediconnect.features.shell.state import private_state
from mediconnect.services.payment_gateway import METHOD_LABELS

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
        self.appointment_id = aid = path_id(self, "appointments")

        def work(db: Session, p: Principal) -> dict[str, Any]:
            from mediconnect.services import billing

            return billing.payment_summary(session=db, principal=p, appointment_id=aid)

        outcome: Outcome[dict[str, Any]] = await page_call(self, work, denied_text=NOT_YOURS)
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
