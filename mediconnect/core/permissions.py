"""The one access policy: who may see or do what, at dashboard level and per object.

Every surface (Reflex pages and event handlers, API routes, WebSocket subscriptions) asks this
module and nothing else. It is pure policy over a Session: no Reflex, no HTTP.

Two layers:

* Dashboard level, the spec's Permission Matrix (dashboards-api.md), encoded in
  ``DASHBOARD_MATRIX`` as role -> ``Scope``. A role absent from a row has no access.
* Object level, one SQL predicate per resource (``patient_scope``, ``appointment_scope``,
  ``report_scope``, ``invoice_scope``). The ``can_access_*`` checks and the dashboards' list
  queries use the same predicate, so a list can never show what a single fetch would refuse.

Object rules (``A`` = any action the role has on that resource, see the ``*_ACTIONS`` tables):

==================  ========================================================================
Role                Associated with ...
==================  ========================================================================
admin               everything
patient             themself; their appointments and invoices; their reports once final
doctor              their patients: an appointment with them, their primary doctor, or a
                    report they wrote or signed; appointments with them (write), their
                    patients' appointments (read); reports they wrote, signed or whose
                    appointment was theirs (read; write only as author) and their patients'
                    final reports; invoices naming them (read)
clinic_staff        "limited": patients with an appointment at, or registered to, one of
                    their clinics (demographics and appointments, never clinical content);
                    appointments at their clinics
billing_staff       patients invoiced at their assigned clinics or doctors (demographics and
                    billing only); those invoices; those appointments (read)
referring_doctor    the patients they referred: demographics, appointments and final reports
analytics_staff     no individual patient, appointment, report or invoice
==================  ========================================================================

Associations that end (``ended_on`` / ``ends_on`` in the past) or have not started yet do not
count. ``require_*`` raise ``DashboardError``: DASH_002 when the role may never do the action
on that kind of resource, DASH_006 when it may but this user is not linked to this object (a
missing object is reported the same way, so existence never leaks), DASH_005 for an unknown
clinic and DASH_001 for an unknown dashboard type.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement, False_
from sqlmodel import Session, col, select

from mediconnect.core.errors import AuthError, AuthErrorCode, DashboardError, DashErrorCode
from mediconnect.models.appointments import Appointment
from mediconnect.models.billing import Invoice
from mediconnect.models.clinics import Clinic
from mediconnect.models.patients import Patient
from mediconnect.models.referrals import Referral
from mediconnect.models.reports import Report, ReportStatus
from mediconnect.models.staff import Doctor, DoctorClinicAffiliation, ReferringDoctor, StaffAssignment
from mediconnect.models.users import Role, User

# --------------------------------------------------------------------------------------------
# Who is asking


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller, with every id the policy needs resolved once per request.

    ``clinic_ids``: a doctor's affiliated clinics, a staff member's assigned clinics.
    ``billing_doctor_ids``: the doctors whose accounts a billing staff member is assigned to.
    """

    user_id: int
    role: Role
    doctor_id: int | None = None
    patient_id: int | None = None
    referring_doctor_id: int | None = None
    clinic_ids: frozenset[int] = field(default_factory=frozenset)
    billing_doctor_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


def _current(starts: object, ends: object, today: date) -> ColumnElement[bool]:
    """An association in force today: started (or no start) and not ended (or no end)."""
    return sa.and_(
        sa.or_(col(starts).is_(None), col(starts) <= today),
        sa.or_(col(ends).is_(None), col(ends) >= today),
    )


def principal_for(session: Session, *, user: User, today: date | None = None) -> Principal:
    """Resolve ``user`` into a Principal. An inactive account gets no principal at all."""
    if user.id is None:
        raise ValueError("user has no id; flush it first")
    if not user.is_active:
        raise AuthError(AuthErrorCode.ACCOUNT_INACTIVE)
    today = today or datetime.now(UTC).date()
    role = Role(user.role)

    if role is Role.ADMIN or role is Role.PATIENT:
        patient_id = None
        if role is Role.PATIENT:
            patient_id = session.exec(select(Patient.id).where(Patient.user_id == user.id)).first()
        return Principal(user_id=user.id, role=role, patient_id=patient_id)

    if role is Role.DOCTOR:
        doctor_id = session.exec(select(Doctor.id).where(Doctor.user_id == user.id)).first()
        clinic_ids: frozenset[int] = frozenset()
        if doctor_id is not None:
            aff = DoctorClinicAffiliation
            rows = session.exec(
                select(aff.clinic_id).where(
                    aff.doctor_id == doctor_id,
                    _current(aff.started_on, aff.ended_on, today),
                )
            ).all()
            clinic_ids = frozenset(c for c in rows if c is not None)
        return Principal(user_id=user.id, role=role, doctor_id=doctor_id, clinic_ids=clinic_ids)

    if role is Role.REFERRING_DOCTOR:
        rd_id = session.exec(select(ReferringDoctor.id).where(ReferringDoctor.user_id == user.id)).first()
        return Principal(user_id=user.id, role=role, referring_doctor_id=rd_id)

    # clinic_staff, billing_staff, analytics_staff: their current assignments.
    sa_ = StaffAssignment
    assignments = session.exec(
        select(sa_.clinic_id, sa_.doctor_id).where(
            sa_.user_id == user.id,
            _current(sa_.starts_on, sa_.ends_on, today),
        )
    ).all()
    clinics = frozenset(c for c, _ in assignments if c is not None)
    doctors = (
        frozenset(d for _, d in assignments if d is not None) if role is Role.BILLING_STAFF else frozenset()
    )
    return Principal(user_id=user.id, role=role, clinic_ids=clinics, billing_doctor_ids=doctors)


# --------------------------------------------------------------------------------------------
# Dashboard level: the spec's Permission Matrix


class DashboardType(StrEnum):
    DOCTOR = "doctor"
    PATIENT = "patient"
    CLINIC = "clinic"
    ADMIN = "admin"
    BILLING = "billing"
    ANALYTICS = "analytics"


class Scope(StrEnum):
    """What part of a dashboard's data a role sees (the matrix's parenthesised qualifiers)."""

    ALL = "all"
    OWN = "own"
    THEIR_PATIENTS = "their_patients"
    LIMITED = "limited"
    AFFILIATED = "affiliated"
    OWN_CLINIC = "own_clinic"
    ASSIGNED = "assigned"
    CLINIC_DATA = "clinic_data"


DASHBOARD_MATRIX: Mapping[DashboardType, Mapping[Role, Scope]] = {
    DashboardType.DOCTOR: {Role.ADMIN: Scope.ALL, Role.DOCTOR: Scope.OWN},
    DashboardType.PATIENT: {
        Role.ADMIN: Scope.ALL,
        Role.DOCTOR: Scope.THEIR_PATIENTS,
        Role.PATIENT: Scope.OWN,
        Role.CLINIC_STAFF: Scope.LIMITED,
    },
    DashboardType.CLINIC: {
        Role.ADMIN: Scope.ALL,
        Role.DOCTOR: Scope.AFFILIATED,
        Role.CLINIC_STAFF: Scope.OWN_CLINIC,
    },
    DashboardType.ADMIN: {Role.ADMIN: Scope.ALL},
    DashboardType.BILLING: {
        Role.ADMIN: Scope.ALL,
        Role.DOCTOR: Scope.OWN,
        Role.BILLING_STAFF: Scope.ASSIGNED,
    },
    DashboardType.ANALYTICS: {
        Role.ADMIN: Scope.ALL,
        Role.DOCTOR: Scope.OWN,
        Role.CLINIC_STAFF: Scope.CLINIC_DATA,
        Role.ANALYTICS_STAFF: Scope.ALL,
    },
}


def parse_dashboard_type(value: str | DashboardType) -> DashboardType:
    """Parse a dashboard type; an unknown one is DASH_001."""
    try:
        return DashboardType(value)
    except ValueError:
        raise DashboardError(DashErrorCode.DASH_001, f"unknown dashboard type {str(value)[:40]!r}") from None


def dashboard_scope(*, principal: Principal, dashboard_type: str | DashboardType) -> Scope | None:
    """The scope the principal has on that dashboard, or None. Unknown type: DASH_001."""
    return DASHBOARD_MATRIX[parse_dashboard_type(dashboard_type)].get(principal.role)


def can_view_dashboard(*, principal: Principal, dashboard_type: str | DashboardType) -> bool:
    return dashboard_scope(principal=principal, dashboard_type=dashboard_type) is not None


def require_dashboard(*, principal: Principal, dashboard_type: str | DashboardType) -> Scope:
    scope = dashboard_scope(principal=principal, dashboard_type=dashboard_type)
    if scope is None:
        raise DashboardError(
            DashErrorCode.DASH_002, f"role {principal.role.value} may not view this dashboard"
        )
    return scope


def can_view_doctor(*, principal: Principal, doctor_id: int) -> bool:
    """A doctor's own dashboard and data: the doctor themself, or an admin."""
    return principal.is_admin or (principal.doctor_id is not None and principal.doctor_id == doctor_id)


def require_doctor(*, principal: Principal, doctor_id: int) -> None:
    if principal.role not in (Role.ADMIN, Role.DOCTOR):
        raise DashboardError(DashErrorCode.DASH_002)
    if not can_view_doctor(principal=principal, doctor_id=doctor_id):
        raise DashboardError(DashErrorCode.DASH_006, "not this doctor's account")


def require_admin(*, principal: Principal) -> None:
    """Administration (user management, the audit trail): admins only, nobody else ever."""
    if not principal.is_admin:
        raise DashboardError(DashErrorCode.DASH_002, f"role {principal.role.value} may not administer")


# --------------------------------------------------------------------------------------------
# Object level


class Action(StrEnum):
    READ = "read"  # demographics, contact details, appointments
    WRITE = "write"  # edit those, book, reschedule, cancel
    READ_CLINICAL = "read_clinical"  # reports, clinical notes, prescriptions, results
    WRITE_CLINICAL = "write_clinical"  # author or amend clinical content
    BILLING = "billing"  # invoices, payments, claims, statements


_ALL = frozenset(Action)
_RW = frozenset({Action.READ, Action.WRITE})
_R = frozenset({Action.READ})

PATIENT_ACTIONS: Mapping[Role, frozenset[Action]] = {
    Role.ADMIN: _ALL,
    Role.PATIENT: frozenset({Action.READ, Action.WRITE, Action.READ_CLINICAL, Action.BILLING}),
    Role.DOCTOR: frozenset({Action.READ, Action.WRITE, Action.READ_CLINICAL, Action.WRITE_CLINICAL}),
    Role.CLINIC_STAFF: _RW,
    Role.BILLING_STAFF: frozenset({Action.READ, Action.BILLING}),
    Role.REFERRING_DOCTOR: frozenset({Action.READ, Action.READ_CLINICAL}),
}
APPOINTMENT_ACTIONS: Mapping[Role, frozenset[Action]] = {
    Role.ADMIN: _RW,
    Role.PATIENT: _RW,
    Role.DOCTOR: _RW,
    Role.CLINIC_STAFF: _RW,
    Role.BILLING_STAFF: _R,
    Role.REFERRING_DOCTOR: _R,
}
REPORT_ACTIONS: Mapping[Role, frozenset[Action]] = {
    Role.ADMIN: _RW,
    Role.DOCTOR: _RW,
    Role.PATIENT: _R,
    Role.REFERRING_DOCTOR: _R,
}
INVOICE_ACTIONS: Mapping[Role, frozenset[Action]] = {
    Role.ADMIN: _RW,
    Role.BILLING_STAFF: _RW,
    Role.DOCTOR: _R,
    Role.PATIENT: _R,
    Role.CLINIC_STAFF: _R,  # the front desk: its own clinics' invoices (it takes payments there)
}

# Reports a patient or an outside doctor may read: signed off, not drafts.
RELEASED_REPORT_STATUSES = (ReportStatus.FINAL, ReportStatus.AMENDED)


def _object_action(action: Action | str) -> Action:
    act = Action(action)
    if act not in _RW:
        raise ValueError(f"{act.value!r} applies to patients only; use read or write")
    return act


def _in(column: object, ids: frozenset[int]) -> ColumnElement[bool]:
    if not ids:
        return sa.false()
    return col(column).in_(sorted(ids))


def _eq(column: object, value: int | None) -> ColumnElement[bool]:
    """``column = value``; a principal without that id matches nothing (never ``IS NULL``)."""
    if value is None:
        return sa.false()
    return col(column) == value


def _patient_link(principal: Principal, patient_id: object) -> ColumnElement[bool]:
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
        return _eq(pid, p.patient_id)
    if p.role is Role.DOCTOR:
        if p.doctor_id is None:
            return sa.false()
        a, pt, r = aliased(Appointment), aliased(Patient), aliased(Report)
        return sa.or_(
            sa.exists().where(col(a.patient_id) == pid, _eq(a.doctor_id, p.doctor_id)),
            sa.exists().where(col(pt.id) == pid, _eq(pt.primary_doctor_id, p.doctor_id)),
            sa.exists().where(
                col(r.patient_id) == pid,
                sa.or_(_eq(r.author_doctor_id, p.doctor_id), _eq(r.signed_by_id, p.doctor_id)),
            ),
        )
    if p.role is Role.CLINIC_STAFF:
        if not p.clinic_ids:
            return sa.false()
        a, pt = aliased(Appointment), aliased(Patient)
        return sa.or_(
            sa.exists().where(col(a.patient_id) == pid, _in(a.clinic_id, p.clinic_ids)),
            sa.exists().where(col(pt.id) == pid, _in(pt.home_clinic_id, p.clinic_ids)),
        )
    if p.role is Role.BILLING_STAFF:
        if not p.clinic_ids and not p.billing_doctor_ids:
            return sa.false()
        inv = aliased(Invoice)
        return sa.exists().where(
            col(inv.patient_id) == pid,
            sa.or_(_in(inv.clinic_id, p.clinic_ids), _in(inv.doctor_id, p.billing_doctor_ids)),
        )
    if p.role is Role.REFERRING_DOCTOR:
        if p.referring_doctor_id is None:
            return sa.false()
        ref = aliased(Referral)
        return sa.exists().where(
            col(ref.patient_id) == pid, _eq(ref.referring_doctor_id, p.referring_doctor_id)
        )
    return sa.false()  # analytics staff and anything unforeseen


def patient_scope(*, principal: Principal, action: Action | str = Action.READ) -> ColumnElement[bool]:
    """WHERE clause over ``Patient``: the patients the principal may ``action``."""
    if Action(action) not in PATIENT_ACTIONS.get(principal.role, frozenset()):
        return sa.false()
    return _patient_link(principal, Patient.id)


def appointment_scope(*, principal: Principal, action: Action | str = Action.READ) -> ColumnElement[bool]:
    """WHERE clause over ``Appointment``."""
    act, p = _object_action(action), principal
    if act not in APPOINTMENT_ACTIONS.get(p.role, frozenset()):
        return sa.false()
    if p.role is Role.ADMIN:
        return sa.true()
    if p.role is Role.PATIENT:
        return _eq(Appointment.patient_id, p.patient_id)
    if p.role is Role.DOCTOR:
        if p.doctor_id is None:
            return sa.false()
        own = _eq(Appointment.doctor_id, p.doctor_id)
        return own if act is Action.WRITE else sa.or_(own, _patient_link(p, Appointment.patient_id))
    if p.role is Role.CLINIC_STAFF:
        return _in(Appointment.clinic_id, p.clinic_ids)
    if p.role is Role.BILLING_STAFF:
        return sa.or_(
            _in(Appointment.clinic_id, p.clinic_ids), _in(Appointment.doctor_id, p.billing_doctor_ids)
        )
    if p.role is Role.REFERRING_DOCTOR:
        return _patient_link(p, Appointment.patient_id)
    return sa.false()


def report_scope(*, principal: Principal, action: Action | str = Action.READ) -> ColumnElement[bool]:
    """WHERE clause over ``Report``. Drafts are visible only to the doctors who own them."""
    act, p = _object_action(action), principal
    if act not in REPORT_ACTIONS.get(p.role, frozenset()):
        return sa.false()
    if p.role is Role.ADMIN:
        return sa.true()
    released = col(Report.status).in_(RELEASED_REPORT_STATUSES)
    if p.role is Role.PATIENT:
        return sa.and_(_eq(Report.patient_id, p.patient_id), released)
    if p.role is Role.DOCTOR:
        if p.doctor_id is None:
            return sa.false()
        authored = _eq(Report.author_doctor_id, p.doctor_id)
        if act is Action.WRITE:
            return authored
        a = aliased(Appointment)
        return sa.or_(
            authored,
            _eq(Report.signed_by_id, p.doctor_id),
            sa.exists().where(col(a.id) == col(Report.appointment_id), _eq(a.doctor_id, p.doctor_id)),
            sa.and_(released, _patient_link(p, Report.patient_id)),
        )
    if p.role is Role.REFERRING_DOCTOR:
        return sa.and_(released, _patient_link(p, Report.patient_id))
    return sa.false()


def invoice_scope(*, principal: Principal, action: Action | str = Action.READ) -> ColumnElement[bool]:
    """WHERE clause over ``Invoice``."""
    act, p = _object_action(action), principal
    if act not in INVOICE_ACTIONS.get(p.role, frozenset()):
        return sa.false()
    if p.role is Role.ADMIN:
        return sa.true()
    if p.role is Role.PATIENT:
        return _eq(Invoice.patient_id, p.patient_id)
    if p.role is Role.DOCTOR:
        return _eq(Invoice.doctor_id, p.doctor_id)
    if p.role is Role.BILLING_STAFF:
        return sa.or_(_in(Invoice.clinic_id, p.clinic_ids), _in(Invoice.doctor_id, p.billing_doctor_ids))
    if p.role is Role.CLINIC_STAFF:
        return _in(Invoice.clinic_id, p.clinic_ids)
    return sa.false()


def _is_false(clause: ColumnElement[bool]) -> bool:
    """A predicate known to be false without asking the database."""
    return isinstance(clause, False_)


def _exists(session: Session, id_column: object, object_id: int, clause: ColumnElement[bool]) -> bool:
    return bool(session.scalar(sa.select(sa.exists().where(col(id_column) == object_id, clause))))


def can_access_patient(
    session: Session, *, principal: Principal, patient_id: int, action: Action | str = Action.READ
) -> bool:
    scope = patient_scope(principal=principal, action=action)
    if _is_false(scope):
        return False
    return _exists(session, Patient.id, patient_id, scope)


def can_access_appointment(
    session: Session, *, principal: Principal, appointment_id: int, action: Action | str = Action.READ
) -> bool:
    scope = appointment_scope(principal=principal, action=action)
    if _is_false(scope):
        return False
    return _exists(session, Appointment.id, appointment_id, scope)


def can_access_report(
    session: Session, *, principal: Principal, report_id: int, action: Action | str = Action.READ
) -> bool:
    scope = report_scope(principal=principal, action=action)
    if _is_false(scope):
        return False
    return _exists(session, Report.id, report_id, scope)


def can_access_invoice(
    session: Session, *, principal: Principal, invoice_id: int, action: Action | str = Action.READ
) -> bool:
    scope = invoice_scope(principal=principal, action=action)
    if _is_false(scope):
        return False
    return _exists(session, Invoice.id, invoice_id, scope)


_CLINIC_ROLES = frozenset({Role.ADMIN, Role.DOCTOR, Role.CLINIC_STAFF})


def _clinic_exists(session: Session, clinic_id: int) -> bool:
    return bool(session.scalar(sa.select(sa.exists().where(col(Clinic.id) == clinic_id))))


def can_access_clinic(session: Session, *, principal: Principal, clinic_id: int) -> bool:
    """Admin: any clinic; doctor: an affiliated clinic; clinic staff: their own clinic.

    Raises DASH_005 when the clinic does not exist (clinics are public, so this leaks nothing).
    """
    if not _clinic_exists(session, clinic_id):
        raise DashboardError(DashErrorCode.DASH_005, f"no clinic {clinic_id}")
    if principal.is_admin:
        return True
    if principal.role in (Role.DOCTOR, Role.CLINIC_STAFF):
        return clinic_id in principal.clinic_ids
    return False


# --------------------------------------------------------------------------------------------
# require_*: the same checks, raising the spec's codes


def _require_role(
    table: Mapping[Role, frozenset[Action]], principal: Principal, action: Action, what: str
) -> None:
    if action not in table.get(principal.role, frozenset()):
        raise DashboardError(
            DashErrorCode.DASH_002, f"role {principal.role.value} may not {action.value} {what}"
        )


def require_patient(
    session: Session, *, principal: Principal, patient_id: int, action: Action | str = Action.READ
) -> None:
    act = Action(action)
    _require_role(PATIENT_ACTIONS, principal, act, "patients")
    if not can_access_patient(session, principal=principal, patient_id=patient_id, action=act):
        raise DashboardError(DashErrorCode.DASH_006, "not associated with this patient")


def require_appointment(
    session: Session, *, principal: Principal, appointment_id: int, action: Action | str = Action.READ
) -> None:
    act = _object_action(action)
    _require_role(APPOINTMENT_ACTIONS, principal, act, "appointments")
    if not can_access_appointment(session, principal=principal, appointment_id=appointment_id, action=act):
        raise DashboardError(DashErrorCode.DASH_006, "not associated with this appointment")


def require_report(
    session: Session, *, principal: Principal, report_id: int, action: Action | str = Action.READ
) -> None:
    act = _object_action(action)
    _require_role(REPORT_ACTIONS, principal, act, "reports")
    if not can_access_report(session, principal=principal, report_id=report_id, action=act):
        raise DashboardError(DashErrorCode.DASH_006, "not associated with this report")


def require_invoice(
    session: Session, *, principal: Principal, invoice_id: int, action: Action | str = Action.READ
) -> None:
    act = _object_action(action)
    _require_role(INVOICE_ACTIONS, principal, act, "invoices")
    if not can_access_invoice(session, principal=principal, invoice_id=invoice_id, action=act):
        raise DashboardError(DashErrorCode.DASH_006, "not associated with this invoice")


def require_clinic(session: Session, *, principal: Principal, clinic_id: int) -> None:
    if principal.role not in _CLINIC_ROLES:
        raise DashboardError(DashErrorCode.DASH_002, f"role {principal.role.value} may not view clinics")
    if not can_access_clinic(session, principal=principal, clinic_id=clinic_id):
        raise DashboardError(DashErrorCode.DASH_006, "not associated with this clinic")


# --------------------------------------------------------------------------------------------
# Billing at the front desk and the payment summary (issue 4, helper "billing").
#
# Invoices are billing staff's (INVOICE_ACTIONS). Two narrow additions, both through the
# predicates above so lists and single fetches agree:
# * the payment summary of an appointment: whoever may read the appointment AND has a billing
#   interest in it (the patient, clinic staff at its clinic, billing staff, admin). Doctors and
#   referring doctors read appointments for clinical reasons, not their bills.
# * the front desk: clinic staff take payments and print receipts for invoices of their own
#   clinics' appointments (never refunds or claims, which stay with billing staff and admin).

PAYMENT_SUMMARY_ROLES = frozenset({Role.ADMIN, Role.PATIENT, Role.CLINIC_STAFF, Role.BILLING_STAFF})
DESK_PAYMENT_ROLES = frozenset({Role.ADMIN, Role.BILLING_STAFF, Role.CLINIC_STAFF})


def require_payment_summary(session: Session, *, principal: Principal, appointment_id: int) -> None:
    if principal.role not in PAYMENT_SUMMARY_ROLES:
        raise DashboardError(
            DashErrorCode.DASH_002, f"role {principal.role.value} may not view payment summaries"
        )
    require_appointment(session, principal=principal, appointment_id=appointment_id, action=Action.READ)


def _desk_invoice(session: Session, principal: Principal, invoice_id: int) -> bool:
    """Clinic staff: an invoice of one of their current clinics."""
    return _exists(session, Invoice.id, invoice_id, _in(Invoice.clinic_id, principal.clinic_ids))


def require_desk_payment(session: Session, *, principal: Principal, invoice_id: int) -> None:
    """Take a payment against the invoice: billing staff / admin (invoice write) or the desk."""
    if principal.role not in DESK_PAYMENT_ROLES:
        raise DashboardError(DashErrorCode.DASH_002, f"role {principal.role.value} may not take payments")
    if principal.role is Role.CLINIC_STAFF:
        if not _desk_invoice(session, principal, invoice_id):
            raise DashboardError(DashErrorCode.DASH_006, "not associated with this invoice")
        return
    require_invoice(session, principal=principal, invoice_id=invoice_id, action=Action.WRITE)


def require_invoice_role(*, principal: Principal, action: Action | str) -> None:
    """The role check alone, for routes that find the invoice through a payment or a claim: a
    role that may never do this is told so (DASH_002) before anything is looked up."""
    _require_role(INVOICE_ACTIONS, principal, _object_action(action), "invoices")


# --------------------------------------------------------------------------------------------
# The doctor dashboard's subject (issue 5, helper "infra"): whose dashboard a request means.


def doctor_for_dashboard(
    session: Session, *, principal: Principal, doctor_id: int | None
) -> tuple[int, int | None]:
    """The doctor whose dashboard ``principal`` asks for, as ``(doctor_id, doctor_user_id)``.

    A doctor sees their own (``doctor_id`` omitted or their own, anything else DASH_006); an
    admin must name one (DASH_004 when missing or unknown: a bad parameter, not a refusal);
    every other role is DASH_002.
    """
    require_dashboard(principal=principal, dashboard_type=DashboardType.DOCTOR)
    if principal.is_admin:
        if doctor_id is None:
            raise DashboardError(DashErrorCode.DASH_004, "doctor_id is required for an admin")
        row = session.exec(select(Doctor.id, Doctor.user_id).where(Doctor.id == doctor_id)).first()
        if row is None:
            raise DashboardError(DashErrorCode.DASH_004, f"no doctor {doctor_id}")
        return doctor_id, row[1]
    if principal.doctor_id is None:
        raise DashboardError(DashErrorCode.DASH_006, "this account has no doctor profile")
    target = principal.doctor_id if doctor_id is None else doctor_id
    require_doctor(principal=principal, doctor_id=target)
    return target, principal.user_id


def require_clinic_dashboard(session: Session, *, principal: Principal, clinic_id: int) -> None:
    """The clinic dashboard: admin any clinic, a doctor an affiliated one, staff their own."""
    require_dashboard(principal=principal, dashboard_type=DashboardType.CLINIC)
    require_clinic(session, principal=principal, clinic_id=clinic_id)
