"""Invoices made at booking, the payment summary and the billing list."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import Session, select

from mediconnect.models.billing import InvoiceLine, InvoiceStatus
from mediconnect.services import billing, pricing
from tests.services import billing_world as bw

D = Decimal


def test_invoice_carries_the_quote(session: Session) -> None:
    w = bw.world(session)
    appt, inv = bw.booked(session, w)
    assert inv.number.startswith("INV-") and inv.number.endswith(f"-{appt.id:06d}")
    assert len(inv.number) <= 24 and inv.number[4].isalpha()  # seeded ones are INV-<yyyy>-...
    assert (inv.total, inv.medical_aid_portion, inv.patient_portion) == (
        D("1250.00"),
        D("800.00"),
        D("450.00"),
    )
    assert inv.amount_paid == D("0.00") and inv.status is InvoiceStatus.SENT
    assert inv.appointment_id == appt.id and inv.patient_id == w.patient.id and inv.clinic_id == w.clinic.id
    # 07:00 UTC+n on 15 June is 15 June in Johannesburg.
    assert inv.due_date == date(2026, 6, 15)
    line = session.exec(select(InvoiceLine).where(InvoiceLine.invoice_id == inv.id)).one()
    assert (line.amount, line.medical_aid_amount, line.patient_amount) == (
        D("1250.00"),
        D("800.00"),
        D("450.00"),
    )
    assert line.description == w.service.name and line.service_id == w.service.id


def test_invoice_refuses_a_quote_for_another_service(session: Session) -> None:
    w = bw.world(session)
    other = bw.service(session)
    appt = bw.appointment(session, patient=w.patient, clinic=w.clinic, service=w.service)
    assert other.id is not None and w.patient.id is not None
    q = pricing.quote(session=session, service_id=other.id, patient_id=w.patient.id, on=bw.ON)
    with pytest.raises(ValueError):
        billing.create_invoice_for_appointment(session=session, appointment=appt, quote=q)
