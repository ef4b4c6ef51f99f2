"""Claims to the medical aid: submit, approve (all or part), deny, paid; who may; events."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlmodel import Session, select

from mediconnect.core import events
from mediconnect.core.errors import AccessDenied
from mediconnect.models.audit import AuditLog
from mediconnect.models.billing import ClaimStatus, Invoice, InvoiceStatus, PaymentMethod, PaymentStatus
from mediconnect.models.patients import MembershipStatus
from mediconnect.services import claims, payments, pricing
from mediconnect.services.invoice_figures import BillingError, patient_balance
from tests.services import billing_world as bw

D = Decimal


@pytest.fixture
def heard() -> Iterator[list[events.DomainEvent]]:
    got: list[events.DomainEvent] = []
    unsubscribe = events.subscribe(got.append)
    yield got
    unsubscribe()


def _setup(session: Session) -> tuple[bw.World, Invoice, int]:
    w = bw.world(session)
    _, inv = bw.booked(session, w)  # R1 250: scheme 800, patient 450
    assert inv.id is not None
    return w, inv, inv.id


def _staff(session: Session, w: bw.World):  # type: ignore[no-untyped-def]
    return bw.principal(session, w.billing_user)


def test_submit_approve_and_pay_in_full(session: Session, heard: list[events.DomainEvent]) -> None:
    w, inv, inv_id = _setup(session)
    staff = _staff(session, w)
    claim = claims.submit_claim(session=session, principal=staff, invoice_id=inv_id)
    assert claim.id is not None and claim.status is ClaimStatus.SUBMITTED
    assert claim.claimed_amount == D("800.00") and claim.scheme_id == w.scheme.id
    assert claim.claim_number == f"CLM-I{inv_id}-1" and claim.submitted_at is not None
    with pytest.raises(BillingError) as twice:
        claims.submit_claim(session=session, principal=staff, invoice_id=inv_id)
    assert twice.value.code == "claim_exists"
    claims.decide_claim(session=session, principal=staff, claim_id=claim.id, approved_amount="800.00")
    assert claim.status is ClaimStatus.APPROVED and claim.decided_at is not None
    assert (inv.medical_aid_portion, inv.patient_portion) == (D("800.00"), D("450.00"))
    pay = claims.mark_claim_paid(
        session=session, principal=staff, claim_id=claim.id, paid_amount="800", reference="EFT-SCHEME-1"
    )
    assert pay.method is PaymentMethod.INSURANCE and pay.status is PaymentStatus.COMPLETED
    assert pay.claim_id == claim.id and pay.provider == w.scheme.code and pay.receipt_number
    assert claim.status is ClaimStatus.PAID and claim.paid_amount == D("800.00") and claim.paid_at
    assert (inv.amount_paid, inv.status) == (D("800.00"), InvoiceStatus.PARTIALLY_PAID)
    assert patient_balance(session, invoice=inv) == D("450.00")  # the scheme's money is not the patient's
    payments.record_payment(session=session, principal=staff, invoice_id=inv_id, amount="450", method="cash")
    assert (inv.amount_paid, inv.status) == (D("1250.00"), InvoiceStatus.PAID) and inv.paid_at
    assert not [e for e in heard if e.name == "claim_updated"]
    session.commit()
    updates = [e for e in heard if e.name == "claim_updated"]
    assert len(updates) == 3 and dict(updates[0].ids)["claim_id"] == claim.id
    assert len([e for e in heard if e.name == "payment_received"]) == 2
    assert len(session.exec(select(AuditLog).where(AuditLog.resource_type == "claim")).all()) == 3


def test_partial_approval_moves_the_rest_to_the_patient(session: Session) -> None:
    w, inv, inv_id = _setup(session)
    staff = _staff(session, w)
    claim = claims.submit_claim(session=session, principal=staff, invoice_id=inv_id)
    assert claim.id is not None
    with pytest.raises(BillingError):
        claims.decide_claim(session=session, principal=staff, claim_id=claim.id, approved_amount="800.01")
    claims.decide_claim(
        session=session, principal=staff, claim_id=claim.id, approved_amount="600.00", reason="Tariff 2026"
    )
    assert claim.status is ClaimStatus.PARTIALLY_APPROVED and claim.approved_amount == D("600.00")
    assert (inv.medical_aid_portion, inv.patient_portion, inv.total) == (D("600"), D("650"), D("1250"))
    assert patient_balance(session, invoice=inv) == D("650.00")
    with pytest.raises(BillingError) as again:
        claims.decide_claim(session=session, principal=staff, claim_id=claim.id, denied=True, reason="x")
    assert again.value.code == "claim_decided"
    with pytest.raises(BillingError):
        claims.mark_claim_paid(session=session, principal=staff, claim_id=claim.id, paid_amount="600.01")
    # The scheme remits 550 of the 600 approved: the 50 unpaid moves to the patient too.
    claims.mark_claim_paid(session=session, principal=staff, claim_id=claim.id, paid_amount="550")
    assert (inv.medical_aid_portion, inv.patient_portion) == (D("550.00"), D("700.00"))
    assert inv.amount_paid == D("550.00") and patient_balance(session, invoice=inv) == D("700.00")
    with pytest.raises(BillingError) as paid_twice:
        claims.mark_claim_paid(session=session, principal=staff, claim_id=claim.id, paid_amount="1")
    assert paid_twice.value.code == "claim_not_payable"


def test_denied_claim_becomes_the_patients_balance(session: Session) -> None:
    w, inv, inv_id = _setup(session)
    staff = _staff(session, w)
    payments.record_payment(session=session, principal=staff, invoice_id=inv_id, amount="450", method="cash")
    claim = claims.submit_claim(session=session, principal=staff, invoice_id=inv_id)
    assert claim.id is not None
    with pytest.raises(BillingError) as no_reason:
        claims.decide_claim(session=session, principal=staff, claim_id=claim.id, denied=True)
    assert no_reason.value.code == "reason_required"
    with pytest.raises(BillingError):
        claims.decide_claim(session=session, principal=staff, claim_id=claim.id)
    claims.decide_claim(
        session=session, principal=staff, claim_id=claim.id, denied=True, reason="No pre-authorisation"
    )
    assert claim.status is ClaimStatus.DENIED and claim.denial_reason == "No pre-authorisation"
    assert (inv.medical_aid_portion, inv.patient_portion) == (D("0.00"), D("1250.00"))
    assert patient_balance(session, invoice=inv) == D("800.00")
    assert inv.status is InvoiceStatus.PARTIALLY_PAID
    with pytest.raises(BillingError) as paid:
        claims.mark_claim_paid(session=session, principal=staff, claim_id=claim.id, paid_amount="1")
    assert paid.value.code == "claim_not_payable"
    with pytest.raises(BillingError) as nothing:
        claims.submit_claim(session=session, principal=staff, invoice_id=inv_id)
    assert nothing.value.code == "nothing_to_claim"
    payments.record_payment(session=session, principal=staff, invoice_id=inv_id, amount="800", method="card")
    assert inv.status is InvoiceStatus.PAID


def test_claims_use_the_annual_limit(session: Session) -> None:
    w, _, inv_id = _setup(session)
    assert w.service.id is not None and w.patient.id is not None
    staff = _staff(session, w)
    before = pricing.quote(session=session, service_id=w.service.id, patient_id=w.patient.id, on=bw.ON)
    assert before.annual_limit_remaining == D("19200.00")  # the booked invoice's unclaimed 800
    claim = claims.submit_claim(session=session, principal=staff, invoice_id=inv_id)
    assert claim.id is not None
    claims.decide_claim(session=session, principal=staff, claim_id=claim.id, approved_amount="500")
    after = pricing.quote(session=session, service_id=w.service.id, patient_id=w.patient.id, on=bw.ON)
    assert after.annual_limit_remaining == D("19500.00")


def test_private_and_lapsed_members_cannot_claim(session: Session) -> None:
    w = bw.world(session)
    staff = _staff(session, w)
    _, private = bw.booked(session, w, patient=w.private_patient)
    assert private.id is not None
    with pytest.raises(BillingError) as nothing:
        claims.submit_claim(session=session, principal=staff, invoice_id=private.id)
    assert nothing.value.code == "nothing_to_claim"
    _, inv = bw.booked(session, w, patient=w.other_patient)
    assert inv.id is not None
    for m in session.exec(
        select(bw.MedicalAidMembership).where(bw.MedicalAidMembership.patient_id == w.other_patient.id)
    ):
        m.status = MembershipStatus.SUSPENDED
        session.add(m)
    session.flush()
    with pytest.raises(BillingError) as lapsed:
        claims.submit_claim(session=session, principal=staff, invoice_id=inv.id)
    assert lapsed.value.code == "no_membership"


def test_who_may_claim(session: Session) -> None:
    w, _, inv_id = _setup(session)
    for user, code in [
        (w.desk_user, "DASH_002"),
        (w.patient_user, "DASH_002"),
        (w.other_billing_user, "DASH_006"),
    ]:
        with pytest.raises(AccessDenied) as err:
            claims.submit_claim(session=session, principal=bw.principal(session, user), invoice_id=inv_id)
        assert err.value.code.value.code == code
    admin = bw.principal(session, w.admin_user)
    claim = claims.submit_claim(session=session, principal=admin, invoice_id=inv_id)
    assert claim.id is not None
    with pytest.raises(AccessDenied):
        claims.decide_claim(
            session=session,
            principal=bw.principal(session, w.other_billing_user),
            claim_id=claim.id,
            approved_amount="1",
        )
    with pytest.raises(AccessDenied):
        claims.decide_claim(session=session, principal=admin, claim_id=10**9, approved_amount="1")
    assert claim.status is ClaimStatus.SUBMITTED
