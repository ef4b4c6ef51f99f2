"""Patients: who is associated with which patient (``patient_link``), the patient scope and check.

``patient_link`` is the association every other resource builds on (a doctor's patients, a
referring doctor's referrals, billing staff's invoiced patients, ...).
"""

from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from mediconnect.core.errors import AccessDenied, DashErrorCode
from mediconnect.core.policy.actions import ALL_ACTIONS, READ_WRITE, Action, require_role
from mediconnect.core.policy.predicates import id_eq, id_in, is_false, row_matches
from mediconnect.core.policy.principal import Principal
from mediconnect.models.appointments import Appointment
from mediconnect.models.billing import Invoice
from mediconnect.models.patients import Patient
from mediconnect.models.referrals import Referral
from mediconnect.models.reports import Report
from mediconnect.models.users import Role

PATIENT_ACTIONS: Mapping[Role, frozenset[Action]] = {
    Role.ADMIN: ALL_ACTIONS,
    Role.PATIENT: frozenset({Action.READ, Action.WRITE, Action.READ_CLINICAL, Action.BILLING}),
    Role.DOCTOR: frozenset({Action.READ, Action.WRITE, Action.READ_CLINICAL, Action.WRITE_CLINICAL}),
    Role.CLINIC_STAFF: READ_WRITE,
    Role.BILLING_STAFF: frozenset({Action.READ, Action.BILLING}),
    Role.REFERRING_DOCTOR: frozenset({Action.READ, Action.READ_CLINICAL}),
}


def patient_link(principal: Principal, patient_id: object) -> ColumnElement[bool]:
    """SQL: the principal is associated with the patient whose id is ``patient_id``.

    ``patient_id`` is a column of the outer query; every table read here is aliased so the
    EXISTS subqueries correlate only through it. Each subquery is an indexed lookup:
    appointments(patient_id, ...), reports.patient_id, invoices.patient_id,
    referrals.patient_id, patients.id.
    """
    p, pid = principal, col(patient_id)
    if p.role is Role.ADMIN:
        return sa.true()
    if p.role is Role.PATIENT:
        return id_eq(pid, p.patient_id)
    if p.role is Role.DOCTOR:
        if p.doctor_id is None:
            return sa.false()
        a, pt, r = aliased(Appointment), aliased(Patient), aliased(Report)
        return sa.or_(
            sa.exists().where(col(a.patient_id) == pid, id_eq(a.doctor_id, p.doctor_id)),
            sa.exists().where(col(pt.id) == pid, id_eq(pt.primary_doctor_id, p.doctor_id)),
            sa.exists().where(
                col(r.patient_id) == pid,
                sa.or_(id_eq(r.author_doctor_id, p.doctor_id), id_eq(r.signed_by_id, p.doctor_id)),
            ),
        )
    if p.role is Role.CLINIC_STAFF:
        if not p.clinic_ids:
            return sa.false()
        a, pt = aliased(Appointment), aliased(Patient)
        return sa.or_(
            sa.exists().where(col(a.patient_id) == pid, id_in(a.clinic_id, p.clinic_ids)),
            sa.exists().where(col(pt.id) == pid, id_in(pt.home_clinic_id, p.clinic_ids)),
        )
    if p.role is Role.BILLING_STAFF:
        if not p.clinic_ids and not p.billing_doctor_ids:
            return sa.false()
        inv = aliased(Invoice)
        return sa.exists().where(
            col(inv.patient_id) == pid,
            sa.or_(id_in(inv.clinic_id, p.clinic_ids), id_in(inv.doctor_id, p.billing_doctor_ids)),
        )
    if p.role is Role.REFERRING_DOCTOR:
        if p.referring_doctor_id is None:
            return sa.false()
        ref = aliased(Referral)
        return sa.exists().where(
            col(ref.patient_id) == pid, id_eq(ref.referring_doctor_id, p.referring_doctor_id)
        )
    return sa.false()  # analytics staff and anything unforeseen


def patient_scope(*, principal: Principal, action: Action | str = Action.READ) -> ColumnElement[bool]:
    """WHERE clause over ``Patient``: the patients the principal may ``action``."""
    if Action(action) not in PATIENT_ACTIONS.get(principal.role, frozenset()):
        return sa.false()
    return patient_link(principal, Patient.id)


def can_access_patient(
    session: Session, *, principal: Principal, patient_id: int, action: Action | str = Action.READ
) -> bool:
    scope = patient_scope(principal=principal, action=action)
    if is_false(scope):
        return False
    return row_matches(session, Patient.id, patient_id, scope)


def require_patient(
    session: Session, *, principal: Principal, patient_id: int, action: Action | str = Action.READ
) -> None:
    act = Action(action)
    require_role(PATIENT_ACTIONS, principal, act, "patients")
    if not can_access_patient(session, principal=principal, patient_id=patient_id, action=act):
        raise AccessDenied(DashErrorCode.DASH_006, "not associated with this patient")
