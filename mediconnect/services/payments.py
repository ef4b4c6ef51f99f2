"""Payments against an invoice, refunds and receipts.

A payment goes pending -> processing -> completed | failed: the row exists (pending) before
the provider is asked (processing), so a provider that answers slowly or not at all leaves a
trace. Patients' payments may not exceed what the patient still owes; the invoice's
``amount_paid`` and status follow every completed payment and refund. Writes are audited and
publish ``payment_received`` / ``payment_refunded`` (after commit).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from mediconnect.core import audit, events, policy
from mediconnect.core.errors import AccessDenied, DashErrorCode
from mediconnect.core.policy import Action, Principal
from mediconnect.models.base import utcnow
from mediconnect.models.billing import Invoice, InvoiceStatus, Payment, PaymentMethod, PaymentStatus, Refund
from mediconnect.models.clinics import Clinic
from mediconnect.models.patients import Patient
from mediconnect.services.invoice_figures import (
    CURRENCY,
    BillingError,
    parse_amount,
    patient_balance,
    payment_totals,
    sync_invoice,
)
from mediconnect.services.payment_gateway import REFERENCE_REQUIRED, provider_for, provider_named
from mediconnect.services.pricing import ZERO, money

MAX_REFERENCE = 64
MAX_REASON = 200


def _clean(value: str | None, *, field: str, limit: int) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    if len(text) > limit:
        raise BillingError("invalid_" + field, f"The {field} may be at most {limit} characters.", field=field)
    return text or None


def _method(value: object) -> PaymentMethod:
    try:
        method = PaymentMethod(str(value))
    except ValueError:
        choices = ", ".join(m.value for m in PaymentMethod if m is not PaymentMethod.INSURANCE)
        raise BillingError("invalid_method", f"Choose a payment method: {choices}.", field="method") from None
    if method is PaymentMethod.INSURANCE:
        raise BillingError(
            "invalid_method", "Medical aid payments are recorded against the claim.", field="method"
        )
    return method


def _locked_invoice(session: Session, invoice_id: int) -> Invoice:
    """The invoice, row-locked on PostgreSQL so two desks cannot both take the last balance."""
    invoice = session.exec(select(Invoice).where(Invoice.id == invoice_id).with_for_update()).first()
    if invoice is None:
        raise AccessDenied(DashErrorCode.DASH_006, "not associated with this invoice")
    return invoice


def payment_json(payment: Payment) -> dict[str, Any]:
    return {
        "payment_id": payment.id,
        "invoice_id": payment.invoice_id,
        "amount": money(payment.amount),
        "method": payment.method.value,
        "status": payment.status.value,
        "provider": payment.provider,
        "reference": payment.transaction_reference,
        "receipt_number": payment.receipt_number,
        "failure_reason": payment.failure_reason,
        "created_at": payment.created_at.isoformat(),
        "completed_at": payment.completed_at.isoformat() if payment.completed_at else None,
    }


def receipt_number(payment: Payment) -> str:
    """RC-<yyyymmdd>-<payment id>: unique with the id; seeded receipts are RCT-<digits>."""
    assert payment.id is not None and payment.completed_at is not None
    return f"RC-{payment.completed_at:%Y%m%d}-{payment.id:08d}"


def payment_id_for_key(*, session: Session, idempotency_key: str | None) -> int | None:
    """The payment already recorded under this idempotency key, if any (to tell a replay)."""
    if not idempotency_key:
        return None
    return session.exec(select(Payment.id).where(Payment.idempotency_key == idempotency_key.strip())).first()


def _replay(payment: Payment, invoice_id: int, amount: Decimal, method: PaymentMethod) -> Payment:
    if (payment.invoice_id, payment.amount, payment.method) != (invoice_id, amount, method):
        raise BillingError(
            "idempotency_conflict",
            "That idempotency key was already used for a different payment.",
            field="idempotency_key",
            status=409,
        )
    return payment


def record_payment(
    *,
    session: Session,
    principal: Principal,
    invoice_id: int,
    amount: object,
    method: object,
    reference: str | None = None,
    idempotency_key: str | None = None,
) -> Payment:
    """Take a patient payment (desk or by reference) and return it.

    A repeated idempotency key returns the first payment unchanged (no second charge). A charge
    the provider declines is kept with status failed and its reason; the caller shows it.
    """
    policy.require_desk_payment(session, principal=principal, invoice_id=invoice_id)
    value, pay_method, ref, key = _payment_input(amount, method, reference, idempotency_key)

    # Under the invoice's lock (PostgreSQL row lock; SQLite transactions begin IMMEDIATE), so a
    # twin request with the same key waits here and then finds the first one's payment.
    invoice = _locked_invoice(session, invoice_id)
    if key is not None:
        earlier = session.exec(select(Payment).where(Payment.idempotency_key == key)).first()
        if earlier is not None:
            return _replay(earlier, invoice_id, value, pay_method)
    _check_payable(session, invoice=invoice, value=value, ref=ref)
    payment = _pending_payment(
        session, principal, invoice=invoice, value=value, method=pay_method, ref=ref, key=key
    )
    _charge(session, payment=payment, invoice=invoice, value=value, method=pay_method, ref=ref)
    audit.record(
        session,
        principal_or_user_id=principal,
        action="payment",
        patient_id=invoice.patient_id,
        resource_type="payment",
        resource_id=payment.id,
        detail=f"invoice {invoice.number} {money(value)} {pay_method.value} {payment.status.value}",
    )
    return payment


def _payment_input(
    amount: object, method: object, reference: str | None, idempotency_key: str | None
) -> tuple[Decimal, PaymentMethod, str | None, str | None]:
    """The amount, method, reference and idempotency key, checked and cleaned."""
    value, pay_method = parse_amount(amount), _method(method)
    ref = _clean(reference, field="reference", limit=MAX_REFERENCE)
    key = _clean(idempotency_key, field="idempotency_key", limit=64)
    if pay_method in REFERENCE_REQUIRED and ref is None:
        raise BillingError(
            "reference_required",
            f"Enter the {pay_method.value.replace('_', ' ')} reference.",
            field="reference",
        )
    return value, pay_method, ref, key


def _check_payable(session: Session, *, invoice: Invoice, value: Decimal, ref: str | None) -> None:
    """Refuses a reused reference, an invoice that takes no payments and an overpayment."""
    if (
        ref is not None
        and session.exec(select(Payment.id).where(Payment.transaction_reference == ref)).first()
    ):
        raise BillingError(
            "duplicate_reference", "That reference is already recorded.", field="reference", status=409
        )
    if invoice.status in (InvoiceStatus.CANCELLED, InvoiceStatus.DRAFT):
        raise BillingError(
            "invoice_not_payable", f"Invoice {invoice.number} is {invoice.status.value}.", status=409
        )
    balance = patient_balance(session, invoice=invoice)
    if value > balance:
        raise BillingError(
            "overpayment",
            f"The balance due is {money(balance)}; {money(value)} is more than that.",
            field="amount",
        )


def _pending_payment(
    session: Session,
    principal: Principal,
    *,
    invoice: Invoice,
    value: Decimal,
    method: PaymentMethod,
    ref: str | None,
    key: str | None,
) -> Payment:
    """The payment row, written as pending and then processing before the provider is asked."""
    payment = Payment(
        invoice_id=invoice.id,
        patient_id=invoice.patient_id,
        amount=value,
        method=method,
        status=PaymentStatus.PENDING,
        provider=provider_for(method).name,
        transaction_reference=ref,
        idempotency_key=key,
        recorded_by_id=principal.user_id,
    )
    # A concurrent twin with the same key or reference makes this flush raise IntegrityError
    # (unique columns); the transaction is then lost and the caller retries once, when
    # record_payment's key and reference checks find the twin. (No SAVEPOINT here: releasing
    # one would send the caller's queued events before its commit, see the note in the
    # billing hand-over.)
    session.add(payment)
    session.flush()
    payment.status = PaymentStatus.PROCESSING
    session.flush()
    return payment


def _charge(
    session: Session,
    *,
    payment: Payment,
    invoice: Invoice,
    value: Decimal,
    method: PaymentMethod,
    ref: str | None,
) -> None:
    """Asks the provider and records its answer: completed, failed with a reason, or still
    processing."""
    result = provider_for(method).charge(
        amount=value,
        currency=CURRENCY,
        reference=ref,
        method=method,
        metadata={"invoice": invoice.number, "payment_id": payment.id or 0},
    )
    payment.processing_fee = result.fee
    payment.transaction_reference = result.provider_reference or ref
    if result.status is PaymentStatus.COMPLETED:
        _complete(session, payment=payment, invoice=invoice)
    elif result.status is PaymentStatus.FAILED:
        payment.status = PaymentStatus.FAILED
        payment.failure_reason = (result.failure_reason or "declined")[:120]
    session.add(payment)
    session.flush()


def _complete(session: Session, *, payment: Payment, invoice: Invoice) -> None:
    payment.status = PaymentStatus.COMPLETED
    payment.completed_at = utcnow()
    session.flush()
    payment.receipt_number = receipt_number(payment)
    session.flush()
    sync_invoice(session, invoice=invoice)
    events.publish(
        session,
        "payment_received",
        payment_id=payment.id,
        invoice_id=invoice.id,
        patient_id=invoice.patient_id,
        clinic_id=invoice.clinic_id,
        doctor_id=invoice.doctor_id,
    )


def refunded_amount(session: Session, *, payment_id: int) -> Decimal:
    total = session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(col(Refund.amount)), 0)).where(
            col(Refund.payment_id) == payment_id
        )
    )
    return Decimal(str(total or 0)).quantize(Decimal("0.01"))


def refund(*, session: Session, principal: Principal, payment_id: int, amount: object, reason: str) -> Refund:
    """Pay back part or all of a completed payment (billing staff and admin)."""
    policy.require_invoice_role(principal=principal, action=Action.WRITE)
    payment = session.get(Payment, payment_id)
    if payment is None or payment.invoice_id is None:
        raise AccessDenied(DashErrorCode.DASH_006, "not associated with this payment")
    policy.require_invoice(session, principal=principal, invoice_id=payment.invoice_id, action=Action.WRITE)
    value = parse_amount(amount)
    why = _clean(reason, field="reason", limit=MAX_REASON)
    if why is None:
        raise BillingError("reason_required", "Say why the money is refunded.", field="reason")
    invoice = _locked_invoice(session, payment.invoice_id)
    if payment.status is not PaymentStatus.COMPLETED:
        raise BillingError(
            "not_refundable", f"A {payment.status.value} payment cannot be refunded.", status=409
        )
    refundable = payment.amount - refunded_amount(session, payment_id=payment_id)
    if value > refundable:
        raise BillingError(
            "over_refund", f"At most {money(refundable)} of this payment can be refunded.", field="amount"
        )
    result = provider_named(payment.provider, method=payment.method).refund(
        amount=value,
        currency=CURRENCY,
        provider_reference=payment.transaction_reference,
        reason=why,
        metadata={"payment_id": payment_id},
    )
    if result.status is not PaymentStatus.COMPLETED:
        raise BillingError(
            "refund_failed", f"The refund did not go through: {result.failure_reason}.", status=409
        )
    row = Refund(payment_id=payment_id, amount=value, reason=why, recorded_by_id=principal.user_id)
    session.add(row)
    session.flush()
    row.reference = f"RFD-{row.id:09d}"
    if value == refundable:
        payment.status = PaymentStatus.REFUNDED
    session.add_all([row, payment])
    session.flush()
    sync_invoice(session, invoice=invoice)
    events.publish(
        session,
        "payment_refunded",
        payment_id=payment_id,
        invoice_id=invoice.id,
        patient_id=invoice.patient_id,
        clinic_id=invoice.clinic_id,
        doctor_id=invoice.doctor_id,
    )
    audit.record(
        session,
        principal_or_user_id=principal,
        action="refund",
        patient_id=invoice.patient_id,
        resource_type="payment",
        resource_id=payment_id,
        detail=f"refund {money(value)} of {money(payment.amount)}",
    )
    return row


def receipt(*, session: Session, principal: Principal, payment_id: int) -> dict[str, Any]:
    """The receipt of a completed (or since refunded) payment. Audited: it names the patient."""
    policy.require_invoice_role(principal=principal, action=Action.READ)
    payment = session.get(Payment, payment_id)
    if payment is None or payment.invoice_id is None:
        raise AccessDenied(DashErrorCode.DASH_006, "not associated with this payment")
    policy.require_invoice(session, principal=principal, invoice_id=payment.invoice_id, action=Action.READ)
    if payment.receipt_number is None:
        raise BillingError("no_receipt", f"A {payment.status.value} payment has no receipt.", status=409)
    invoice = session.get(Invoice, payment.invoice_id)
    assert invoice is not None and invoice.id is not None
    clinic = session.get(Clinic, invoice.clinic_id) if invoice.clinic_id else None
    patient = session.get(Patient, invoice.patient_id) if invoice.patient_id else None
    patient_paid, insurance_paid = payment_totals(session, invoice_id=invoice.id)
    refunded = refunded_amount(session, payment_id=payment_id)
    audit.record(
        session,
        principal_or_user_id=principal,
        action=audit.AuditAction.VIEW,
        patient_id=invoice.patient_id,
        resource_type="receipt",
        resource_id=payment_id,
    )
    return {
        "receipt_number": payment.receipt_number,
        "payment_id": payment.id,
        "invoice_id": invoice.id,
        "invoice_number": invoice.number,
        "clinic": clinic.name if clinic else None,
        "patient": f"{patient.first_name} {patient.last_name}" if patient else None,
        "amount": money(payment.amount),
        "refunded": money(refunded),
        "method": payment.method.value,
        "reference": payment.transaction_reference,
        "status": payment.status.value,
        "paid_at": payment.completed_at.isoformat() if payment.completed_at else None,
        "invoice_total": money(invoice.total),
        "patient_portion": money(invoice.patient_portion),
        "patient_paid": money(patient_paid),
        "insurance_paid": money(insurance_paid),
        "balance": money(max(ZERO, invoice.patient_portion - patient_paid)),
    }
