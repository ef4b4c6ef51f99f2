"""Clinical reports: drafts stay with the doctors who own them; patients and referring doctors
read released ones."""

from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from mediconnect.core.errors import AccessDenied, DashErrorCode
from mediconnect.core.policy.actions import READ_ONLY, READ_WRITE, Action, object_action, require_role
from mediconnect.core.policy.patients import patient_link
from mediconnect.core.policy.predicates import id_eq, is_false, row_matches
from mediconnect.core.policy.principal import Principal
from mediconnect.models.appointments import Appointment
from mediconnect.models.reports import Report, ReportStatus
from mediconnect.models.users import Role

REPORT_ACTIONS: Mapping[Role, frozenset[Action]] = {
    Role.ADMIN: READ_WRITE,
    Role.DOCTOR: READ_WRITE,
    Role.PATIENT: READ_ONLY,
    Role.REFERRING_DOCTOR: READ_ONLY,
}

# Reports a patient or an outside doctor may read: signed off, not drafts.
RELEASED_REPORT_STATUSES = (ReportStatus.FINAL, ReportStatus.AMENDED)


def report_scope(*, principal: Principal, action: Action | str = Action.READ) -> ColumnElement[bool]:
    """WHERE clause over ``Report``. Drafts are visible only to the doctors who own them."""
    act, p = object_action(action), principal
    if act not in REPORT_ACTIONS.get(p.role, frozenset()):
        return sa.false()
    if p.role is Role.ADMIN:
        return sa.true()
    released = col(Report.status).in_(RELEASED_REPORT_STATUSES)
    if p.role is Role.PATIENT:
        return sa.and_(id_eq(Report.patient_id, p.patient_id), released)
    if p.role is Role.DOCTOR:
        if p.doctor_id is None:
            return sa.false()
        authored = id_eq(Report.author_doctor_id, p.doctor_id)
        if act is Action.WRITE:
            return authored
        a = aliased(Appointment)
        return sa.or_(
            authored,
            id_eq(Report.signed_by_id, p.doctor_id),
            sa.exists().where(col(a.id) == col(Report.appointment_id), id_eq(a.doctor_id, p.doctor_id)),
            sa.and_(released, patient_link(p, Report.patient_id)),
        )
    if p.role is Role.REFERRING_DOCTOR:
        return sa.and_(released, patient_link(p, Report.patient_id))
    return sa.false()


def can_access_report(
    session: Session, *, principal: Principal, report_id: int, action: Action | str = Action.READ
) -> bool:
    scope = report_scope(principal=principal, action=action)
    if is_false(scope):
        return False
    return row_matches(session, Report.id, report_id, scope)


def require_report(
    session: Session, *, principal: Principal, report_id: int, action: Action | str = Action.READ
) -> None:
    act = object_action(action)
    require_role(REPORT_ACTIONS, principal, act, "reports")
    if not can_access_report(session, principal=principal, report_id=report_id, action=act):
        raise AccessDenied(DashErrorCode.DASH_006, "not associated with this report")
