"""The figures of an invoice, shared by invoicing, payments and claims.

``total = medical_aid_portion + patient_portion`` (a CHECK). ``amount_paid`` is every
completed payment (patient and insurance) less refunds. What the patient still owes is
``patient_portion - patient payments (net)``; a denied or partly approved claim moves the
unapproved amount from the medical aid portion to the patient's (services/claims.py).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from mediconnect.core import events
from mediconnect.core.money import cents
from mediconnect.models.base import utcnow
from mediconnect.models.billing import (
    Claim,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    Payment,
    PaymentMethod,
    PaymentStatus,
    Refund,
)
from mediconnect.models.catalog import Service
from mediconnect.services.pricing import ZERO, money

AGEING_BUCKETS = ("0-30", "31-60", "61-90", "90+")
CURRENCY = "ZAR"


class BillingError(ValueError):
    """Bad input or a refused money operation: ``code`` for machines, ``message`` for people.

    ``status`` is the HTTP status an API answers with (422 bad input, 404 nothing to act on,
    409 a conflict with what is already recorded).
    """

    def __init__(self, code: str, message: str, *, field: str | None = None, status: int = 422) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.status = status

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "detail": {"field": self.field}}


def parse_amount(value: object, *, field: str = "amount") -> Decimal:
    """A positive amount of money with at most two decimals, from a Decimal, int or string."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise BillingError("invalid_amount", "Enter the amount as a number, e.g. 250.00.", field=field)
    try:
        amount = Decimal(str(value).strip())
    except ArithmeticError:
        raise BillingError(
            "invalid_amount", "Enter the amount as a number, e.g. 250.00.", field=field
        ) from None
    if not amount.is_finite() or amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise BillingError("invalid_amount", "Amounts have at most two decimals (cents).", field=field)
    if amount <= 0:
        raise BillingError("invalid_amount", "The amount must be more than zero.", field=field)
    if amount >= Decimal("10000000000"):
        raise BillingError("invalid_amount", "That amount is too large.", field=field)
    return amount.quantize(Decimal("0.01"))


def payment_totals(session: Session, *, invoice_id: int) -> tuple[Decimal, Decimal]:
    """(patient paid, insurance paid): completed or refunded payments less their refunds."""
    refunded = (
        sa.select(sa.func.coalesce(sa.func.sum(col(Refund.amount)), 0))
        .where(col(Refund.payment_id) == col(Payment.id))
        .scalar_subquery()
    )
    rows = session.execute(
        sa.select(col(Payment.method), sa.func.sum(col(Payment.amount) - refunded))
        .where(
            col(Payment.invoice_id) == invoice_id,
            col(Payment.status).in_([PaymentStatus.COMPLETED, PaymentStatus.REFUNDED]),
        )
        .group_by(col(Payment.method))
    ).all()
    patient, insurance = ZERO, ZERO
    for method, total in rows:
        amount = cents(Decimal(str(total or 0)))
        if PaymentMethod(method) is PaymentMethod.INSURANCE:
            insurance += amount
        else:
            patient += amount
    return patient, insurance


def patient_balance(session: Session, *, invoice: Invoice) -> Decimal:
    assert invoice.id is not None
    patient_paid, _ = payment_totals(session, invoice_id=invoice.id)
    return max(ZERO, invoice.patient_portion - patient_paid)


def sync_invoice(session: Session, *, invoice: Invoice) -> None:
    """Recompute amount_paid and the status from the payments; publish invoice_updated."""
    assert invoice.id is not None
    patient_paid, insurance_paid = payment_totals(session, invoice_id=invoice.id)
    invoice.amount_paid = patient_paid + insurance_paid
    if invoice.status is not InvoiceStatus.CANCELLED:
        if invoice.amount_paid >= invoice.total:
            invoice.status = InvoiceStatus.PAID
            invoice.paid_at = invoice.paid_at or utcnow()
        elif invoice.status is InvoiceStatus.OVERDUE:
            invoice.paid_at = None  # still owed past its due date: stays overdue until paid
        elif invoice.amount_paid > 0:
            invoice.status, invoice.paid_at = InvoiceStatus.PARTIALLY_PAID, None
        else:
            invoice.status, invoice.paid_at = InvoiceStatus.SENT, None
    session.add(invoice)
    session.flush()
    events.publish(session, "invoice_updated", invoice_id=invoice.id, clinic_id=invoice.clinic_id)


def latest_claim(session: Session, *, invoice_id: int) -> Claim | None:
    return session.exec(
        select(Claim).where(Claim.invoice_id == invoice_id).order_by(col(Claim.id).desc())
    ).first()


def ageing_bucket(due: date, today: date) -> str:
    days = (today - due).days
    if days <= 30:
        return AGEING_BUCKETS[0]
    if days <= 60:
        return AGEING_BUCKETS[1]
    if days <= 90:
        return AGEING_BUCKETS[2]
    return AGEING_BUCKETS[3]


def invoice_json(session: Session, *, invoice: Invoice, today: date) -> dict[str, Any]:
    """The invoice's own numbers, claim and payments: what the summary and the API show."""
    assert invoice.id is not None
    patient_paid, insurance_paid = payment_totals(session, invoice_id=invoice.id)
    balance = max(ZERO, invoice.patient_portion - patient_paid)
    service = session.exec(
        select(Service.name)
        .join(InvoiceLine, col(InvoiceLine.service_id) == col(Service.id))
        .where(InvoiceLine.invoice_id == invoice.id)
    ).first()
    claim = latest_claim(session, invoice_id=invoice.id)
    payments = session.exec(
        select(Payment).where(Payment.invoice_id == invoice.id).order_by(col(Payment.id))
    ).all()
    outstanding = invoice.total - invoice.amount_paid
    return {
        "invoice_id": invoice.id,
        "number": invoice.number,
        "status": invoice.status.value,
        "appointment_id": invoice.appointment_id,
        "patient_id": invoice.patient_id,
        "clinic_id": invoice.clinic_id,
        "service": service,
        "price": money(invoice.total),
        "medical_aid_portion": money(invoice.medical_aid_portion),
        "patient_portion": money(invoice.patient_portion),
        "patient_paid": money(patient_paid),
        "insurance_paid": money(insurance_paid),
        "amount_paid": money(invoice.amount_paid),
        "balance": money(balance),
        "outstanding": money(max(ZERO, outstanding)),
        "issued_at": invoice.issued_at.isoformat(),
        "due_date": invoice.due_date.isoformat(),
        "overdue": balance > 0 and invoice.due_date < today,
        "ageing_bucket": ageing_bucket(invoice.due_date, today) if outstanding > 0 else None,
        "claim": None
        if claim is None
        else {
            "claim_id": claim.id,
            "number": claim.claim_number,
            "status": claim.status.value,
            "claimed_amount": money(claim.claimed_amount),
            "approved_amount": money(claim.approved_amount),
            "paid_amount": money(claim.paid_amount),
            "submitted_at": claim.submitted_at.isoformat(),
            "decided_at": claim.decided_at.isoformat() if claim.decided_at else None,
            "paid_at": claim.paid_at.isoformat() if claim.paid_at else None,
            "denial_reason": claim.denial_reason,
        },
        "payments": [
            {
                "payment_id": p.id,
                "amount": money(p.amount),
                "method": p.method.value,
                "status": p.status.value,
                "reference": p.transaction_reference,
                "receipt_number": p.receipt_number,
                "created_at": p.created_at.isoformat(),
                "completed_at": p.completed_at.isoformat() if p.completed_at else None,
            }
            for p in payments
        ],
    }


def summary_lines(data: dict[str, Any]) -> list[str]:
    """Sentences for the payment-summary page, computed from its figures (money strings)."""
    from mediconnect.services.pricing import rand

    def d(name: str) -> Decimal:
        return Decimal(str(data.get(name) or "0"))

    lines = [f"{data.get('service') or 'This appointment'} costs {rand(d('price'))}."]
    if d("medical_aid_portion") > 0:
        lines.append(
            f"{data.get('scheme_name') or 'Your medical aid'} is claimed {rand(d('medical_aid_portion'))}."
        )
    if d("shortfall") > 0:
        lines.append(f"{rand(d('shortfall'))} is above the scheme's tariff (shortfall).")
    if d("moved_to_patient_by_claim") > 0:
        lines.append(
            f"The scheme did not pay {rand(d('moved_to_patient_by_claim'))} of the claim; "
            "that is now yours to pay."
        )
    if data.get("authorisation_status") == "required":
        lines.append("The scheme must pre-authorise this service before it pays its part.")
    lines.append(f"Your part is {rand(d('patient_portion'))}; you have paid {rand(d('patient_paid'))}.")
    if d("balance") > 0:
        lines.append(
            f"{rand(d('balance'))} is due by {data.get('patient_due_date') or data.get('due_date')}."
        )
    else:
        lines.append("Nothing more is due from you.")
    expected = data.get("claim_expected_by")
    if expected and data.get("claim_status") in ("submitted", "approved", "partially_approved"):
        lines.append(f"The scheme's payment is expected by {expected}.")
    return lines
