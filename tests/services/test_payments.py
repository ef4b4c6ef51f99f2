"""Payments: partial, overpay refused, idempotency, references, refunds, receipts, events, who may."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlmodel import Session, select

from mediconnect.core import events
from mediconnect.core.errors import AccessDenied
from mediconnect.models.audit import AuditLog
from mediconnect.models.billing import Invoice, InvoiceStatus, Payment, PaymentMethod, PaymentStatus, Refund
from mediconnect.services import payments
from mediconnect.services.invoice_figures import BillingError, parse_amount
from mediconnect.services.payment_gateway import DeskProvider, provider_for
from tests.services import billing_world as bw

D = Decimal


@pytest.fixture
def heard() -> Iterator[list[events.DomainEvent]]:
    got: list[events.DomainEvent] = []
    unsubscribe = events.subscribe(got.append)
    yield got
    unsubscribe()


def _setup(session: Session) -> tuple[bw.World, Invoice]:
    w = bw.world(session)
    _, inv = bw.booked(session, w)  # R1 250: scheme 800, patient 450
    return w, inv


def _pay(
    session: Session, w: bw.World, inv: Invoice, amount: str, method: str = "cash", **kw: object
) -> Payment:
    assert inv.id is not None
    desk = bw.principal(session, w.desk_user)
    return payments.record_payment(
        session=session, principal=desk, invoice_id=inv.id, amount=amount, method=method, **kw
    )  # type: ignore[arg-type]


def test_partial_payments_then_paid_in_full(session: Session) -> None:
    w, inv = _setup(session)
    first = _pay(session, w, inv, "200.00")
    assert first.status is PaymentStatus.COMPLETED and first.completed_at is not None
    assert first.receipt_number and first.receipt_number.startswith("RC-") and first.provider == "desk"
    assert first.recorded_by_id == w.desk_user.id and first.patient_id == w.patient.id
    assert (inv.amount_paid, inv.status) == (D("200.00"), InvoiceStatus.PARTIALLY_PAID)
    second = _pay(session, w, inv, "250.00", "card", reference="SLIP-0001")
    assert second.transaction_reference == "SLIP-0001"
    assert (inv.amount_paid, inv.status) == (D("450.00"), InvoiceStatus.PARTIALLY_PAID)  # scheme's 800 due
    with pytest.raises(BillingError) as err:
        _pay(session, w, inv, "0.01")
    assert err.value.code == "overpayment"


def test_overpayment_and_bad_amounts_refused_and_nothing_written(session: Session) -> None:
    w, inv = _setup(session)
    for amount, code in [
        ("450.01", "overpayment"),
        ("0", "invalid_amount"),
        ("-5", "invalid_amount"),
        ("12.345", "invalid_amount"),
        ("abc", "invalid_amount"),
        ("NaN", "invalid_amount"),
    ]:
        with pytest.raises(BillingError) as err:
            _pay(session, w, inv, amount)
        assert err.value.code == code, amount
    with pytest.raises(BillingError) as bad_method:
        _pay(session, w, inv, "10", "insurance")
    assert bad_method.value.code == "invalid_method"
    with pytest.raises(BillingError) as no_ref:
        _pay(session, w, inv, "10", "bank_transfer")
    assert no_ref.value.code == "reference_required"
    assert session.exec(select(Payment).where(Payment.invoice_id == inv.id)).all() == []
    assert inv.amount_paid == D("0.00") and inv.status is InvoiceStatus.SENT
    assert parse_amount(" 10.5 ") == D("10.50") and parse_amount(7) == D("7.00")


def test_idempotency_key_and_duplicate_reference(session: Session) -> None:
    w, inv = _setup(session)
    a = _pay(session, w, inv, "100.00", idempotency_key="key-1")
    again = _pay(session, w, inv, "100.00", idempotency_key="key-1")
    assert again.id == a.id and inv.amount_paid == D("100.00")
    assert len(session.exec(select(Payment).where(Payment.invoice_id == inv.id)).all()) == 1
    with pytest.raises(BillingError) as conflict:
        _pay(session, w, inv, "120.00", idempotency_key="key-1")
    assert conflict.value.code == "idempotency_conflict" and conflict.value.status == 409
    _pay(session, w, inv, "50.00", "mobile_money", reference="MM-77")
    with pytest.raises(BillingError) as dup:
        _pay(session, w, inv, "50.00", "bank_transfer", reference="MM-77")
    assert dup.value.code == "duplicate_reference"


def test_refunds_partial_then_full(session: Session, heard: list[events.DomainEvent]) -> None:
    w, inv = _setup(session)
    pay = _pay(session, w, inv, "450.00", "card")
    assert pay.id is not None
    staff = bw.principal(session, w.billing_user)
    r1 = payments.refund(
        session=session, principal=staff, payment_id=pay.id, amount="100.00", reason="Contrast not used"
    )
    assert r1.reference and r1.reference.startswith("RFD-") and r1.recorded_by_id == w.billing_user.id
    assert pay.status is PaymentStatus.COMPLETED and inv.amount_paid == D("350.00")
    with pytest.raises(BillingError) as over:
        payments.refund(session=session, principal=staff, payment_id=pay.id, amount="350.01", reason="x")
    assert over.value.code == "over_refund"
    with pytest.raises(BillingError) as why:
        payments.refund(session=session, principal=staff, payment_id=pay.id, amount="1", reason="  ")
    assert why.value.code == "reason_required"
    payments.refund(session=session, principal=staff, payment_id=pay.id, amount="350.00", reason="Cancelled")
    assert pay.status is PaymentStatus.REFUNDED and inv.amount_paid == D("0.00")
    assert inv.status is InvoiceStatus.SENT
    assert sum(r.amount for r in session.exec(select(Refund).where(Refund.payment_id == pay.id)).all()) == D(
        "450"
    )
    with pytest.raises(BillingError) as done:
        payments.refund(session=session, principal=staff, payment_id=pay.id, amount="1", reason="x")
    assert done.value.code == "not_refundable"
    assert not [e for e in heard if e.name == "payment_refunded"]  # nothing before commit
    session.commit()
    refunded = [e for e in heard if e.name == "payment_refunded"]
    assert len(refunded) == 2 and dict(refunded[0].ids) == {
        "payment_id": pay.id,
        "invoice_id": inv.id,
        "patient_id": w.patient.id,
        "clinic_id": w.clinic.id,
    }


def test_refund_who_may(session: Session) -> None:
    w, inv = _setup(session)
    pay = _pay(session, w, inv, "100.00")
    assert pay.id is not None
    for user in (w.desk_user, w.patient_user, w.other_billing_user):
        with pytest.raises(AccessDenied):
            payments.refund(
                session=session,
                principal=bw.principal(session, user),
                payment_id=pay.id,
                amount="1",
                reason="x",
            )
    admin = bw.principal(session, w.admin_user)
    payments.refund(session=session, principal=admin, payment_id=pay.id, amount="1", reason="Rounding")
    with pytest.raises(AccessDenied):
        payments.refund(session=session, principal=admin, payment_id=10**9, amount="1", reason="x")


def test_payment_events_after_commit_only(session: Session, heard: list[events.DomainEvent]) -> None:
    w, inv = _setup(session)
    pay = _pay(session, w, inv, "100.00")
    assert not [e for e in heard if e.name in ("payment_received", "invoice_updated")]
    session.commit()
    [received] = [e for e in heard if e.name == "payment_received"]
    assert dict(received.ids) == {
        "payment_id": pay.id,
        "invoice_id": inv.id,
        "patient_id": w.patient.id,
        "clinic_id": w.clinic.id,
    }
    assert f"invoice:{inv.id}" in received.topics
    assert [e for e in heard if e.name == "invoice_updated"]


def test_rolled_back_payment_sends_nothing(session: Session, heard: list[events.DomainEvent]) -> None:
    w, inv = _setup(session)
    session.commit()
    _pay(session, w, inv, "100.00")
    session.rollback()
    assert not [e for e in heard if e.name == "payment_received"]


def test_who_may_take_payments(session: Session) -> None:
    w, inv = _setup(session)
    assert inv.id is not None
    for user in (w.billing_user, w.admin_user, w.desk_user):
        payments.record_payment(
            session=session,
            principal=bw.principal(session, user),
            invoice_id=inv.id,
            amount="10",
            method="cash",
        )
    for user, code in [
        (w.patient_user, "DASH_002"),
        (w.other_desk_user, "DASH_006"),
        (w.other_billing_user, "DASH_006"),
    ]:
        with pytest.raises(AccessDenied) as err:
            payments.record_payment(
                session=session,
                principal=bw.principal(session, user),
                invoice_id=inv.id,
                amount="10",
                method="cash",
            )
        assert err.value.code.value.code == code
    with pytest.raises(AccessDenied):
        payments.record_payment(
            session=session,
            principal=bw.principal(session, w.desk_user),
            invoice_id=10**9,
            amount="10",
            method="cash",
        )
    assert inv.amount_paid == D("30.00")
    rows = session.exec(select(AuditLog).where(AuditLog.resource_type == "payment")).all()
    assert {r.user_id for r in rows} >= {w.billing_user.id, w.admin_user.id, w.desk_user.id}
    assert all(r.patient_id == w.patient.id for r in rows)


def test_receipt(session: Session) -> None:
    w, inv = _setup(session)
    pay = _pay(session, w, inv, "200.00", "card", reference="SLIP-9")
    assert pay.id is not None
    me = bw.principal(session, w.patient_user)
    r = payments.receipt(session=session, principal=me, payment_id=pay.id)
    assert r["receipt_number"] == pay.receipt_number and r["invoice_number"] == inv.number
    assert (r["amount"], r["patient_paid"], r["balance"], r["method"]) == (
        "200.00",
        "200.00",
        "250.00",
        "card",
    )
    assert r["clinic"] == w.clinic.name and r["reference"] == "SLIP-9"
    assert session.exec(
        select(AuditLog).where(AuditLog.resource_type == "receipt", AuditLog.user_id == w.patient_user.id)
    ).first()
    for user in (w.other_user, w.other_desk_user):
        with pytest.raises(AccessDenied):
            payments.receipt(session=session, principal=bw.principal(session, user), payment_id=pay.id)


def test_desk_provider_answers(session: Session) -> None:
    """The desk takes cash and cards at once; transfers need their reference; no insurance."""
    result = DeskProvider().charge(
        amount=D("10"), currency="ZAR", reference=None, method=PaymentMethod.INSURANCE, metadata={}
    )
    assert result.status is PaymentStatus.FAILED and result.failure_reason
    assert (
        provider_for(PaymentMethod.CASH)
        .charge(amount=D("10"), currency="ZAR", reference=None, method=PaymentMethod.CASH, metadata={})
        .status
        is PaymentStatus.COMPLETED
    )
    assert (
        provider_for(PaymentMethod.MOBILE_MONEY)
        .charge(
            amount=D("10"), currency="ZAR", reference=None, method=PaymentMethod.MOBILE_MONEY, metadata={}
        )
        .status
        is PaymentStatus.FAILED
    )


def test_overdue_invoice_stays_overdue_until_paid(session: Session) -> None:
    w, inv = _setup(session)
    inv.status = InvoiceStatus.OVERDUE
    session.add(inv)
    session.flush()
    _pay(session, w, inv, "100.00")
    assert inv.status is InvoiceStatus.OVERDUE and inv.amount_paid == D("100.00")
