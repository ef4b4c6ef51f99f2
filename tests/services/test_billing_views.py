"""The billing pages' read side (services/billing_views.py): who sees which invoices and
claims, search, totals and ageing, and the invoice page's lines, refunds and refundable
amounts, on figures worked out by hand from billing_world (R1 250: aid R800, patient R450)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlmodel import Session, select

from mediconnect.core.errors import AccessDenied
from mediconnect.models.audit import AuditLog
from mediconnect.services import billing_views, claims, claims_views, payments
from tests.services import billing_world as bw

D = Decimal


def _views(session: Session, user, **kw):  # type: ignore[no-untyped-def]
    return billing_views.list_invoices(session=session, principal=bw.principal(session, user), **kw)


def test_list_is_scoped_searchable_and_totalled(session: Session) -> None:
    w = bw.world(session)
    _, mine = bw.booked(session, w)
    _, theirs = bw.booked(session, w, patient=w.other_patient)
    billing = bw.principal(session, w.billing_user)
    payments.record_payment(
        session=session, principal=billing, invoice_id=mine.id, amount="150.00", method="cash"
    )

    found = _views(session, w.billing_user, today=date(2026, 6, 20))
    numbers = {i["number"] for i in found["items"]}
    assert {mine.number, theirs.number} <= numbers
    row = next(i for i in found["items"] if i["invoice_id"] == mine.id)
    assert row["patient_name"] == f"{w.patient.first_name} {w.patient.last_name}"
    assert row["clinic_name"] == w.clinic.name and row["service"].startswith(w.service.name)
    assert (row["amount_paid"], row["outstanding"], row["balance"]) == ("150.00", "1100.00", "300.00")
    assert row["ageing_bucket"] == "0-30" and row["overdue"] is True  # due 15 June, today 20 June

    # Search by patient name or invoice number narrows the list and its totals.
    by_name = _views(session, w.billing_user, search=w.other_patient.last_name, today=date(2026, 6, 20))
    assert [i["invoice_id"] for i in by_name["items"]] == [theirs.id]
    assert by_name["totals"]["total"] == "1250.00" and by_name["totals"]["outstanding"] == "1250.00"
    by_number = _views(session, w.billing_user, search=mine.number)
    assert [i["invoice_id"] for i in by_number["items"]] == [mine.id]
    assert by_number["totals"] == {
        "total": "1250.00",
        "amount_paid": "150.00",
        "outstanding": "1100.00",
        "ageing": by_number["totals"]["ageing"],
    }

    # Ageing: 70 days past due is the 61-90 bucket; overdue_only keeps only what is late.
    late = _views(session, w.billing_user, search=mine.number, today=date(2026, 6, 15) + timedelta(days=70))
    assert late["totals"]["ageing"]["61-90"] == "1100.00"
    assert _views(session, w.billing_user, overdue_only=True, today=date(2026, 6, 1))["total"] == 0

    # Billing staff of another clinic see none of it; a patient sees their own only.
    assert _views(session, w.other_billing_user)["total"] == 0
    own = _views(session, w.patient_user, with_payments=True)
    assert [i["invoice_id"] for i in own["items"]] == [mine.id]
    assert [p["amount"] for p in own["items"][0]["payments"]] == ["150.00"]
    assert own["items"][0]["payments"][0]["receipt_number"]
    # Clinic staff and analysts do not list invoices.
    with pytest.raises(AccessDenied) as refused:
        _views(session, w.desk_user)
    assert refused.value.code.code == "DASH_002"
    # Every list is on the record.
    listed = session.exec(select(AuditLog).where(AuditLog.resource_type == "invoice_list")).all()
    assert len(listed) >= 6


def test_invoice_detail_has_lines_refunds_and_what_is_refundable(session: Session) -> None:
    w = bw.world(session)
    _, inv = bw.booked(session, w)
    billing = bw.principal(session, w.billing_user)
    paid = payments.record_payment(
        session=session, principal=billing, invoice_id=inv.id, amount="200.00", method="card"
    )
    payments.refund(
        session=session, principal=billing, payment_id=paid.id, amount="50.00", reason="Overcharged"
    )

    data = billing_views.invoice_detail(session=session, principal=billing, invoice_id=inv.id)
    assert data["patient_name"] == f"{w.patient.first_name} {w.patient.last_name}"
    assert data["clinic_name"] == w.clinic.name and data["timezone"] == w.clinic.timezone
    assert sum(D(line["amount"]) for line in data["lines"]) == D("1250.00")
    assert [(r["amount"], r["reason"]) for r in data["refunds"]] == [("50.00", "Overcharged")]
    (payment,) = data["payments"]
    assert (payment["refunded"], payment["refundable"]) == ("50.00", "150.00")
    assert data["balance"] == "300.00" and data["can_submit_claim"] is True

    # Once claimed, no second claim is offered.
    claims.submit_claim(session=session, principal=billing, invoice_id=inv.id)
    again = billing_views.invoice_detail(session=session, principal=billing, invoice_id=inv.id)
    assert again["can_submit_claim"] is False and again["claim"]["status"] == "submitted"

    # The desk of the clinic reads it; another clinic's desk and billing staff do not.
    desk = billing_views.invoice_detail(
        session=session, principal=bw.principal(session, w.desk_user), invoice_id=inv.id
    )
    assert desk["number"] == inv.number
    for outsider in (w.other_desk_user, w.other_billing_user):
        with pytest.raises(AccessDenied):
            billing_views.invoice_detail(
                session=session, principal=bw.principal(session, outsider), invoice_id=inv.id
            )


def test_claims_list_counts_and_totals_in_scope(session: Session) -> None:
    w = bw.world(session)
    _, a = bw.booked(session, w)
    _, b = bw.booked(session, w, patient=w.other_patient)
    billing = bw.principal(session, w.billing_user)
    first = claims.submit_claim(session=session, principal=billing, invoice_id=a.id)
    claims.submit_claim(session=session, principal=billing, invoice_id=b.id)
    claims.decide_claim(session=session, principal=billing, claim_id=first.id, approved_amount="700.00")

    found = claims_views.list_claims(session=session, principal=billing)
    assert found["total"] == 2
    assert found["by_status"]["submitted"] == 1 and found["by_status"]["partially_approved"] == 1
    assert found["totals"] == {"claimed": "1600.00", "approved": "700.00", "paid": "0.00"}
    partial = claims_views.list_claims(session=session, principal=billing, status="partially_approved")
    (row,) = partial["items"]
    assert row["invoice_number"] == a.number and row["approved_amount"] == "700.00"
    assert row["scheme_name"] == w.scheme.name

    other = claims_views.list_claims(session=session, principal=bw.principal(session, w.other_billing_user))
    assert other["total"] == 0
    with pytest.raises(AccessDenied):
        claims_views.list_claims(session=session, principal=bw.principal(session, w.patient_user))
