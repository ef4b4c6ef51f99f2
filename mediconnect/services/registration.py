"""Self-registration of patients and referring doctors: sign-up form checks and account creation."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from mediconnect.core import audit
from mediconnect.core.passwords import hash_password
from mediconnect.models.patients import Patient
from mediconnect.models.staff import ReferringDoctor
from mediconnect.models.users import Role, User, UserPublic
from mediconnect.services.account_audit import audit_own_record
from mediconnect.services.account_errors import AccountError, DuplicateEmail
from mediconnect.services.account_public import public_user
from mediconnect.services.account_rules import (
    normalise_email,
    optional_field,
    required_field,
    validate_date_of_birth,
    validate_email,
    validate_password,
    validate_phone,
)

SELF_SERVICE_ROLES = frozenset({Role.PATIENT, Role.REFERRING_DOCTOR})


def _email_taken(session: Session, email: str) -> bool:
    return session.exec(select(User.id).where(sa.func.lower(User.email) == email)).first() is not None


def registration_errors(
    *,
    session: Session,
    role: Role | str,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    phone: str | None = None,
    date_of_birth: date | None = None,
    practice_name: str | None = None,
    practice_number: str | None = None,
) -> dict[str, str]:
    """Every problem with a sign-up form at once, by field (empty when it would succeed,
    barring a race). The register_* functions check the same rules and raise the first."""
    errors: dict[str, str] = {}

    def check(fn) -> None:  # type: ignore[no-untyped-def]
        try:
            fn()
        except AccountError as exc:
            errors.setdefault(exc.field or "form", exc.message)

    try:
        chosen = Role(role)
    except ValueError:
        chosen = None
    if chosen not in SELF_SERVICE_ROLES:
        errors["role"] = "Choose whether you register as a patient or as a referring doctor."
    check(lambda: validate_email(email))
    check(lambda: required_field(first_name, field="first_name", label="first name", max_length=80))
    check(lambda: required_field(last_name, field="last_name", label="last name", max_length=80))
    check(lambda: validate_phone(phone))
    check(lambda: validate_password(password, email=email))
    if chosen is Role.PATIENT:
        check(lambda: validate_date_of_birth(date_of_birth))
    if chosen is Role.REFERRING_DOCTOR:
        check(
            lambda: required_field(
                practice_name, field="practice_name", label="practice name", max_length=120
            )
        )
        check(
            lambda: required_field(
                practice_number, field="practice_number", label="practice number", max_length=40
            )
        )
        number = (practice_number or "").strip()
        if (
            number
            and session.exec(
                select(ReferringDoctor.id).where(ReferringDoctor.practice_number == number)
            ).first()
        ):
            errors.setdefault("practice_number", "A practice with this number is already registered.")
    if "email" not in errors and _email_taken(session, normalise_email(email)):
        errors["email"] = "An account with this email already exists. Sign in, or reset your password."
    return errors


def _new_user(
    session: Session,
    *,
    role: Role,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    phone: str | None,
) -> User:
    email = validate_email(email)
    first = required_field(first_name, field="first_name", label="first name", max_length=80)
    last = required_field(last_name, field="last_name", label="last name", max_length=80)
    phone_value = validate_phone(phone)
    validate_password(password, email=email)
    if _email_taken(session, email):
        raise DuplicateEmail(
            "An account with this email already exists. Sign in, or reset your password.", field="email"
        )
    return User(
        email=email,
        password_hash=hash_password(password),
        role=role,
        first_name=first,
        last_name=last,
        phone=phone_value,
        # SMS needs a number; without one only email is on.
        notify_sms=phone_value is not None,
    )


def _commit_new(session: Session, user: User, make_profile, *, ip: str | None) -> UserPublic:  # type: ignore[no-untyped-def]
    try:
        session.add(user)
        session.flush()
        profile = make_profile(user)
        session.add(profile)
        session.flush()
        if isinstance(profile, Patient):
            audit_own_record(session, user, audit.AuditAction.CREATE, profile.id, "patient", profile.id, ip)
        session.commit()
    except IntegrityError as exc:
        session.rollback()
        # Two sign-ups racing for the same address, or a unique profile field.
        text = str(exc.orig).lower()
        if "email" in text:
            raise DuplicateEmail("An account with this email already exists.", field="email") from None
        if "practice_number" in text:
            raise DuplicateEmail(
                "A practice with this number is already registered.", field="practice_number"
            ) from None
        raise
    except BaseException:
        session.rollback()
        raise
    session.refresh(user)
    return public_user(user)


def register_patient(
    *,
    session: Session,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    date_of_birth: date | None,
    phone: str | None = None,
    ip: str | None = None,
) -> UserPublic:
    dob = validate_date_of_birth(date_of_birth)
    user = _new_user(
        session,
        role=Role.PATIENT,
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        phone=phone,
    )
    return _commit_new(
        session,
        user,
        lambda u: Patient(
            user_id=u.id,
            first_name=u.first_name,
            last_name=u.last_name,
            date_of_birth=dob,
            phone=u.phone,
            email=u.email,
        ),
        ip=ip,
    )


def register_referring_doctor(
    *,
    session: Session,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    practice_name: str,
    practice_number: str,
    specialization: str | None = None,
    phone: str | None = None,
    ip: str | None = None,
) -> UserPublic:
    practice = required_field(practice_name, field="practice_name", label="practice name", max_length=120)
    number = required_field(practice_number, field="practice_number", label="practice number", max_length=40)
    speciality = optional_field(specialization, field="specialization", label="specialisation", max_length=80)
    user = _new_user(
        session,
        role=Role.REFERRING_DOCTOR,
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        phone=phone,
    )
    taken = session.exec(select(ReferringDoctor.id).where(ReferringDoctor.practice_number == number)).first()
    if taken is not None:
        raise DuplicateEmail("A practice with this number is already registered.", field="practice_number")
    return _commit_new(
        session,
        user,
        lambda u: ReferringDoctor(
            user_id=u.id, practice_name=practice, practice_number=number, specialization=speciality
        ),
        ip=ip,
    )
