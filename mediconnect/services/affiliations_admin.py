"""Where staff work, as an admin assigns it: a doctor's clinic affiliations (role, primary), a
staff member's clinic assignments (staff role), and the doctors whose accounts a billing clerk
works on. These associations are what ``core.policy.principal_for`` reads, so each change
moves what that person may see from their next request on.

Removing an association ends it (``ended_on``/``ends_on`` = yesterday) rather than deleting
it, so history stays; adding one that ended before reopens that row. Every change is audited
(``user.affiliation_add`` / ``user.affiliation_remove``) in the transaction that makes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TypedDict

from sqlmodel import Session, col, select

from mediconnect.core.policy import Principal
from mediconnect.models.clinics import Clinic
from mediconnect.models.staff import (
    AffiliationRole,
    Doctor,
    DoctorClinicAffiliation,
    StaffAssignment,
    StaffRole,
)
from mediconnect.models.users import Role, User
from mediconnect.services.accounts import InvalidInput, NotFound
from mediconnect.services.admin_access import admin_only, audited, record, today
from mediconnect.services.options import Option

RESOURCE = "user"
# The staff roles that fit each account role, the usual one first.
STAFF_ROLE_CHOICES: dict[Role, tuple[StaffRole, ...]] = {
    Role.CLINIC_STAFF: (
        StaffRole.RECEPTIONIST,
        StaffRole.MANAGER,
        StaffRole.NURSE,
        StaffRole.RADIOGRAPHER,
        StaffRole.SONOGRAPHER,
        StaffRole.SUPPORT,
    ),
    Role.BILLING_STAFF: (StaffRole.BILLING_CLERK, StaffRole.MANAGER),
    Role.ANALYTICS_STAFF: (StaffRole.ANALYST, StaffRole.MANAGER),
}


class AffiliationRow(TypedDict):
    # What remove_affiliation takes: "doctor:<affiliation id>" or "staff:<assignment id>".
    key: str
    clinic: str
    doctor: str
    role: str
    is_primary: bool
    since: str


@dataclass(frozen=True, slots=True)
class Affiliations:
    user_id: int
    name: str
    role: Role
    # "doctor": clinic affiliations; "staff": clinic (and for billing, doctor) assignments;
    # "none": this role works nowhere in particular (admins, patients, referring doctors).
    kind: str
    rows: list[AffiliationRow]
    role_choices: list[Option]
    takes_doctors: bool


def _label(value: str) -> str:
    return value.replace("_", " ").capitalize()


def _kind(role: Role) -> str:
    if role is Role.DOCTOR:
        return "doctor"
    return "staff" if role in STAFF_ROLE_CHOICES else "none"


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("No such user: they may have been removed. Reload the list.")
    return user


def _doctor_of(session: Session, user: User) -> Doctor:
    doctor = session.exec(select(Doctor).where(Doctor.user_id == user.id)).first()
    if doctor is None or doctor.id is None:
        raise InvalidInput("This doctor has no doctor record yet: set their role to doctor again.")
    return doctor


def _not_ended(ends: object):  # type: ignore[no-untyped-def]
    return (col(ends).is_(None)) | (col(ends) >= today())


def _rows(session: Session, user: User) -> list[AffiliationRow]:
    role = Role(user.role)
    rows: list[AffiliationRow] = []
    if role is Role.DOCTOR:
        doctor = session.exec(select(Doctor).where(Doctor.user_id == user.id)).first()
        if doctor is None:
            return rows
        aff = DoctorClinicAffiliation
        found = session.exec(
            select(aff, Clinic.name)
            .join(Clinic, col(Clinic.id) == col(aff.clinic_id))
            .where(aff.doctor_id == doctor.id, _not_ended(aff.ended_on))
            .order_by(col(aff.is_primary).desc(), Clinic.name)
        ).all()
        for a, clinic_name in found:
            rows.append(
                AffiliationRow(
                    key=f"doctor:{a.id}",
                    clinic=clinic_name,
                    doctor="",
                    role=_label(a.role),
                    is_primary=a.is_primary,
                    since=a.started_on.isoformat() if a.started_on else "",
                )
            )
        return rows
    sa_ = StaffAssignment
    doctor_user = User.__table__.alias("doctor_user")  # type: ignore[attr-defined]
    assignments = session.exec(
        select(sa_, Clinic.name, doctor_user.c.first_name, doctor_user.c.last_name)
        .outerjoin(Clinic, col(Clinic.id) == col(sa_.clinic_id))
        .outerjoin(Doctor, col(Doctor.id) == col(sa_.doctor_id))
        .outerjoin(doctor_user, doctor_user.c.id == col(Doctor.user_id))
        .where(sa_.user_id == user.id, _not_ended(sa_.ends_on))
        .order_by(col(sa_.id))
    ).all()
    for s, clinic_name, first, last in assignments:
        rows.append(
            AffiliationRow(
                key=f"staff:{s.id}",
                clinic=clinic_name or "",
                doctor=f"Dr {first} {last}" if first else "",
                role=_label(s.staff_role),
                is_primary=False,
                since=s.starts_on.isoformat() if s.starts_on else "",
            )
        )
    return rows


def _view(session: Session, user: User) -> Affiliations:
    assert user.id is not None
    role = Role(user.role)
    kind = _kind(role)
    if kind == "doctor":
        choices = [Option(value=r.value, label=_label(r.value)) for r in AffiliationRole]
    else:
        choices = [Option(value=r.value, label=_label(r.value)) for r in STAFF_ROLE_CHOICES.get(role, ())]
    return Affiliations(
        user_id=user.id,
        name=user.full_name,
        role=role,
        kind=kind,
        rows=_rows(session, user) if kind != "none" else [],
        role_choices=choices,
        takes_doctors=role is Role.BILLING_STAFF,
    )


def affiliations(
    *, session: Session, principal: Principal, user_id: int, ip: str | None = None
) -> Affiliations:
    """The user's current and upcoming associations, and what may be added."""
    admin_only(session, principal=principal, resource_type=RESOURCE, ip=ip)
    return _view(session, _user(session, user_id))


def clinic_options(*, session: Session, principal: Principal) -> list[Option]:
    admin_only(session, principal=principal, resource_type="clinic")
    clinics = session.exec(select(Clinic).order_by(Clinic.name)).all()
    return [Option(value=str(c.id), label=c.name) for c in clinics]


def doctor_options(*, session: Session, principal: Principal) -> list[Option]:
    """Active doctors, for assigning a billing clerk to their accounts."""
    admin_only(session, principal=principal, resource_type="doctor")
    found = session.exec(
        select(Doctor.id, User.first_name, User.last_name, Doctor.specialization)
        .join(User, col(User.id) == col(Doctor.user_id))
        .where(col(User.is_active).is_(True))
        .order_by(User.last_name, User.first_name)
    ).all()
    return [Option(value=str(d), label=f"Dr {f} {ln} ({s})") for d, f, ln, s in found]


def add_clinic(
    *,
    session: Session,
    principal: Principal,
    user_id: int,
    clinic_id: int | None,
    role: str,
    is_primary: bool = False,
    ip: str | None = None,
) -> Affiliations:
    """Affiliate a doctor with a clinic (``role`` an AffiliationRole), or assign a staff member
    to one (``role`` a StaffRole that fits their account role)."""
    admin_only(session, principal=principal, resource_type=RESOURCE, ip=ip)
    user = _user(session, user_id)
    view = _view(session, user)
    if view.kind == "none":
        raise InvalidInput(f"{_label(view.role.value)} accounts are not tied to clinics.", field="clinic_id")
    clinic = session.get(Clinic, clinic_id) if clinic_id is not None else None
    if clinic is None or clinic.id is None:
        raise InvalidInput("Choose a clinic from the list.", field="clinic_id")
    if role not in {o["value"] for o in view.role_choices}:
        raise InvalidInput("Choose a role at the clinic from the list.", field="clinic_role")
    if view.kind == "doctor":
        _add_doctor_affiliation(session, principal, user, clinic, AffiliationRole(role), is_primary, ip)
    else:
        _add_assignment(session, principal, user, StaffRole(role), ip, clinic=clinic)
    return _view(session, user)


def _add_doctor_affiliation(
    session: Session,
    principal: Principal,
    user: User,
    clinic: Clinic,
    role: AffiliationRole,
    is_primary: bool,
    ip: str | None,
) -> None:
    doctor = _doctor_of(session, user)
    aff = DoctorClinicAffiliation
    row = session.exec(select(aff).where(aff.doctor_id == doctor.id, aff.clinic_id == clinic.id)).first()
    if row is not None and (row.ended_on is None or row.ended_on >= today()):
        raise InvalidInput(f"{user.full_name} is already affiliated with {clinic.name}.", field="clinic_id")
    others = session.exec(
        select(aff).where(aff.doctor_id == doctor.id, aff.clinic_id != clinic.id, _not_ended(aff.ended_on))
    ).all()
    # The first clinic is the primary one; a new primary takes over from the old.
    primary = is_primary or not others

    def work() -> None:
        nonlocal row
        if primary:
            for other in others:
                if other.is_primary:
                    other.is_primary = False
                    session.add(other)
        if row is None:
            row = aff(
                doctor_id=doctor.id, clinic_id=clinic.id, role=role, is_primary=primary, started_on=today()
            )
        else:
            row.role, row.is_primary, row.started_on, row.ended_on = role, primary, today(), None
        session.add(row)
        session.flush()
        detail = f"clinic={clinic.id} role={role.value}" + (" primary" if primary else "")
        record(
            session,
            principal,
            "user.affiliation_add",
            resource_type=RESOURCE,
            resource_id=user.id,
            ip=ip,
            detail=detail,
        )

    audited(session, work)


def _add_assignment(
    session: Session,
    principal: Principal,
    user: User,
    staff_role: StaffRole,
    ip: str | None,
    *,
    clinic: Clinic | None = None,
    doctor: Doctor | None = None,
) -> None:
    sa_ = StaffAssignment
    clinic_id = clinic.id if clinic else None
    doctor_id = doctor.id if doctor else None
    where = [
        sa_.user_id == user.id,
        col(sa_.clinic_id).is_(None) if clinic_id is None else sa_.clinic_id == clinic_id,
        col(sa_.doctor_id).is_(None) if doctor_id is None else sa_.doctor_id == doctor_id,
    ]
    row = session.exec(select(sa_).where(*where).order_by(col(sa_.id).desc())).first()
    if row is not None and (row.ends_on is None or row.ends_on >= today()):
        what = clinic.name if clinic else "this doctor's accounts"
        raise InvalidInput(
            f"{user.full_name} is already assigned to {what}.", field="clinic_id" if clinic else "doctor_id"
        )

    def work() -> None:
        nonlocal row
        if row is None:
            row = sa_(
                user_id=user.id,
                clinic_id=clinic_id,
                doctor_id=doctor_id,
                staff_role=staff_role,
                starts_on=today(),
            )
        else:
            row.staff_role, row.starts_on, row.ends_on = staff_role, today(), None
        session.add(row)
        session.flush()
        target = f"clinic={clinic_id}" if clinic_id else f"doctor={doctor_id}"
        record(
            session,
            principal,
            "user.affiliation_add",
            resource_type=RESOURCE,
            resource_id=user.id,
            ip=ip,
            detail=f"{target} staff_role={staff_role.value}",
        )

    audited(session, work)


def add_doctor(
    *, session: Session, principal: Principal, user_id: int, doctor_id: int | None, ip: str | None = None
) -> Affiliations:
    """Assign a billing staff member to a doctor's accounts."""
    admin_only(session, principal=principal, resource_type=RESOURCE, ip=ip)
    user = _user(session, user_id)
    if Role(user.role) is not Role.BILLING_STAFF:
        raise InvalidInput("Only billing staff are assigned to doctors' accounts.", field="doctor_id")
    doctor = session.get(Doctor, doctor_id) if doctor_id is not None else None
    if doctor is None:
        raise InvalidInput("Choose a doctor from the list.", field="doctor_id")
    _add_assignment(session, principal, user, StaffRole.BILLING_CLERK, ip, doctor=doctor)
    return _view(session, user)


def remove_affiliation(
    *, session: Session, principal: Principal, user_id: int, key: str, ip: str | None = None
) -> Affiliations:
    """End one association (a key from ``AffiliationRow``) as of today."""
    admin_only(session, principal=principal, resource_type=RESOURCE, ip=ip)
    user = _user(session, user_id)
    kind, _, raw_id = (key or "").partition(":")
    row: DoctorClinicAffiliation | StaffAssignment | None = None
    if raw_id.isdigit() and kind == "doctor":
        row = session.get(DoctorClinicAffiliation, int(raw_id))
        owner = session.get(Doctor, row.doctor_id) if row else None
        if owner is None or owner.user_id != user.id:
            row = None
    elif raw_id.isdigit() and kind == "staff":
        row = session.get(StaffAssignment, int(raw_id))
        if row is not None and row.user_id != user.id:
            row = None
    if row is None:
        raise NotFound("That affiliation no longer exists. Reopen the list.")
    yesterday = today() - timedelta(days=1)
    ended = row.ended_on if isinstance(row, DoctorClinicAffiliation) else row.ends_on
    if ended is not None and ended < today():
        raise InvalidInput("That affiliation has already ended.")
    target = f"clinic={row.clinic_id}" if row.clinic_id else f"doctor={getattr(row, 'doctor_id', None)}"

    def work() -> None:
        assert row is not None
        if isinstance(row, DoctorClinicAffiliation):
            row.ended_on, row.is_primary = yesterday, False
        else:
            row.ends_on = yesterday
        session.add(row)
        record(
            session,
            principal,
            "user.affiliation_remove",
            resource_type=RESOURCE,
            resource_id=user.id,
            ip=ip,
            detail=target,
        )

    audited(session, work)
    return _view(session, user)
