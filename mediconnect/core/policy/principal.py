"""Who is asking: the caller as a ``Principal``, with every id the policy needs resolved once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from mediconnect.core.errors import AuthError, AuthErrorCode
from mediconnect.models.patients import Patient
from mediconnect.models.staff import Doctor, DoctorClinicAffiliation, ReferringDoctor, StaffAssignment
from mediconnect.models.users import Role, User


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


def in_force(starts: object, ends: object, today: date) -> ColumnElement[bool]:
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
                    in_force(aff.started_on, aff.ended_on, today),
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
            in_force(sa_.starts_on, sa_.ends_on, today),
        )
    ).all()
    clinics = frozenset(c for c, _ in assignments if c is not None)
    doctors = (
        frozenset(d for _, d in assignments if d is not None) if role is Role.BILLING_STAFF else frozenset()
    )
    return Principal(user_id=user.id, role=role, clinic_ids=clinics, billing_doctor_ids=doctors)
