"""Invoices: one per appointment with the quote's numbers; the payment summary; the list.

Invoice lines keep what was quoted at booking (the covered part and, separately, the
shortfall above the scheme's tariff); the invoice's portions follow later claim decisions.
Payments are in services/payments.py, claims in services/claims.py, the shared figures in
services/invoice_figures.py.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlmodel import Session, select

from mediconnect.core import audit, events, policy
from mediconnect.core.errors import AccessDenied, DashErrorCode
from mediconnect.core.policy import Action, Principal
from mediconnect.models.appointments import Appointment
from mediconnect.models.base import utcnow
from mediconnect.models.billing import Invoice, InvoiceLine, InvoiceStatus
from mediconnect.models.catalog import Service
from mediconnect.models.clinics import Clinic
from mediconnect.models.patients import MedicalAidScheme
from mediconnect.models.users import Role
from mediconnect.services import pricing
from mediconnect.services.invoice_figures import (
    BillingError,
    invoice_json,
    latest_claim,
    summary_lines,
)

# The billing list lives in its own module; re-exported so callers find it with the rest.
from mediconnect.services.invoice_list import list_invoices as list_invoices
from mediconnect.services.pricing import ZERO, Quote, active_membership, authorisation_status, money
from mediconnect.services.zones import clinic_zone

# Line kinds, by the end of the description: they let the summary tell the shortfall from the
# co-payment later. Seeded (older) invoices have one untagged line per service.
COVERED_TAG = " (covered)"
SHORTFALL_TAG = " (shortfall)"
PRIVATE_TAG = " (private account)"


def clinic_day(session: Session, *, clinic_id: int | None, at: datetime) -> date:
    """``at`` as a date in the clinic's timezone."""
    clinic = session.get(Clinic, clinic_id) if clinic_id is not None else None
    return at.astimezone(clinic_zone(clinic)).date()


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
    for line in quote_lines(quote, service.name if service else quote.service_name):
        line.invoice_id = invoice.id
        session.add(line)
    session.flush()
    _audit_system(session, appointment, invoice, audit.AuditAction.CREATE, appointment.booked_by_id)
    return invoice


def _audit_system(
    session: Session, appointment: Appointment, invoice: Invoice, action: str, user_id: int | None
) -> None:
    """Invoices made or cancelled as part of a booking step, by whoever took that step."""
    audit.record(
        session,
        principal_or_user_id=user_id,
        action=action,
        patient_id=invoice.patient_id,
        resource_type="invoice",
        resource_id=invoice.id,
        detail=f"{invoice.number} for appointment {appointment.id}",
    )


def _describe(name: str, tail: str) -> str:
    return name[: 200 - len(tail)] + tail


def quote_lines(q: Quote, name: str) -> list[InvoiceLine]:
    """The quote as invoice lines: the covered part, and the shortfall above the tariff.

    The lines keep the numbers quoted at booking; a later claim decision changes only the
    invoice's portions, so the difference is what the claim moved to the patient.
    """
    if q.is_private:
        return [_line(q, _describe(name, PRIVATE_TAG), q.price, ZERO, q.price)]
    covered = q.price - q.shortfall
    lines = []
    if covered > 0:
        lines.append(
            _line(
                q,
                _describe(name, f": {(q.scheme_name or 'medical aid')[:60]}{COVERED_TAG}"),
                covered,
                q.medical_aid_portion,
                q.co_payment,
            )
        )
    if q.shortfall > 0:
        lines.append(_line(q, _describe(name, SHORTFALL_TAG), q.shortfall, ZERO, q.shortfall))
    return lines


def _line(q: Quote, description: str, amount: Decimal, aid: Decimal, patient: Decimal) -> InvoiceLine:
    return InvoiceLine(
        service_id=q.service_id,
        description=description,
        quantity=1,
        unit_price=amount,
        amount=amount,
        medical_aid_amount=aid,
        patient_amount=patient,
    )


# --------------------------------------------------------------------------- reading

QUOTE_ROLES = frozenset({Role.ADMIN, Role.PATIENT, Role.CLINIC_STAFF, Role.BILLING_STAFF})


def quote_for(
    *, session: Session, principal: Principal, service_id: int | None, patient_id: int | None, on: date
) -> Quote:
    """A quote for the caller: a patient for themself; staff for a patient of theirs. Audited
    (it reads the patient's medical aid cover and what they have used this year)."""
    if principal.role not in QUOTE_ROLES:
        raise AccessDenied(DashErrorCode.DASH_002, f"role {principal.role.value} may not request quotes")
    if patient_id is None:
        if principal.patient_id is None:
            raise BillingError("patient_required", "Say which patient the quote is for.", field="patient_id")
        patient_id = principal.patient_id
    policy.require_patient(session, principal=principal, patient_id=patient_id, action=Action.READ)
    if service_id is None:
        raise BillingError("service_required", "Choose the service to quote.", field="service_id")
    try:
        result = pricing.quote(session=session, service_id=service_id, patient_id=patient_id, on=on)
    except pricing.PricingError as exc:
        raise BillingError(exc.code, exc.message, field="service_id") from None
    audit.record(
        session,
        principal_or_user_id=principal,
        action=audit.AuditAction.VIEW,
        patient_id=patient_id,
        resource_type="quote",
        resource_id=service_id,
        detail=f"quote for {on.isoformat()}",
    )
    return result


def _today(session: Session, invoice: Invoice) -> date:
    return clinic_day(session, clinic_id=invoice.clinic_id, at=utcnow())


def _breakdown(session: Session, invoice: Invoice) -> dict[str, str | None]:
    """Shortfall and co-payment as quoted (from the lines), and what claims moved since.

    An invoice whose lines do not carry the kinds (seeded, older ones) has no known split of
    the patient's part: shortfall and co-payment are then None, the portions still stand."""
    lines = session.exec(select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id)).all()
    tags = (COVERED_TAG, SHORTFALL_TAG, PRIVATE_TAG)
    known = bool(lines) and all(ln.description.endswith(tags) for ln in lines)
    shortfall = sum((ln.patient_amount for ln in lines if ln.description.endswith(SHORTFALL_TAG)), ZERO)
    co_payment = sum((ln.patient_amount for ln in lines if ln.description.endswith(COVERED_TAG)), ZERO)
    quoted_patient = sum((ln.patient_amount for ln in lines), ZERO)
    return {
        "shortfall": money(shortfall) if known else None,
        "co_payment": money(co_payment) if known else None,
        "quoted_medical_aid_portion": money(sum((ln.medical_aid_amount for ln in lines), ZERO)),
        "moved_to_patient_by_claim": money(max(ZERO, invoice.patient_portion - quoted_patient)),
    }


def _authorisation(session: Session, invoice: Invoice, service_id: int | None) -> str | None:
    """Whether the scheme needs (and has given) pre-authorisation for this visit."""
    if invoice.patient_id is None or service_id is None or invoice.medical_aid_portion <= 0:
        return None if invoice.medical_aid_portion <= 0 else "not_required"
    found = active_membership(session, patient_id=invoice.patient_id, on=invoice.due_date)
    if found is None:
        return None
    membership, scheme = found
    return authorisation_status(
        session,
        membership=membership,
        scheme=scheme,
        service_id=service_id,
        price=invoice.total,
        on=invoice.due_date,
    )


def payment_summary(*, session: Session, principal: Principal, appointment_id: int) -> dict[str, Any]:
    """What the payment-summary page shows for an appointment: the invoice's numbers. Audited."""
    policy.require_payment_summary(session, principal=principal, appointment_id=appointment_id)
    invoice = session.exec(select(Invoice).where(Invoice.appointment_id == appointment_id)).first()
    appointment = session.get(Appointment, appointment_id)
    assert appointment is not None
    service = session.get(Service, appointment.service_id) if appointment.service_id else None
    if invoice is None or invoice.id is None:
        # Appointments from before online booking (or walk-ins not yet billed) have no invoice.
        audit.record(
            session,
            principal_or_user_id=principal,
            action=audit.AuditAction.VIEW,
            patient_id=appointment.patient_id,
            resource_type="payment_summary",
            resource_id=f"appointment:{appointment_id}",
        )
        return {
            "appointment_id": appointment_id,
            "invoice_id": None,
            "status": "not_invoiced",
            "service": service.name if service else None,
            "price": money(appointment.price),
            "scheduled_start": appointment.scheduled_start.isoformat(),
            "payments": [],
            "message": "No invoice has been issued for this appointment yet.",
        }
    data = invoice_json(session, invoice=invoice, today=_today(session, invoice))
    claim = latest_claim(session, invoice_id=invoice.id)
    scheme = session.get(MedicalAidScheme, claim.scheme_id) if claim and claim.scheme_id else None
    data.update(_breakdown(session, invoice))
    data.update(
        {
            "appointment_id": appointment_id,
            "service": service.name if service else data["service"],
            "scheduled_start": appointment.scheduled_start.isoformat(),
            "patient_due_date": invoice.due_date.isoformat(),
            "scheme_name": scheme.name if scheme else None,
            "authorisation_status": _authorisation(session, invoice, appointment.service_id),
            "claim_status": claim.status.value if claim else None,
            "claim_expected_by": (claim.submitted_at + timedelta(days=scheme.claim_turnaround_days))
            .date()
            .isoformat()
            if claim and scheme
            else None,
        }
    )
    data["lines"] = summary_lines(data)
    audit.record(
        session,
        principal_or_user_id=principal,
        action=audit.AuditAction.VIEW,
        patient_id=invoice.patient_id,
        resource_type="payment_summary",
        resource_id=invoice.id,
    )
    return data


def get_invoice(*, session: Session, principal: Principal, invoice_id: int) -> dict[str, Any]:
    """One invoice with its claim and payments (the invoice's readers: billing staff, admin, the
    patient, the doctor it names). The desk sees the same numbers through payment_summary. Audited."""
    policy.require_invoice(session, principal=principal, invoice_id=invoice_id, action=Action.READ)
    invoice = session.get(Invoice, invoice_id)
    assert invoice is not None
    data = invoice_json(session, invoice=invoice, today=_today(session, invoice))
    data.update(_breakdown(session, invoice))
    audit.record(
        session,
        principal_or_user_id=principal,
        action=audit.AuditAction.VIEW,
        patient_id=invoice.patient_id,
        resource_type="invoice",
        resource_id=invoice_id,
    )
    return data


def cancel_invoice_for_appointment(*, session: Session, appointment: Appointment) -> Invoice | None:
    """The appointment was cancelled: so is its invoice (called by lifecycle.cancel inside its
    transaction; flushes). It no longer counts as owed, nor against the annual limit. Payments
    already taken stay on it, for billing staff to refund; a submitted claim is left for them
    to withdraw with the scheme."""
    invoice = session.exec(select(Invoice).where(Invoice.appointment_id == appointment.id)).first()
    if invoice is None or invoice.status is InvoiceStatus.CANCELLED:
        return invoice
    invoice.status, invoice.cancelled_at = InvoiceStatus.CANCELLED, utcnow()
    session.add(invoice)
    session.flush()
    _audit_system(session, appointment, invoice, "cancel", appointment.cancelled_by_id)
    events.publish(session, "invoice_updated", invoice_id=invoice.id, clinic_id=invoice.clinic_id)
    return invoice
