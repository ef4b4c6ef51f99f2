"""Dashboards: the spec's Permission Matrix (dashboards-api.md) and whose dashboard a request means.

``DASHBOARD_MATRIX`` maps dashboard type -> role -> ``Scope``; a role absent from a row has no
access. An unknown dashboard type is DASH_001, a bad parameter DASH_004 (not refusals).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from sqlmodel import Session, select

from mediconnect.core.errors import AccessDenied, DashboardError, DashErrorCode
from mediconnect.core.policy.clinics import require_clinic
from mediconnect.core.policy.principal import Principal
from mediconnect.models.staff import Doctor
from mediconnect.models.users import Role


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
        raise AccessDenied(DashErrorCode.DASH_002, f"role {principal.role.value} may not view this dashboard")
    return scope


def can_view_doctor(*, principal: Principal, doctor_id: int) -> bool:
    """A doctor's own dashboard and data: the doctor themself, or an admin."""
    return principal.is_admin or (principal.doctor_id is not None and principal.doctor_id == doctor_id)


def require_doctor(*, principal: Principal, doctor_id: int) -> None:
    if principal.role not in (Role.ADMIN, Role.DOCTOR):
        raise AccessDenied(DashErrorCode.DASH_002)
    if not can_view_doctor(principal=principal, doctor_id=doctor_id):
        raise AccessDenied(DashErrorCode.DASH_006, "not this doctor's account")


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
        raise AccessDenied(DashErrorCode.DASH_006, "this account has no doctor profile")
    target = principal.doctor_id if doctor_id is None else doctor_id
    require_doctor(principal=principal, doctor_id=target)
    return target, principal.user_id


def require_clinic_dashboard(session: Session, *, principal: Principal, clinic_id: int) -> None:
    """The clinic dashboard: admin any clinic, a doctor an affiliated one, staff their own."""
    require_dashboard(principal=principal, dashboard_type=DashboardType.CLINIC)
    require_clinic(session, principal=principal, clinic_id=clinic_id)
