"""Admin user management: find users, change a staff member's role, (de)activate accounts.

Keyword-only functions taking a session and the acting ``Principal`` (ARCHITECTURE convention
1). Each one first passes ``admin_only`` (admins only; a refusal is audited and raises
DASH_002), then writes its change and an audit row in one committed transaction. Bad input
raises ``AccountError`` subclasses whose ``field`` names the form field. Creating staff lives
in ``services.staff_accounts`` (re-exported here), clinic affiliations in
``services.affiliations_admin``.

Two rules protect the platform from its own admins: nobody changes their own role or
deactivates themself (so the last admin can never lock everyone out), and patients and
referring doctors, who own profile records, keep their role.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, TypedDict

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from mediconnect.core.policy import Principal
from mediconnect.core.tokens import revoke_user_tokens
from mediconnect.models.clinics import Clinic
from mediconnect.models.staff import Doctor, DoctorClinicAffiliation, StaffAssignment
from mediconnect.models.users import Role, User, UserPublic
from mediconnect.services import accounts, sessions
from mediconnect.services.accounts import InvalidInput, NotFound
from mediconnect.services.admin_access import AdminFormError, admin_only, audited, in_force, record, today
from mediconnect.services.staff_accounts import (
    ROLE_LABELS,
    STAFF_ROLES,
    CreatedStaff,
    create_staff,
    doctor_fields,
    parse_role,
)

__all__ = [
    "ROLE_LABELS",
    "SORTS",
    "STAFF_ROLES",
    "CreatedStaff",
    "UserPage",
    "UserRow",
    "assign_role",
    "create_staff",
    "deactivate",
    "list_users",
    "reactivate",
    "user_row",
]

RESOURCE = "user"
SORTS = ("name", "email", "role", "created", "last_login")
PAGE_SIZE_MAX = 100
SEARCH_MAX = 100


class UserRow(TypedDict):
    """One line of the admin's user table: what an admin needs, nothing more."""

    id: int
    email: str
    name: str
    role: str
    role_label: str
    is_active: bool
    clinics: str
    created: str
    last_login: str


@dataclass(frozen=True, slots=True)
class UserPage:
    rows: list[UserRow]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _target(session: Session, principal: Principal, user_id: int, *, field: str = "form") -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("No such user: they may have been removed. Reload the list.", field=field)
    if user.id == principal.user_id:
        raise InvalidInput("You cannot change your own account here; ask another administrator.", field=field)
    return user


def _record(
    session: Session,
    principal: Principal,
    action: str,
    user_id: int | None,
    ip: str | None,
    detail: str | None = None,
) -> None:
    record(session, principal, action, resource_type=RESOURCE, resource_id=user_id, ip=ip, detail=detail)


def _time(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if value else ""


# --------------------------------------------------------------------------- listing


def _clinic_names(session: Session, user_ids: list[int], on: date) -> dict[int, list[str]]:
    if not user_ids:
        return {}
    aff = DoctorClinicAffiliation
    doctor_rows = session.exec(
        select(Doctor.user_id, Clinic.name)
        .join(aff, col(aff.doctor_id) == col(Doctor.id))
        .join(Clinic, col(Clinic.id) == col(aff.clinic_id))
        .where(col(Doctor.user_id).in_(user_ids), in_force(aff.started_on, aff.ended_on, on))
    ).all()
    sa_ = StaffAssignment
    staff_rows = session.exec(
        select(sa_.user_id, Clinic.name)
        .join(Clinic, col(Clinic.id) == col(sa_.clinic_id))
        .where(col(sa_.user_id).in_(user_ids), in_force(sa_.starts_on, sa_.ends_on, on))
    ).all()
    names: dict[int, list[str]] = {}
    for uid, name in [*doctor_rows, *staff_rows]:
        if uid is not None and name not in names.setdefault(uid, []):
            names[uid].append(name)
    return names


def _row(user: User, clinics: list[str]) -> UserRow:
    assert user.id is not None
    role = Role(user.role)
    return UserRow(
        id=user.id,
        email=user.email,
        name=user.full_name,
        role=role.value,
        role_label=ROLE_LABELS[role],
        is_active=user.is_active,
        clinics=", ".join(sorted(clinics)),
        created=user.created_at.astimezone(UTC).date().isoformat() if user.created_at else "",
        last_login=_time(user.last_login_at),
    )


def _at_clinic(clinic_id: int, on: date) -> ColumnElement[bool]:
    aff, sa_ = DoctorClinicAffiliation, StaffAssignment
    as_doctor = sa.exists().where(
        col(Doctor.user_id) == col(User.id),
        col(aff.doctor_id) == col(Doctor.id),
        col(aff.clinic_id) == clinic_id,
        in_force(aff.started_on, aff.ended_on, on),
    )
    as_staff = sa.exists().where(
        col(sa_.user_id) == col(User.id),
        col(sa_.clinic_id) == clinic_id,
        in_force(sa_.starts_on, sa_.ends_on, on),
    )
    return sa.or_(as_doctor, as_staff)


def _order(sort: str, descending: bool) -> list[Any]:
    columns: dict[str, list[Any]] = {
        "name": [sa.func.lower(col(User.last_name)), sa.func.lower(col(User.first_name))],
        "email": [sa.func.lower(col(User.email))],
        "role": [col(User.role)],
        "created": [col(User.created_at)],
        "last_login": [col(User.last_login_at)],
    }
    chosen = columns[sort]
    ordered = [c.desc().nulls_last() if descending else c.asc().nulls_last() for c in chosen]
    return [*ordered, col(User.id).desc() if descending else col(User.id).asc()]


def list_users(
    *,
    session: Session,
    principal: Principal,
    text: str = "",
    role: Role | str | None = None,
    active: bool | None = None,
    clinic_id: int | None = None,
    sort: str = "name",
    descending: bool = False,
    page: int = 1,
    page_size: int = 25,
    ip: str | None = None,
) -> UserPage:
    """One page of users matching every given filter; ``text`` matches name, email or id."""
    admin_only(session, principal=principal, resource_type=RESOURCE, ip=ip)
    query = (text or "").strip().lower()
    if len(query) > SEARCH_MAX:
        raise InvalidInput(f"Search for at most {SEARCH_MAX} characters.", field="text")
    if sort not in SORTS:
        raise InvalidInput("Sort by one of the table's columns.", field="sort")
    page_size = min(max(1, page_size), PAGE_SIZE_MAX)
    on = today()

    where: list[ColumnElement[bool]] = []
    if query:
        pattern = _like(query)
        full_name = sa.func.lower(col(User.first_name) + " " + col(User.last_name))
        matches: list[ColumnElement[bool]] = [
            sa.func.lower(col(User.email)).like(pattern, escape="\\"),
            full_name.like(pattern, escape="\\"),
        ]
        if query.isdigit() and len(query) < 10:
            matches.append(col(User.id) == int(query))
        where.append(sa.or_(*matches))
    if role:
        where.append(col(User.role) == parse_role(role))
    if active is not None:
        where.append(col(User.is_active).is_(active))
    if clinic_id is not None:
        where.append(_at_clinic(clinic_id, on))

    total = session.exec(select(sa.func.count()).select_from(User).where(*where)).one()
    pages = max(1, math.ceil(total / page_size))
    page = min(max(1, page), pages)
    users = session.exec(
        select(User)
        .where(*where)
        .order_by(*_order(sort, descending))
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    names = _clinic_names(session, [u.id for u in users if u.id is not None], on)
    rows = [_row(u, names.get(u.id or 0, [])) for u in users]

    parts = [
        f"text={query!r}" if query else "",
        f"role={role}" if role else "",
        "" if active is None else f"active={active}",
        "" if clinic_id is None else f"clinic={clinic_id}",
        f"page={page}",
    ]
    filters = " ".join(p for p in parts if p)
    audited(session, lambda: _record(session, principal, "user.search", None, ip, filters))
    return UserPage(rows=rows, total=int(total), page=page, page_size=page_size)


def user_row(*, session: Session, principal: Principal, user_id: int, ip: str | None = None) -> UserRow:
    """One user's table line (to refresh a row after a change)."""
    admin_only(session, principal=principal, resource_type=RESOURCE, ip=ip)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("No such user: they may have been removed. Reload the list.")
    return _row(user, _clinic_names(session, [user_id], today()).get(user_id, []))


# --------------------------------------------------------------------------- role, (de)activation


def assign_role(
    *,
    session: Session,
    principal: Principal,
    user_id: int,
    role: Role | str,
    specialization: str | None = None,
    license_number: str | None = None,
    ip: str | None = None,
) -> UserPublic:
    """Move a staff member to another staff role. Their sessions and API tokens end (they sign
    in again with the new role's access). A new doctor needs a specialisation and licence."""
    admin_only(session, principal=principal, resource_type=RESOURCE, ip=ip)
    user = _target(session, principal, user_id, field="role")
    new = parse_role(role)
    old = Role(user.role)
    if old not in STAFF_ROLES:
        raise InvalidInput(
            f"{ROLE_LABELS[old]}s sign up themselves and keep their role; only staff roles change here.",
            field="role",
        )
    if new not in STAFF_ROLES:
        raise InvalidInput(
            "Choose a staff role: patients and referring doctors register themselves.", field="role"
        )
    if new is old:
        raise InvalidInput(f"This user is already {ROLE_LABELS[new].lower()}.", field="role")
    doctor_row, speciality, licence = None, "", ""
    if new is Role.DOCTOR:
        doctor_row = session.exec(select(Doctor).where(Doctor.user_id == user.id)).first()
        if doctor_row is None:
            errors: dict[str, str] = {}
            speciality, licence = doctor_fields(session, specialization, license_number, errors)
            if errors:
                raise AdminFormError(errors)

    def work() -> None:
        if new is Role.DOCTOR and doctor_row is None:
            session.add(Doctor(user_id=user.id, specialization=speciality, license_number=licence))
        user.role = new
        session.add(user)
        assert user.id is not None
        sessions.end_user_sessions(session=session, user_id=user.id, commit=False)
        revoke_user_tokens(session, user_id=user.id)
        _record(session, principal, "user.role_change", user.id, ip, f"{old.value} -> {new.value}")

    audited(session, work)
    return accounts.public_user(user)


def deactivate(*, session: Session, principal: Principal, user_id: int, ip: str | None = None) -> list[str]:
    """Deactivate an account: its sessions and refresh tokens end at once, and access tokens
    issued before now stay refused even after a reactivation. Returns the ended client tokens."""
    admin_only(session, principal=principal, resource_type=RESOURCE, ip=ip)
    user = _target(session, principal, user_id)
    if not user.is_active:
        raise InvalidInput("This account is already deactivated.")
    try:
        # Recorded first, in the same transaction that deactivate_user commits.
        _record(session, principal, "user.deactivate", user_id, ip)
    except BaseException:
        session.rollback()
        raise
    return accounts.deactivate_user(session=session, user_id=user_id)


def reactivate(*, session: Session, principal: Principal, user_id: int, ip: str | None = None) -> UserPublic:
    """Let a deactivated account sign in again. ``deactivated_at`` stays, so tokens issued
    before the deactivation remain dead; the user signs in afresh."""
    admin_only(session, principal=principal, resource_type=RESOURCE, ip=ip)
    user = _target(session, principal, user_id)
    if user.is_active:
        raise InvalidInput("This account is already active.")

    def work() -> None:
        user.is_active = True
        session.add(user)
        _record(session, principal, "user.reactivate", user_id, ip)

    audited(session, work)
    return accounts.public_user(user)
