"""Creating staff accounts: only an admin does it (patients and referring doctors sign up).

A staff account gets either a random temporary password, returned ONCE for the admin to hand
over, or no password and an emailed one-time reset link (``accounts.start_password_reset``).
Doctors get their ``Doctor`` row (specialisation, licence number) in the same transaction.
Every field's problem is reported at once (``AdminFormError``); nothing is half-created, not
even when the mail server refuses the link.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from mediconnect.core.passwords import hash_password
from mediconnect.core.policy import Principal
from mediconnect.models.staff import Doctor
from mediconnect.models.users import Role, User, UserPublic
from mediconnect.services import accounts
from mediconnect.services.accounts import AccountError, DuplicateEmail, InvalidInput
from mediconnect.services.admin_access import AdminFormError, admin_only, record
from mediconnect.services.mailer import MailError

RESOURCE = "user"
STAFF_ROLES: tuple[Role, ...] = (
    Role.DOCTOR,
    Role.CLINIC_STAFF,
    Role.BILLING_STAFF,
    Role.ANALYTICS_STAFF,
    Role.ADMIN,
)
ROLE_LABELS: dict[Role, str] = {
    Role.PATIENT: "Patient",
    Role.DOCTOR: "Doctor",
    Role.REFERRING_DOCTOR: "Referring doctor",
    Role.CLINIC_STAFF: "Clinic staff",
    Role.BILLING_STAFF: "Billing staff",
    Role.ANALYTICS_STAFF: "Analytics staff",
    Role.ADMIN: "Administrator",
}
_LICENCE_RE = re.compile(r"[A-Za-z0-9/-]{3,40}")


@dataclass(frozen=True, slots=True)
class CreatedStaff:
    user: UserPublic
    # Shown once to the admin, who hands it over; None when a reset link was emailed instead.
    temporary_password: str | None
    reset_link_sent: bool


def parse_role(value: Role | str, *, field: str = "role") -> Role:
    try:
        return Role(value)
    except ValueError:
        raise InvalidInput("Choose a role from the list.", field=field) from None


def required_text(value: str | None, *, field: str, label: str, max_length: int) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(f"Enter the {label}.", field=field)
    if len(text) > max_length:
        raise InvalidInput(f"The {label} is too long (at most {max_length} characters).", field=field)
    return text


def doctor_fields(
    session: Session, specialization: str | None, license_number: str | None, errors: dict[str, str]
) -> tuple[str, str]:
    """A new doctor's specialisation and licence number; problems go into ``errors``."""
    values: dict[str, str] = {}
    for field, label, raw, max_length in (
        ("specialization", "specialisation", specialization, 80),
        ("license_number", "licence number", license_number, 40),
    ):
        try:
            values[field] = required_text(raw, field=field, label=label, max_length=max_length)
        except AccountError as exc:
            errors[field] = exc.message
    licence = values.get("license_number", "")
    if licence and not _LICENCE_RE.fullmatch(licence):
        errors["license_number"] = "A licence number has 3 to 40 letters, digits, dashes or slashes."
    elif licence and session.exec(select(Doctor.id).where(Doctor.license_number == licence)).first():
        errors["license_number"] = "Another doctor already has this licence number."
    return values.get("specialization", ""), licence


def temporary_password(email: str) -> str:
    """A random password that passes the policy, for the admin to hand over once."""
    while True:
        candidate = f"{secrets.token_urlsafe(9)}-{secrets.randbelow(90) + 10}"
        try:
            accounts.validate_password(candidate, email=email)
        except AccountError:
            continue
        return candidate


def _email(session: Session, email: str, errors: dict[str, str]) -> str:
    address = accounts.normalise_email(email)
    if not address:
        errors["email"] = "Enter the email address."
        return address
    try:
        address = accounts.validate_email(address)
    except AccountError as exc:
        errors["email"] = exc.message
        return address
    if session.exec(select(User.id).where(sa.func.lower(User.email) == address)).first():
        errors["email"] = "An account with this email already exists: find it in the list instead."
    return address


@dataclass(frozen=True, slots=True)
class _StaffForm:
    """The create form's values once every field has passed."""

    role: Role
    email: str
    first_name: str
    last_name: str
    phone: str | None
    specialization: str
    license_number: str


def create_staff(
    *,
    session: Session,
    principal: Principal,
    role: Role | str,
    email: str,
    first_name: str,
    last_name: str,
    phone: str | None = None,
    send_reset_link: bool = False,
    specialization: str | None = None,
    license_number: str | None = None,
    is_radiologist: bool = False,
    ip: str | None = None,
) -> CreatedStaff:
    """A staff account, with a temporary password returned once, or no password and an
    emailed reset link. If the email cannot be sent, nothing is created."""
    admin_only(session, principal=principal, resource_type=RESOURCE, ip=ip)
    form = _staff_form(
        session,
        role=role,
        email=email,
        first_name=first_name,
        last_name=last_name,
        phone=phone,
        specialization=specialization,
        license_number=license_number,
    )
    password = None if send_reset_link else temporary_password(form.email)
    user = _new_user(form, password)
    _save_staff(
        session, principal, user, form, send_reset_link=send_reset_link, is_radiologist=is_radiologist, ip=ip
    )
    return CreatedStaff(
        user=accounts.public_user(user), temporary_password=password, reset_link_sent=send_reset_link
    )


def _staff_form(
    session: Session,
    *,
    role: Role | str,
    email: str,
    first_name: str,
    last_name: str,
    phone: str | None,
    specialization: str | None,
    license_number: str | None,
) -> _StaffForm:
    """The checked form, or AdminFormError with every field's problem (in the form's order)."""
    errors: dict[str, str] = {}
    chosen = _staff_role(role, errors)
    address = _email(session, email, errors)
    names = _names(first_name, last_name, errors)
    phone_value = None
    try:
        phone_value = accounts.validate_phone(phone)
    except AccountError as exc:
        errors["phone"] = exc.message
    speciality = licence = ""
    if chosen is Role.DOCTOR:
        speciality, licence = doctor_fields(session, specialization, license_number, errors)
    if errors:
        raise AdminFormError(errors)
    assert chosen is not None
    return _StaffForm(
        role=chosen,
        email=address,
        first_name=names["first_name"],
        last_name=names["last_name"],
        phone=phone_value,
        specialization=speciality,
        license_number=licence,
    )


def _staff_role(role: Role | str, errors: dict[str, str]) -> Role | None:
    chosen: Role | None = None
    try:
        chosen = parse_role(role)
    except AccountError as exc:
        errors["role"] = exc.message
    if chosen is not None and chosen not in STAFF_ROLES:
        errors["role"] = "Staff accounts are doctors, clinic, billing or analytics staff, or administrators."
    return chosen


def _names(first_name: str, last_name: str, errors: dict[str, str]) -> dict[str, str]:
    names: dict[str, str] = {}
    for field, label, raw in (
        ("first_name", "first name", first_name),
        ("last_name", "last name", last_name),
    ):
        try:
            names[field] = required_text(raw, field=field, label=label, max_length=80)
        except AccountError as exc:
            errors[field] = exc.message
    return names


def _new_user(form: _StaffForm, password: str | None) -> User:
    return User(
        email=form.email,
        password_hash=hash_password(password) if password else None,
        role=form.role,
        first_name=form.first_name,
        last_name=form.last_name,
        phone=form.phone,
        notify_sms=form.phone is not None,
    )


def _save_staff(
    session: Session,
    principal: Principal,
    user: User,
    form: _StaffForm,
    *,
    send_reset_link: bool,
    is_radiologist: bool,
    ip: str | None,
) -> None:
    """Writes and commits the account, or rolls it all back and says why."""
    try:
        _write_staff(
            session,
            principal,
            user,
            form,
            send_reset_link=send_reset_link,
            is_radiologist=is_radiologist,
            ip=ip,
        )
    except MailError:
        raise InvalidInput(
            "The reset email could not be sent, so the account was not created. "
            "Try again later, or create it with a temporary password.",
            field="send_reset_link",
        ) from None
    except IntegrityError as exc:
        session.rollback()
        # Another admin created the same address or licence a moment ago.
        if "license_number" in str(exc.orig).lower():
            raise DuplicateEmail(
                "Another doctor already has this licence number.", field="license_number"
            ) from None
        raise DuplicateEmail("An account with this email already exists.", field="email") from None
    except BaseException:
        session.rollback()
        raise


def _write_staff(
    session: Session,
    principal: Principal,
    user: User,
    form: _StaffForm,
    *,
    send_reset_link: bool,
    is_radiologist: bool,
    ip: str | None,
) -> None:
    """Writes the account (and a doctor's row) and its audit row, then commits, or has
    start_password_reset commit once the link is sent."""
    session.add(user)
    session.flush()
    if form.role is Role.DOCTOR:
        doctor = Doctor(
            user_id=user.id,
            specialization=form.specialization,
            license_number=form.license_number,
            is_radiologist=is_radiologist,
        )
        session.add(doctor)
        session.flush()
    how = "reset link emailed" if send_reset_link else "temporary password"
    record(
        session,
        principal,
        "user.create",
        resource_type=RESOURCE,
        resource_id=user.id,
        ip=ip,
        detail=f"role={form.role.value}; {how}",
    )
    if send_reset_link:
        # The account is flushed, so the reset finds it; start_password_reset commits it
        # all at once, and rolls it all back if the mail server refuses.
        accounts.start_password_reset(session=session, email=form.email)
    else:
        session.commit()
