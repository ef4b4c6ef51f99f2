"""Claims to the medical aid for an invoice's medical aid portion: submit, decide, mark paid.

submitted -> approved | partially_approved | denied; approved / partially_approved -> paid.
Whatever the scheme does not pay becomes the patient's: a denial moves the whole claimed
amount, a partial approval the unapproved part, a short remittance the unpaid part, from the
invoice's medical aid portion to its patient portion (so the patient's balance shows it).
Billing staff (their clinics and doctors) and admins only; every step audited and published
as ``claim_updated`` after commit.
"""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Session, col, select

from mediconnect.core import audit, events, policy
from mediconnect.core.errors import AccessDenied, DashErrorCode
from mediconnect.core.policy import Action, Principal
from mediconnect.models.base import utcnow
from mediconnect.models.billing import (
    Claim,
    ClaimStatus,
    Invoice,
    InvoiceStatus,
    Payment,
    PaymentMethod,
    PaymentStatus,
)
from mediconnect.models.patients import MedicalAidScheme
from mediconnect.services.invoice_figures import (
    CURRENCY,
    BillingError,
    latest_claim,
    parse_amount,
    sync_invoice,
)
from mediconnect.services.payment_gateway import provider_for
from mediconnect.services.payments import receipt_number
from mediconnect.services.pricing import active_membership, money

DECIDABLE = (ClaimStatus.SUBMITTED,)
PAYABLE = (ClaimStatus.APPROVED, ClaimStatus.PARTIALLY_APPROVED)


def _invoice_for_billing(session: Session, principal: Principal, invoice_id: int) -> Invoice:
    policy.require_invoice(session, principal=principal, invoice_id=invoice_id, action=Action.WRITE)
    invoice = session.exec(select(Invoice).where(Invoice.id == invoice_id).with_for_update()).first()
    assert invoice is not None  # require_invoice refused a missing one
    return invoice


def _claim_for_billing(session: Session, principal: Principal, claim_id: int) -> tuple[Claim, Invoice]:
    policy.require_invoice_role(principal=principal, action=Action.WRITE)
    claim = session.get(Claim, claim_id)
    if claim is None or claim.invoice_id is None:
        raise AccessDenied(DashErrorCode.DASH_006, "not associated with this claim")
    invoice = _invoice_for_billing(session, principal, claim.invoice_id)
    session.refresh(claim)  # read again under the invoice lock
    return claim, invoice


def _audit(session: Session, principal: Principal, claim: Claim, invoice: Invoice, what: str) -> None:
    audit.record(
        session,
        principal_or_user_id=principal,
        action="claim",
        patient_id=invoice.patient_id,
        resource_type="claim",
        resource_id=claim.id,
        detail=f"invoice {invoice.number}: {what}",
    )


def _publish(session: Session, claim: Claim, invoice: Invoice) -> None:
    events.publish(
        session,
        "claim_updated",
        claim_id=claim.id,
        invoice_id=invoice.id,
        patient_id=invoice.patient_id,
        clinic_id=invoice.clinic_id,
    )


def _move_to_patient(session: Session, invoice: Invoice, amount: Decimal) -> None:
    """The scheme will not pay ``amount``: the patient owes it (total is unchanged)."""
    amount = min(amount, invoice.medical_aid_portion)
    if amount <= 0:
        return
    invoice.medical_aid_portion -= amount
    invoice.patient_portion += amount
    session.add(invoice)
    session.flush()


def submit_claim(*, session: Session, principal: Principal, invoice_id: int) -> Claim:
    """Claim the invoice's medical aid portion from the patient's scheme on the appointment day."""
    invoice = _invoice_for_billing(session, principal, invoice_id)
    if invoice.status is InvoiceStatus.CANCELLED:
        raise BillingError("invoice_not_claimable", f"Invoice {invoice.number} is cancelled.", status=409)
    if invoice.medical_aid_portion <= 0:
        raise BillingError(
            "nothing_to_claim", f"Invoice {invoice.number} has no medical aid portion.", status=409
        )
    earlier = latest_claim(session, invoice_id=invoice_id)
    if earlier is not None and earlier.status is not ClaimStatus.DENIED:
        raise BillingError(
            "claim_exists", f"Claim {earlier.claim_number} is already {earlier.status.value}.", status=409
        )
    if invoice.patient_id is None:
        raise BillingError("no_membership", "The invoice names no patient.", status=409)
    found = active_membership(session, patient_id=invoice.patient_id, on=invoice.due_date)
    if found is None:
        raise BillingError(
            "no_membership",
            f"The patient had no active medical aid membership on {invoice.due_date.isoformat()}.",
            status=409,
        )
    membership, scheme = found
    count = session.scalar(sa.select(sa.func.count()).where(col(Claim.invoice_id) == invoice_id)) or 0
    claim = Claim(
        # CLM-I<invoice id>-<n>: seeded claims are CLM-<digits>, so these never collide.
        claim_number=f"CLM-I{invoice_id}-{count + 1}",
        invoice_id=invoice_id,
        membership_id=membership.id,
        scheme_id=scheme.id,
        status=ClaimStatus.SUBMITTED,
        claimed_amount=invoice.medical_aid_portion,
        submitted_at=utcnow(),
    )
    session.add(claim)
    session.flush()
    _publish(session, claim, invoice)
    _audit(session, principal, claim, invoice, f"submitted {money(claim.claimed_amount)} to {scheme.code}")
    return claim


def decide_claim(
    *,
    session: Session,
    principal: Principal,
    claim_id: int,
    approved_amount: object = None,
    denied: bool = False,
    reason: str | None = None,
) -> Claim:
    """Record the scheme's decision: an approved amount (all or part of the claim) or a denial."""
    claim, invoice = _claim_for_billing(session, principal, claim_id)
    if claim.status not in DECIDABLE:
        raise BillingError(
            "claim_decided", f"Claim {claim.claim_number} is already {claim.status.value}.", status=409
        )
    why = " ".join((reason or "").split())[:200] or None
    now = utcnow()
    if denied:
        if approved_amount is not None:
            raise BillingError(
                "invalid_decision", "A denied claim has no approved amount.", field="approved_amount"
            )
        if why is None:
            raise BillingError("reason_required", "Give the scheme's reason for the denial.", field="reason")
        claim.status, claim.denial_reason, claim.approved_amount = ClaimStatus.DENIED, why, None
        _move_to_patient(session, invoice, claim.claimed_amount)
        what = f"denied: {why}"
    else:
        if approved_amount is None:
            raise BillingError(
                "invalid_decision", "Give the approved amount, or deny the claim.", field="approved_amount"
            )
        approved = parse_amount(approved_amount, field="approved_amount")
        if approved > claim.claimed_amount:
            raise BillingError(
                "invalid_decision",
                f"The approved amount cannot exceed the {money(claim.claimed_amount)} claimed.",
                field="approved_amount",
            )
        claim.approved_amount = approved
        claim.status = (
            ClaimStatus.APPROVED if approved == claim.claimed_amount else ClaimStatus.PARTIALLY_APPROVED
        )
        claim.denial_reason = why if claim.status is ClaimStatus.PARTIALLY_APPROVED else None
        _move_to_patient(session, invoice, claim.claimed_amount - approved)
        what = f"{claim.status.value} {money(approved)} of {money(claim.claimed_amount)}"
    claim.decided_at = now
    session.add(claim)
    session.flush()
    sync_invoice(session, invoice=invoice)
    _publish(session, claim, invoice)
    _audit(session, principal, claim, invoice, what)
    return claim


def mark_claim_paid(
    *,
    session: Session,
    principal: Principal,
    claim_id: int,
    paid_amount: object,
    reference: str | None = None,
) -> Payment:
    """The scheme paid: an insurance Payment against the invoice; a short payment moves to the patient."""
    claim, invoice = _claim_for_billing(session, principal, claim_id)
    if claim.status not in PAYABLE or claim.approved_amount is None:
        raise BillingError(
            "claim_not_payable",
            f"Claim {claim.claim_number} is {claim.status.value}, not approved.",
            status=409,
        )
    paid = parse_amount(paid_amount, field="paid_amount")
    if paid > claim.approved_amount:
        raise BillingError(
            "invalid_amount",
            f"The scheme approved {money(claim.approved_amount)}; it cannot have paid more.",
            field="paid_amount",
        )
    ref = " ".join((reference or "").split())[:64] or None
    if (
        ref is not None
        and session.exec(select(Payment.id).where(Payment.transaction_reference == ref)).first()
    ):
        raise BillingError(
            "duplicate_reference", "That reference is already recorded.", field="reference", status=409
        )
    scheme = session.get(MedicalAidScheme, claim.scheme_id) if claim.scheme_id else None
    result = provider_for(PaymentMethod.INSURANCE).charge(
        amount=paid,
        currency=CURRENCY,
        reference=ref,
        method=PaymentMethod.INSURANCE,
        metadata={"claim": claim.claim_number},
    )
    if result.status is not PaymentStatus.COMPLETED:
        raise BillingError("payment_failed", f"The remittance was not recorded: {result.failure_reason}.")
    now = utcnow()
    payment = Payment(
        invoice_id=invoice.id,
        patient_id=invoice.patient_id,
        claim_id=claim.id,
        amount=paid,
        method=PaymentMethod.INSURANCE,
        status=PaymentStatus.COMPLETED,
        provider=(scheme.code if scheme else "scheme")[:40],
        transaction_reference=result.provider_reference,
        recorded_by_id=principal.user_id,
        completed_at=now,
    )
    session.add(payment)
    session.flush()
    payment.receipt_number = receipt_number(payment)
    claim.status, claim.paid_amount, claim.paid_at = ClaimStatus.PAID, paid, now
    session.add_all([payment, claim])
    session.flush()
    _move_to_patient(session, invoice, claim.approved_amount - paid)
    sync_invoice(session, invoice=invoice)
    events.publish(
        session,
        "payment_received",
        payment_id=payment.id,
        invoice_id=invoice.id,
        patient_id=invoice.patient_id,
        clinic_id=invoice.clinic_id,
    )
    _publish(session, claim, invoice)
    _audit(session, principal, claim, invoice, f"paid {money(paid)}")
    return payment
