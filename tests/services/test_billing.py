"""Invoices made at booking, the payment summary and the billing list."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlmodel import Session, col, select

from mediconnect.core.errors import AccessDenied
from mediconnect.models.audit import AuditLog
from mediconnect.models.billing import ClaimStatus, InvoiceLine, InvoiceStatus
from mediconnect.models.users import Role
from mediconnect.services import billing, claims, payments, pricing
from mediconnect.services.invoice_figures import BillingError, ageing_bucket
from tests.core import factories
from tests.services import billing_world as bw

D = Decimal


def _lines(session: Session, invoice_id: int | None) -> list[tuple[str, Decimal, Decimal, Decimal]]:
    rows = session.exec(
        select(InvoiceLine).where(InvoiceLine.invoice_id == invoice_id).order_by(col(InvoiceLine.id))
    ).all()
    return [(r.description, r.amount, r.medical_aid_amount, r.patient_amount) for r in rows]


def _audited(session: Session, resource_type: str, user_id: int | None) -> list[AuditLog]:
    return list(
        session.exec(
            select(AuditLog).where(AuditLog.resource_type == resource_type, AuditLog.user_id == user_id)
        ).all()
    )


def test_invoice_carries_the_quote(session: Session) -> None:
    w = bw.world(session)
    appt, inv = bw.booked(session, w)
    assert inv.number.startswith("INV-") and inv.number.endswith(f"-{appt.id:06d}")
    assert len(inv.number) <= 24 and inv.number[4].isalpha()  # seeded ones are INV-<yyyy>-...
    assert (inv.total, inv.medical_aid_portion, inv.patient_portion) == (D("1250"), D("800"), D("450"))
    assert inv.amount_paid == D("0.00") and inv.status is InvoiceStatus.SENT
    assert inv.appointment_id == appt.id and inv.patient_id == w.patient.id and inv.clinic_id == w.clinic.id
    assert inv.due_date == date(2026, 6, 15)  # the appointment's day in Johannesburg
    [row] = session.exec(select(AuditLog).where(AuditLog.resource_type == "invoice")).all()
    assert (row.action, row.patient_id, row.resource_id) == ("create", w.patient.id, str(inv.id))
    name, scheme = w.service.name, w.scheme.name
    assert _lines(session, inv.id) == [
        (f"{name}: {scheme} (covered)", D("1000.00"), D("800.00"), D("200.00")),
        (f"{name} (shortfall)", D("250.00"), D("0.00"), D("250.00")),
    ]


def test_private_and_not_covered_invoices(session: Session) -> None:
    w = bw.world(session)
    _, inv = bw.booked(session, w, patient=w.private_patient)
    assert _lines(session, inv.id) == [(f"{w.service.name} (private account)", D("1250"), D("0"), D("1250"))]
    assert (inv.medical_aid_portion, inv.patient_portion) == (D("0.00"), D("1250.00"))
    svc = bw.service(session, name="Dental CT")
    bw.tariff(session, scheme=w.scheme, service=svc, cap="900.00", covered=False)
    appt = bw.appointment(session, patient=w.patient, clinic=w.clinic, service=svc)
    assert svc.id is not None and w.patient.id is not None
    q = pricing.quote(session=session, service_id=svc.id, patient_id=w.patient.id, on=bw.ON)
    inv2 = billing.create_invoice_for_appointment(session=session, appointment=appt, quote=q)
    assert _lines(session, inv2.id) == [("Dental CT (shortfall)", D("1250"), D("0"), D("1250"))]


def test_invoice_refuses_a_quote_for_another_service(session: Session) -> None:
    w = bw.world(session)
    other = bw.service(session)
    appt = bw.appointment(session, patient=w.patient, clinic=w.clinic, service=w.service)
    assert other.id is not None and w.patient.id is not None
    q = pricing.quote(session=session, service_id=other.id, patient_id=w.patient.id, on=bw.ON)
    with pytest.raises(ValueError):
        billing.create_invoice_for_appointment(session=session, appointment=appt, quote=q)


def test_payment_summary_for_the_patient(session: Session) -> None:
    w = bw.world(session)
    appt, inv = bw.booked(session, w)
    assert appt.id is not None and inv.id is not None
    desk = bw.principal(session, w.desk_user)
    payments.record_payment(
        session=session, principal=desk, invoice_id=inv.id, amount="150.00", method="cash"
    )
    me = bw.principal(session, w.patient_user)
    s = billing.payment_summary(session=session, principal=me, appointment_id=appt.id)
    assert s["service"] == w.service.name and s["price"] == "1250.00"
    assert (s["medical_aid_portion"], s["shortfall"], s["co_payment"]) == ("800.00", "250.00", "200.00")
    assert (s["patient_portion"], s["patient_paid"], s["balance"]) == ("450.00", "150.00", "300.00")
    assert s["status"] == "partially_paid" and s["patient_due_date"] == "2026-06-15"
    assert s["authorisation_status"] == "not_required" and s["claim_status"] is None
    assert [p["amount"] for p in s["payments"]] == ["150.00"] and s["payments"][0]["receipt_number"]
    assert "Your part is R450.00; you have paid R150.00." in s["lines"]
    assert "R300.00 is due by 2026-06-15." in s["lines"]
    assert _audited(session, "payment_summary", w.patient_user.id)


def test_payment_summary_after_a_denied_claim(session: Session) -> None:
    w = bw.world(session)
    appt, inv = bw.booked(session, w)
    assert appt.id is not None and inv.id is not None
    staff = bw.principal(session, w.billing_user)
    claim = claims.submit_claim(session=session, principal=staff, invoice_id=inv.id)
    assert claim.id is not None
    claims.decide_claim(session=session, principal=staff, claim_id=claim.id, denied=True, reason="No cover")
    s = billing.payment_summary(session=session, principal=staff, appointment_id=appt.id)
    assert s["claim_status"] == "denied" and s["claim"]["denial_reason"] == "No cover"
    assert (s["medical_aid_portion"], s["patient_portion"], s["balance"]) == ("0.00", "1250.00", "1250.00")
    assert s["moved_to_patient_by_claim"] == "800.00" and s["quoted_medical_aid_portion"] == "800.00"
    assert s["scheme_name"] == w.scheme.name
    assert any("did not pay R800.00" in line for line in s["lines"])
    assert s["claim_expected_by"] is not None  # submitted + the scheme's turnaround
    assert not any("expected by" in line for line in s["lines"])  # denied: nothing is coming


def test_payment_summary_authorisation_flag(session: Session) -> None:
    w = bw.world(session)
    svc = bw.service(session)
    bw.tariff(session, scheme=w.scheme, service=svc, cap="1000.00", requires_authorisation=True)
    appt = bw.appointment(session, patient=w.patient, clinic=w.clinic, service=svc)
    assert svc.id is not None and w.patient.id is not None and appt.id is not None
    q = pricing.quote(session=session, service_id=svc.id, patient_id=w.patient.id, on=bw.ON)
    billing.create_invoice_for_appointment(session=session, appointment=appt, quote=q)
    me = bw.principal(session, w.patient_user)
    assert (
        billing.payment_summary(session=session, principal=me, appointment_id=appt.id)["authorisation_status"]
        == "required"
    )


def test_payment_summary_who_may(session: Session) -> None:
    w = bw.world(session)
    appt, _ = bw.booked(session, w)
    assert appt.id is not None
    allowed = [w.patient_user, w.desk_user, w.billing_user, w.admin_user]
    for user in allowed:
        billing.payment_summary(
            session=session, principal=bw.principal(session, user), appointment_id=appt.id
        )
    refused = [
        (w.other_user, "DASH_006"),
        (w.other_desk_user, "DASH_006"),
        (w.other_billing_user, "DASH_006"),
        (factories.doctor(session, clinics=(w.clinic,))[0], "DASH_002"),
        (factories.user(session, Role.ANALYTICS_STAFF), "DASH_002"),
    ]
    for user, code in refused:
        with pytest.raises(AccessDenied) as err:
            billing.payment_summary(
                session=session, principal=bw.principal(session, user), appointment_id=appt.id
            )
        assert err.value.code.value.code == code
    # An appointment without an invoice, and one that does not exist.
    bare = bw.appointment(session, patient=w.patient, clinic=w.clinic, service=w.service)
    assert bare.id is not None
    admin = bw.principal(session, w.admin_user)
    none = billing.payment_summary(session=session, principal=admin, appointment_id=bare.id)
    assert none["status"] == "not_invoiced" and none["invoice_id"] is None and none["price"] == "1250.00"
    with pytest.raises(AccessDenied):
        billing.payment_summary(
            session=session, principal=bw.principal(session, w.patient_user), appointment_id=10**9
        )


def test_ageing_buckets() -> None:
    today = date(2026, 6, 30)
    got = [ageing_bucket(today - timedelta(days=d), today) for d in (-5, 0, 30, 31, 60, 61, 90, 91, 400)]
    assert got == ["0-30", "0-30", "0-30", "31-60", "31-60", "61-90", "61-90", "90+", "90+"]


def test_list_invoices_scope_overdue_and_ageing(session: Session) -> None:
    w = bw.world(session)
    _, a = bw.booked(session, w)
    _, b = bw.booked(session, w, patient=w.other_patient)
    _, c = bw.booked(session, w, patient=w.private_patient)
    a.due_date, b.due_date, c.due_date = date(2026, 6, 25), date(2026, 5, 1), date(2026, 1, 1)
    session.add_all([a, b, c])
    session.flush()
    assert c.id is not None
    admin = bw.principal(session, w.admin_user)
    payments.record_payment(
        session=session, principal=admin, invoice_id=c.id, amount="1250.00", method="card"
    )
    today = date(2026, 6, 20)
    staff = bw.principal(session, w.billing_user)
    listed = billing.list_invoices(session=session, principal=staff, today=today)
    assert {i["invoice_id"] for i in listed["items"]} == {a.id, b.id, c.id} and listed["total"] == 3
    by_id = {i["invoice_id"]: i for i in listed["items"]}
    assert by_id[a.id]["ageing_bucket"] == "0-30" and not by_id[a.id]["overdue"]
    assert by_id[b.id]["ageing_bucket"] == "31-60" and by_id[b.id]["overdue"]
    assert by_id[c.id]["ageing_bucket"] is None and by_id[c.id]["status"] == "paid"
    assert listed["ageing"]["0-30"] == {"count": 1, "outstanding": "1250.00"}
    assert listed["ageing"]["31-60"] == {"count": 1, "outstanding": "1250.00"}
    assert listed["ageing"]["90+"] == {"count": 0, "outstanding": "0.00"}
    overdue = billing.list_invoices(session=session, principal=staff, overdue_only=True, today=today)
    assert [i["invoice_id"] for i in overdue["items"]] == [b.id]
    paid = billing.list_invoices(session=session, principal=staff, status="paid", today=today)
    assert [i["invoice_id"] for i in paid["items"]] == [c.id]
    other = billing.list_invoices(session=session, principal=bw.principal(session, w.other_billing_user))
    assert not {i["invoice_id"] for i in other["items"]} & {a.id, b.id, c.id}
    assert _audited(session, "invoice_list", w.billing_user.id)
    with pytest.raises(BillingError):
        billing.list_invoices(session=session, principal=staff, status="bogus")
    with pytest.raises(BillingError):
        billing.list_invoices(session=session, principal=staff, page=0)
    for user in (w.patient_user, w.desk_user):
        with pytest.raises(AccessDenied):
            billing.list_invoices(session=session, principal=bw.principal(session, user))


def test_get_invoice(session: Session) -> None:
    w = bw.world(session)
    _, inv = bw.booked(session, w)
    assert inv.id is not None
    for who in (w.patient_user, w.billing_user, w.admin_user, w.desk_user):  # the desk: its own clinic
        got = billing.get_invoice(session=session, principal=bw.principal(session, who), invoice_id=inv.id)
        assert got["number"] == inv.number and got["shortfall"] == "250.00" and got["balance"] == "450.00"
    for user in (w.other_user, w.other_billing_user):
        with pytest.raises(AccessDenied):
            billing.get_invoice(session=session, principal=bw.principal(session, user), invoice_id=inv.id)


def test_cancelled_appointment_cancels_its_invoice(session: Session) -> None:
    w = bw.world(session)
    _, p = bw.patient(session)
    m = bw.membership(session, patient=p, scheme=w.scheme)
    bw.used_claim(session, membership=m, patient=p, clinic=w.clinic, claimed="19000", approved="19000",
                  status=ClaimStatus.APPROVED)  # fmt: skip
    appt, inv = bw.booked(session, w, patient=p)  # takes 800 of the 1 000 left
    assert w.service.id is not None and p.id is not None and inv.id is not None
    remaining = pricing.quote(session=session, service_id=w.service.id, patient_id=p.id, on=bw.ON)
    assert remaining.annual_limit_remaining == D("200.00")
    assert billing.cancel_invoice_for_appointment(session=session, appointment=appt) is inv
    assert inv.status is InvoiceStatus.CANCELLED and inv.cancelled_at is not None
    after = pricing.quote(session=session, service_id=w.service.id, patient_id=p.id, on=bw.ON)
    assert after.annual_limit_remaining == D("1000.00")
    with pytest.raises(BillingError) as err:
        desk = bw.principal(session, w.desk_user)
        payments.record_payment(
            session=session, principal=desk, invoice_id=inv.id, amount="10", method="cash"
        )
    assert err.value.code == "invoice_not_payable"
    listed = billing.list_invoices(session=session, principal=bw.principal(session, w.billing_user))
    assert listed["ageing"]["0-30"]["count"] == 0
    bare = bw.appointment(session, patient=w.patient, clinic=w.clinic, service=w.service)
    assert billing.cancel_invoice_for_appointment(session=session, appointment=bare) is None
