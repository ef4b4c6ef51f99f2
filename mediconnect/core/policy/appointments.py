"""Appointments: who may read or change which appointment."""

from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from mediconnect.core.errors import AccessDenied, DashErrorCode
from mediconnect.core.policy.actions import READ_ONLY, READ_WRITE, Action, object_action, require_role
from mediconnect.core.policy.patients import patient_link
from mediconnect.core.policy.predicates import id_eq, id_in, is_false, row_matches
from mediconnect.core.policy.principal import Principal
from mediconnect.models.appointments import Appointment
from mediconnect.models.users import Role

APPOINTMENT_ACTIONS: Mapping[Role, frozenset[Action]] = {
    Role.ADMIN: READ_WRITE,
    Role.PATIENT: READ_WRITE,
    Role.DOCTOR: READ_WRITE,
    Role.CLINIC_STAFF: READ_WRITE,
    Role.BILLING_STAFF: READ_ONLY,
    Role.REFERRING_DOCTOR: READ_ONLY,
}


def appointment_scope(*, principal: Principal, action: Action | str = Action.READ) -> ColumnElement[bool]:
    """WHERE clause over ``Appointment``."""
    act, p = object_action(action), principal
    if act not in APPOINTMENT_ACTIONS.get(p.role, frozenset()):
        return sa.false()
    if p.role is Role.ADMIN:
        return sa.true()
    if p.role is Role.PATIENT:
        return id_eq(Appointment.patient_id, p.patient_id)
    if p.role is Role.DOCTOR:
        if p.doctor_id is None:
            return sa.false()
        own = id_eq(Appointment.doctor_id, p.doctor_id)
        return own if act is Action.WRITE else sa.or_(own, patient_link(p, Appointment.patient_id))
    if p.role is Role.CLINIC_STAFF:
        return id_in(Appointment.clinic_id, p.clinic_ids)
    if p.role is Role.BILLING_STAFF:
        return sa.or_(
            id_in(Appointment.clinic_id, p.clinic_ids), id_in(Appointment.doctor_id, p.billing_doctor_ids)
        )
    if p.role is Role.REFERRING_DOCTOR:
        return patient_link(p, Appointment.patient_id)
    return sa.false()


def can_access_appointment(
    session: Session, *, principal: Principal, appointment_id: int, action: Action | str = Action.READ
) -> bool:
    scope = appointment_scope(principal=principal, action=action)
    if is_false(scope):
        return False
    return row_matches(session, Appointment.id, appointment_id, scope)


def require_appointment(
    session: Session, *, principal: Principal, appointment_id: int, action: Action | str = Action.READ
) -> None:
    act = object_action(action)
    require_role(APPOINTMENT_ACTIONS, principal, act, "appointments")
    if not can_access_appointment(session, principal=principal, appointment_id=appointment_id, action=act):
        raise AccessDenied(DashErrorCode.DASH_006, "not associated with this appointment")
