"""Invoices: one per appointment, carrying the quote's numbers; the payment summary; the list.

Amounts on an invoice: ``total = medical_aid_portion + patient_portion`` (a CHECK).
``amount_paid`` is every completed payment (patient and insurance) less refunds. What the
patient still owes is ``patient_portion - patient payments (net)``; a denied or partly
approved claim moves the unapproved amount from the medical aid portion to the patient's.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, col, select

from mediconnect.core import events
from mediconnect.models.appointments import Appointment
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
from mediconnect.models.clinics import Clinic
from mediconnect.services.pricing import ZERO, Quote, cents, money

PAGE_SIZE = 50
AGEING_BUCKETS = ("0-30", "31-60", "61-90", "90+")


def clinic_day(session: Session, *, clinic_id: int | None, at: datetime) -> date:
    """``at`` as a date in the clinic's timezone."""
    clinic = session.get(Clinic, clinic_id) if clinic_id is not None else None
    tz = ZoneInfo(clinic.timezone if clinic else "Africa/Johannesburg")
    return at.astimezone(tz).date()


def invoice_number(session: Session, *, appointment: Appointment, issued: date) -> str:
    """INV-<clinic code>-<yyyymm>-<appointment id>.

    The appointment id makes the number unique without a counter that two concurrent bookings
    could both read (one invoice per appointment is a unique column). Seeded invoices are
    INV-<yyyy>-<8 digits>, which never has a letter after "INV-", so the two never collide.
    """
    clinic = session.get(Clinic, appointment.clinic_id)
    code = "".join(ch for ch in (clinic.code if clinic else "X") if ch.isalnum()).upper()[:6] or "X"
    return f"INV-{code}-{issued:%Y%m}-{appointment.id:06d}"


def create_invoice_for_appointment(*, session: Session, appointment: Appointment, quote: Quote) -> Invoice:
    """The invoice for a just-booked appointment, with the quote's numbers. Flushes only."""
    if appointment.id is None:
        raise ValueError("flush the appointment before invoicing it")
    if quote.service_id != appointment.service_id:
        raise ValueError("the quote is for another service than the appointment")
    now = utcnow()
    service = session.get(Service, quote.service_id)
    due = clinic_day(session, clinic_id=appointment.clinic_id, at=appointment.scheduled_start)
    invoice = Invoice(
        number=invoice_number(session, appointment=appointment, issued=now.date()),
        appointment_id=appointment.id,
        patient_id=appointment.patient_id,
        clinic_id=appointment.clinic_id,
        doctor_id=appointment.doctor_id,
        # Issued to the patient at booking: the booking page has shown them these numbers.
        status=InvoiceStatus.SENT,
        subtotal=quote.price,
        medical_aid_portion=quote.medical_aid_portion,
        patient_portion=quote.patient_portion,
        total=quote.price,
        amount_paid=ZERO,
        issued_at=now,
        sent_at=now,
        # The patient's part is payable on the day of the appointment.
        due_date=due,
        auto_generated=True,
    )
    session.add(invoice)
    session.flush()
    session.add(
        InvoiceLine(
            invoice_id=invoice.id,
            service_id=quote.service_id,
            description=(service.name if service else quote.service_name)[:200],
            quantity=1,
            unit_price=quote.price,
            amount=quote.price,
            medical_aid_amount=quote.medical_aid_portion,
            patient_amount=quote.patient_portion,
        )
    )
    session.flush()
    return invoice


# --------------------------------------------------------------------------- figures


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
    line = session.exec(select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id)).first()
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
        "service": line.description if line else None,
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
