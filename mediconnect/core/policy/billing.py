"""Billing: invoices, the payment summary of an appointment, and payments at the front desk.

Invoices are billing staff's (``INVOICE_ACTIONS``). Two narrow additions (issue 4), both
through the predicates so lists and single fetches agree:

* the payment summary of an appointment: whoever may read the appointment AND has a billing
  interest in it (the patient, clinic staff at its clinic, billing staff, admin). Doctors and
  referring doctors read appointments for clinical reasons, not their bills.
* the front desk: clinic staff take payments and print receipts for invoices of their own
  clinics' appointments (never refunds or claims, which stay with billing staff and admin).
"""

from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from mediconnect.core.errors import AccessDenied, DashErrorCode
from mediconnect.core.policy.actions import READ_ONLY, READ_WRITE, Action, object_action, require_role
from mediconnect.core.policy.appointments import require_appointment
from mediconnect.core.policy.predicates import id_eq, id_in, is_false, row_matches
from mediconnect.core.policy.principal import Principal
from mediconnect.models.billing import Invoice
from mediconnect.models.users import Role

INVOICE_ACTIONS: Mapping[Role, frozenset[Action]] = {
    Role.ADMIN: READ_WRITE,
    Role.BILLING_STAFF: READ_WRITE,
    Role.DOCTOR: READ_ONLY,
    Role.PATIENT: READ_ONLY,
    Role.CLINIC_STAFF: READ_ONLY,  # the front desk: its own clinics' invoices (it takes payments there)
}

PAYMENT_SUMMARY_ROLES = frozenset({Role.ADMIN, Role.PATIENT, Role.CLINIC_STAFF, Role.BILLING_STAFF})
DESK_PAYMENT_ROLES = frozenset({Role.ADMIN, Role.BILLING_STAFF, Role.CLINIC_STAFF})


def invoice_scope(*, principal: Principal, action: Action | str = Action.READ) -> ColumnElement[bool]:
    """WHERE clause over ``Invoice``."""
    act, p = object_action(action), principal
    if act not in INVOICE_ACTIONS.get(p.role, frozenset()):
        return sa.false()
    if p.role is Role.ADMIN:
        return sa.true()
    if p.role is Role.PATIENT:
        return id_eq(Invoice.patient_id, p.patient_id)
    if p.role is Role.DOCTOR:
        return id_eq(Invoice.doctor_id, p.doctor_id)
    if p.role is Role.BILLING_STAFF:
        return sa.or_(id_in(Invoice.clinic_id, p.clinic_ids), id_in(Invoice.doctor_id, p.billing_doctor_ids))
    if p.role is Role.CLINIC_STAFF:
        return id_in(Invoice.clinic_id, p.clinic_ids)
    return sa.false()


def can_access_invoice(
    session: Session, *, principal: Principal, invoice_id: int, action: Action | str = Action.READ
) -> bool:
    scope = invoice_scope(principal=principal, action=action)
    if is_false(scope):
        return False
    return row_matches(session, Invoice.id, invoice_id, scope)


def require_invoice(
    session: Session, *, principal: Principal, invoice_id: int, action: Action | str = Action.READ
) -> None:
    act = object_action(action)
    require_role(INVOICE_ACTIONS, principal, act, "invoices")
    if not can_access_invoice(session, principal=principal, invoice_id=invoice_id, action=act):
        raise AccessDenied(DashErrorCode.DASH_006, "not associated with this invoice")


def require_invoice_role(*, principal: Principal, action: Action | str) -> None:
    """The role check alone, for routes that find the invoice through a payment or a claim: a
    role that may never do this is told so (DASH_002) before anything is looked up."""
    require_role(INVOICE_ACTIONS, principal, object_action(action), "invoices")


def require_payment_summary(session: Session, *, principal: Principal, appointment_id: int) -> None:
    if principal.role not in PAYMENT_SUMMARY_ROLES:
        raise AccessDenied(
            DashErrorCode.DASH_002, f"role {principal.role.value} may not view payment summaries"
        )
    require_appointment(session, principal=principal, appointment_id=appointment_id, action=Action.READ)


def _desk_invoice(session: Session, principal: Principal, invoice_id: int) -> bool:
    """Clinic staff: an invoice of one of their current clinics."""
    return row_matches(session, Invoice.id, invoice_id, id_in(Invoice.clinic_id, principal.clinic_ids))


def require_desk_payment(session: Session, *, principal: Principal, invoice_id: int) -> None:
    """Take a payment against the invoice: billing staff / admin (invoice write) or the desk."""
    if principal.role not in DESK_PAYMENT_ROLES:
        raise AccessDenied(DashErrorCode.DASH_002, f"role {principal.role.value} may not take payments")
    if principal.role is Role.CLINIC_STAFF:
        if not _desk_invoice(session, principal, invoice_id):
            raise AccessDenied(DashErrorCode.DASH_006, "not associated with this invoice")
        return
    require_invoice(session, principal=principal, invoice_id=invoice_id, action=Action.WRITE)
