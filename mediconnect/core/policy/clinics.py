"""Clinics and their catalogue set-up: who may see a clinic, and who may manage one.

Clinics are public (their existence leaks nothing), so an unknown clinic is DASH_005, not a
refusal.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, col

from mediconnect.core.errors import AccessDenied, DashboardError, DashErrorCode
from mediconnect.core.policy.principal import Principal
from mediconnect.models.clinics import Clinic
from mediconnect.models.users import Role

CLINIC_ROLES = frozenset({Role.ADMIN, Role.DOCTOR, Role.CLINIC_STAFF})
# Roles that may change a clinic's set-up (hours, closures, rooms, rosters): within their own
# clinics for staff; doctors may view a clinic but not change it.
CLINIC_MANAGER_ROLES = frozenset({Role.ADMIN, Role.CLINIC_STAFF})


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


def require_clinic(session: Session, *, principal: Principal, clinic_id: int) -> None:
    if principal.role not in CLINIC_ROLES:
        raise AccessDenied(DashErrorCode.DASH_002, f"role {principal.role.value} may not view clinics")
    if not can_access_clinic(session, principal=principal, clinic_id=clinic_id):
        raise AccessDenied(DashErrorCode.DASH_006, "not associated with this clinic")


def require_clinic_manager(session: Session, *, principal: Principal, clinic_id: int) -> None:
    """Change this clinic's set-up: an admin, or clinic staff assigned to it (DASH_002 for every
    other role, DASH_006 for staff of another clinic, DASH_005 for an unknown clinic). The rule
    ``services/catalog_access.managed_clinic`` applies today."""
    if principal.role not in CLINIC_MANAGER_ROLES:
        raise AccessDenied(DashErrorCode.DASH_002, f"role {principal.role.value} may not manage clinics")
    require_clinic(session, principal=principal, clinic_id=clinic_id)
