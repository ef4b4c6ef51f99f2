"""Accounts: self-registration, sign-in, profile, password change and reset.

Keyword-only functions taking a session (ARCHITECTURE convention 1). Each one that writes
commits its own transaction and rolls it back on failure, so nothing is ever half-created.
Bad input raises an ``AccountError`` (a ``ValueError``) whose ``field`` names the form field
the message belongs to, so every surface can show it next to that field.
"""

from __future__ import annotations

import hashlib
import math
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TypedDict

import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from mediconnect.core import audit
from mediconnect.core.lockout import Lockout, LockStatus, default_lockout
from mediconnect.core.passwords import hash_password, needs_rehash, verify_password
from mediconnect.core.settings import get_settings
from mediconnect.core.tokens import revoke_user_tokens
from mediconnect.models.base import utcnow
from mediconnect.models.patients import (
    MedicalAidMembership,
    MedicalAidScheme,
    MembershipStatus,
    Patient,
)
from mediconnect.models.staff import ReferringDoctor
from mediconnect.models.users import (
    LoginOutcome,
    PasswordResetToken,
    Role,
    User,
    UserPublic,
)
from mediconnect.services import sessions
from mediconnect.services.mailer import send_email

PASSWORD_MIN_LENGTH = 10
# argon2 hashes any length, but a megabyte "password" is a denial of service, not a secret.
PASSWORD_MAX_LENGTH = 256
RESET_TOKEN_TTL = timedelta(minutes=30)
OLDEST_DOB_YEARS = 130
SELF_SERVICE_ROLES = frozenset({Role.PATIENT, Role.REFERRING_DOCTOR})

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_EMAIL_RE = re.compile(rf"^[A-Za-z0-9.!#$%&'*+/=?^_`{{|}}~-]+@{_LABEL}(?:\.{_LABEL})+$")
_PHONE_RE = re.compile(r"^\+?[0-9 ()-]{7,24}$")
_BAD_CREDENTIALS = "Email or password is incorrect."


# --------------------------------------------------------------------------- errors


class AccountError(ValueError):
    """Bad input for an account operation. ``field`` is the form field it concerns, if any."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidEmail(AccountError):
    pass


class DuplicateEmail(AccountError):
    pass


class WeakPassword(AccountError):
    pass


class InvalidInput(AccountError):
    pass


class WrongPassword(AccountError):
    pass


class ResetLinkError(AccountError):
    """An unknown, expired or already used password-reset link."""


class NotFound(AccountError):
    pass


# --------------------------------------------------------------------------- public shapes


class SchemeOption(TypedDict):
    code: str
    name: str


class ProfilePublic(BaseModel):
    """What the profile page shows the signed-in user about themself."""

    user_id: int
    email: str
    role: Role
    first_name: str
    last_name: str
    phone: str
    notify_email: bool
    notify_sms: bool
    # Patients only; empty for everyone else.
    is_patient: bool = False
    patient_id: int | None = None
    date_of_birth: str = ""
    address: str = ""
    city: str = ""
    emergency_contact: str = ""
    medical_aid_scheme: str = ""
    medical_aid_policy_number: str = ""
    medical_aid_dependant_code: str = ""


@dataclass(frozen=True)
class LoginResult:
    outcome: LoginOutcome
    message: str
    user: UserPublic | None = None
    locked_until: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.outcome is LoginOutcome.SUCCESS


# --------------------------------------------------------------------------- validation


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def validate_email(email: str) -> str:
    value = normalise_email(email)
    if not value:
        raise InvalidEmail("Enter your email address.", field="email")
    if len(value) > 254 or not _EMAIL_RE.match(value) or ".." in value:
        raise InvalidEmail("Enter a valid email address, like name@example.com.", field="email")
    return value


def validate_password(password: str, *, email: str, field: str = "password") -> None:
    """The password policy: long enough, not one kind of character, not the email's name."""
    if not password:
        raise WeakPassword("Choose a password.", field=field)
    if len(password) < PASSWORD_MIN_LENGTH:
        raise WeakPassword(f"Use at least {PASSWORD_MIN_LENGTH} characters.", field=field)
    if len(password) > PASSWORD_MAX_LENGTH:
        raise WeakPassword(f"Use at most {PASSWORD_MAX_LENGTH} characters.", field=field)
    if password.isalpha() or password.isdigit():
        raise WeakPassword(
            "Mix letters with digits or symbols: only letters or only digits is too easy to guess.",
            field=field,
        )
    name = normalise_email(email).split("@", 1)[0]
    if len(name) >= 3 and name in password.lower():
        raise WeakPassword("The password must not contain your email name.", field=field)


def _required(value: str | None, *, field: str, label: str, max_length: int) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(f"Enter your {label}.", field=field)
    if len(text) > max_length:
        raise InvalidInput(f"The {label} is too long (at most {max_length} characters).", field=field)
    return text


def _optional(value: str | None, *, field: str, label: str, max_length: int) -> str | None:
    text = (value or "").strip()
    if len(text) > max_length:
        raise InvalidInput(f"The {label} is too long (at most {max_length} characters).", field=field)
    return text or None


def validate_phone(phone: str | None) -> str | None:
    text = (phone or "").strip()
    if not text:
        return None
    digits = sum(ch.isdigit() for ch in text)
    if not _PHONE_RE.match(text) or not 7 <= digits <= 15:
        raise InvalidInput("Enter a phone number of 7 to 15 digits, like +27 82 555 0123.", field="phone")
    return text


def validate_date_of_birth(value: date | None, *, today: date | None = None) -> date:
    if value is None:
        raise InvalidInput("Enter your date of birth.", field="date_of_birth")
    today = today or utcnow().date()
    if value > today:
        raise InvalidInput("The date of birth cannot be in the future.", field="date_of_birth")
    if value.year < today.year - OLDEST_DOB_YEARS:
        raise InvalidInput("Check the year of your date of birth.", field="date_of_birth")
    return value


def parse_date(text: str, *, field: str = "date_of_birth") -> date | None:
    """An ISO date (what <input type=date> sends) or None when empty."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput("Enter the date as YYYY-MM-DD.", field=field) from None


def _email_taken(session: Session, email: str) -> bool:
    return session.exec(select(User.id).where(sa.func.lower(User.email) == email)).first() is not None


# --------------------------------------------------------------------------- registration


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
    check(lambda: _required(first_name, field="first_name", label="first name", max_length=80))
    check(lambda: _required(last_name, field="last_name", label="last name", max_length=80))
    check(lambda: validate_phone(phone))
    check(lambda: validate_password(password, email=email))
    if chosen is Role.PATIENT:
        check(lambda: validate_date_of_birth(date_of_birth))
    if chosen is Role.REFERRING_DOCTOR:
        check(lambda: _required(practice_name, field="practice_name", label="practice name", max_length=120))
        check(
            lambda: _required(
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
    first = _required(first_name, field="first_name", label="first name", max_length=80)
    last = _required(last_name, field="last_name", label="last name", max_length=80)
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
            _audit(session, user, audit.AuditAction.CREATE, profile.id, "patient", profile.id, ip)
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
    practice = _required(practice_name, field="practice_name", label="practice name", max_length=120)
    number = _required(practice_number, field="practice_number", label="practice number", max_length=40)
    speciality = _optional(specialization, field="specialization", label="specialisation", max_length=80)
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


def public_user(user: User) -> UserPublic:
    assert user.id is not None
    return UserPublic(
        id=user.id,
        email=user.email,
        role=user.role,
        first_name=user.first_name,
        last_name=user.last_name,
        is_active=user.is_active,
    )


def get_user(*, session: Session, user_id: int) -> UserPublic | None:
    user = session.get(User, user_id)
    return public_user(user) if user else None


# --------------------------------------------------------------------------- sign-in


@lru_cache
def _dummy_hash() -> str:
    """A real argon2id hash of nothing anyone knows, verified for unknown users so that they
    cost the same time as a wrong password."""
    return hash_password(secrets.token_urlsafe(24))


def _minutes(delta: timedelta | None) -> int:
    return max(1, math.ceil(delta.total_seconds() / 60)) if delta else 1


def _locked_message(retry_after: timedelta | None) -> str:
    return (
        "Too many failed sign-in attempts: this account is locked for now. Try again in "
        f"{_minutes(retry_after)} minutes, or reset your password."
    )


def authenticate(
    *,
    session: Session,
    email: str,
    password: str,
    ip: str | None,
    lockout: Lockout | None = None,
    method: str = "password",
) -> LoginResult:
    """Check an email and password; record the attempt (a LoginAttempt row); apply the lockout.

    Unknown address, wrong password and a locked account all cost one argon2 verification, and
    the first two get the same message. A deactivated account is only named after the right
    password. Commits the attempt whatever the outcome.
    ``method`` is recorded on the attempt ("password" for the sign-in page, "api" for
    POST /api/auth/token).
    """
    guard = lockout or default_lockout()
    address = normalise_email(email)[:254]
    user = session.exec(select(User).where(sa.func.lower(User.email) == address)).first() if address else None
    user_id = user.id if user else None

    def attempt(outcome: LoginOutcome) -> LockStatus:
        status = guard.record_attempt(
            session, email=address, outcome=outcome, user_id=user_id, ip=ip, method=method
        )
        session.commit()
        return status

    status = guard.status(email=address)
    if status.locked:
        verify_password(_dummy_hash(), password or "-")
        attempt(LoginOutcome.LOCKED)
        return LoginResult(
            LoginOutcome.LOCKED,
            _locked_message(status.retry_after),
            locked_until=utcnow() + status.retry_after if status.retry_after else None,
        )

    if user is None or not user.password_hash:
        verify_password(_dummy_hash(), password or "-")
        status = attempt(LoginOutcome.UNKNOWN_USER)
        if status.locked:
            return LoginResult(LoginOutcome.LOCKED, _locked_message(status.retry_after))
        return LoginResult(LoginOutcome.UNKNOWN_USER, _BAD_CREDENTIALS)

    if not verify_password(user.password_hash, password):
        status = attempt(LoginOutcome.BAD_PASSWORD)
        if status.locked:
            return LoginResult(
                LoginOutcome.LOCKED,
                _locked_message(status.retry_after),
                locked_until=utcnow() + status.retry_after if status.retry_after else None,
            )
        return LoginResult(LoginOutcome.BAD_PASSWORD, _BAD_CREDENTIALS)

    if not user.is_active:
        attempt(LoginOutcome.INACTIVE)
        return LoginResult(
            LoginOutcome.INACTIVE, "This account has been deactivated. Please contact the clinic."
        )

    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    session.add(user)
    attempt(LoginOutcome.SUCCESS)
    return LoginResult(LoginOutcome.SUCCESS, "Signed in.", user=public_user(user))


# --------------------------------------------------------------------------- profile


def _user_or_error(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        raise NotFound("This account no longer exists.")
    return user


def _patient_of(session: Session, user_id: int) -> Patient | None:
    return session.exec(select(Patient).where(Patient.user_id == user_id)).first()


def _primary_membership(session: Session, patient_id: int) -> MedicalAidMembership | None:
    return session.exec(
        select(MedicalAidMembership)
        .where(MedicalAidMembership.patient_id == patient_id)
        .order_by(col(MedicalAidMembership.is_primary).desc(), col(MedicalAidMembership.id).desc())
    ).first()


def _audit(
    session: Session,
    user: User,
    action: str,
    patient_id: int | None,
    resource_type: str,
    resource_id: int | None,
    ip: str | None,
) -> None:
    """The user acting on their own patient record leaves a row like anyone else would."""
    audit.record(
        session,
        principal_or_user_id=user.id,
        role=user.role,
        action=action,
        patient_id=patient_id,
        resource_type=resource_type,
        resource_id=resource_id,
        ip=ip,
    )


def get_profile(*, session: Session, user_id: int, ip: str | None = None) -> ProfilePublic:
    """The user's own profile. Reading a patient's record is audited (and committed)."""
    user = _user_or_error(session, user_id)
    profile = _profile(session, user)
    if profile.patient_id is not None:
        try:
            _audit(
                session,
                user,
                audit.AuditAction.VIEW,
                profile.patient_id,
                "patient_profile",
                profile.patient_id,
                ip,
            )
            session.commit()
        except BaseException:
            session.rollback()
            raise
    return profile


def _profile(session: Session, user: User) -> ProfilePublic:
    assert user.id is not None
    profile = ProfilePublic(
        user_id=user.id,
        email=user.email,
        role=user.role,
        first_name=user.first_name,
        last_name=user.last_name,
        phone=user.phone or "",
        notify_email=user.notify_email,
        notify_sms=user.notify_sms,
    )
    patient = _patient_of(session, user.id)
    if patient is not None:
        assert patient.id is not None
        profile.is_patient = True
        profile.patient_id = patient.id
        profile.date_of_birth = patient.date_of_birth.isoformat()
        profile.address = patient.address or ""
        profile.city = patient.city or ""
        profile.emergency_contact = patient.emergency_contact or ""
        membership = _primary_membership(session, patient.id)
        if membership is not None:
            scheme = session.get(MedicalAidScheme, membership.scheme_id)
            profile.medical_aid_scheme = scheme.code if scheme else ""
            profile.medical_aid_policy_number = membership.policy_number
            profile.medical_aid_dependant_code = membership.dependant_code
    return profile


def list_medical_aid_schemes(*, session: Session) -> list[SchemeOption]:
    rows = session.exec(
        select(MedicalAidScheme)
        .where(col(MedicalAidScheme.is_active).is_(True))
        .order_by(MedicalAidScheme.name)
    ).all()
    return [SchemeOption(code=s.code, name=s.name) for s in rows]


def update_profile(
    *,
    session: Session,
    user_id: int,
    first_name: str,
    last_name: str,
    phone: str | None,
    notify_email: bool | None = None,
    notify_sms: bool | None = None,
    address: str | None = None,
    city: str | None = None,
    emergency_contact: str | None = None,
    ip: str | None = None,
) -> ProfilePublic:
    """Contact details, and notification preferences unless left None; address fields apply
    to patients only."""
    user = _user_or_error(session, user_id)
    first = _required(first_name, field="first_name", label="first name", max_length=80)
    last = _required(last_name, field="last_name", label="last name", max_length=80)
    phone_value = validate_phone(phone)
    addr = _optional(address, field="address", label="address", max_length=200)
    town = _optional(city, field="city", label="city", max_length=80)
    emergency = _optional(
        emergency_contact, field="emergency_contact", label="emergency contact", max_length=120
    )
    sms = user.notify_sms if notify_sms is None else bool(notify_sms)
    if sms and not phone_value:
        raise InvalidInput(
            "Add a phone number, or turn off SMS notifications first: SMS needs a number.", field="phone"
        )
    try:
        user.first_name, user.last_name, user.phone = first, last, phone_value
        user.notify_sms = sms
        if notify_email is not None:
            user.notify_email = bool(notify_email)
        session.add(user)
        patient = _patient_of(session, user_id)
        if patient is not None:
            patient.first_name, patient.last_name, patient.phone = first, last, phone_value
            patient.address, patient.city, patient.emergency_contact = addr, town, emergency
            session.add(patient)
            _audit(session, user, audit.AuditAction.UPDATE, patient.id, "patient_profile", patient.id, ip)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return _profile(session, user)


def update_notifications(
    *, session: Session, user_id: int, notify_email: bool, notify_sms: bool
) -> ProfilePublic:
    user = _user_or_error(session, user_id)
    if notify_sms and not user.phone:
        raise InvalidInput("Add a phone number under contact details to receive SMS.", field="notify_sms")
    try:
        user.notify_email, user.notify_sms = bool(notify_email), bool(notify_sms)
        session.add(user)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return _profile(session, user)


def update_medical_aid(
    *,
    session: Session,
    user_id: int,
    scheme_code: str,
    policy_number: str,
    dependant_code: str = "00",
    ip: str | None = None,
) -> ProfilePublic:
    """Set the patient's primary medical aid membership (scheme and policy number)."""
    user = _user_or_error(session, user_id)
    patient = _patient_of(session, user_id)
    if patient is None or patient.id is None:
        raise InvalidInput("Only patients have a medical aid membership.", field="scheme_code")
    code = (scheme_code or "").strip()
    if not code:
        raise InvalidInput("Choose your medical aid scheme.", field="scheme_code")
    scheme = session.exec(
        select(MedicalAidScheme).where(
            MedicalAidScheme.code == code, col(MedicalAidScheme.is_active).is_(True)
        )
    ).first()
    if scheme is None:
        raise InvalidInput("Choose a medical aid scheme from the list.", field="scheme_code")
    policy = _required(policy_number, field="policy_number", label="policy number", max_length=40)
    if not re.fullmatch(r"[A-Za-z0-9/-]{3,40}", policy):
        raise InvalidInput(
            "A policy number has 3 to 40 letters, digits, dashes or slashes.", field="policy_number"
        )
    dependant = (dependant_code or "00").strip() or "00"
    if not re.fullmatch(r"[0-9]{1,4}", dependant):
        raise InvalidInput(
            "The dependant code is 1 to 4 digits (00 for the main member).", field="dependant_code"
        )

    duplicate = session.exec(
        select(MedicalAidMembership.id).where(
            MedicalAidMembership.scheme_id == scheme.id,
            MedicalAidMembership.policy_number == policy,
            MedicalAidMembership.dependant_code == dependant,
            MedicalAidMembership.patient_id != patient.id,
        )
    ).first()
    if duplicate is not None:
        raise InvalidInput(
            "This policy and dependant code belong to another patient. Check the numbers on your card.",
            field="policy_number",
        )
    try:
        memberships = session.exec(
            select(MedicalAidMembership).where(MedicalAidMembership.patient_id == patient.id)
        ).all()
        current = next((m for m in memberships if m.scheme_id == scheme.id), None)
        for m in memberships:
            if m is not current and m.is_primary:
                m.is_primary = False
                session.add(m)
        if current is None:
            current = MedicalAidMembership(
                patient_id=patient.id,
                scheme_id=scheme.id,
                policy_number=policy,
                dependant_code=dependant,
                principal_member=f"{patient.first_name} {patient.last_name}" if dependant == "00" else None,
                status=MembershipStatus.PENDING,
                valid_from=utcnow().date(),
            )
        else:
            if (current.policy_number, current.dependant_code) != (policy, dependant):
                # New numbers must be checked again by the clinic before claims use them.
                current.status = MembershipStatus.PENDING
            current.policy_number, current.dependant_code = policy, dependant
        current.is_primary = True
        session.add(current)
        session.flush()
        _audit(session, user, audit.AuditAction.UPDATE, patient.id, "medical_aid_membership", current.id, ip)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return _profile(session, user)


# --------------------------------------------------------------------------- passwords


def change_password(
    *,
    session: Session,
    user_id: int,
    current_password: str,
    new_password: str,
    keep_client_token: str | None = None,
) -> list[str]:
    """Set a new password and end the user's other sessions (all but ``keep_client_token``'s);
    returns the ended sessions' client tokens."""
    user = _user_or_error(session, user_id)
    if not new_password:
        raise WeakPassword("Choose a new password.", field="new_password")
    if not verify_password(user.password_hash, current_password):
        raise WrongPassword("The current password is not correct.", field="current_password")
    validate_password(new_password, email=user.email, field="new_password")
    if verify_password(user.password_hash, new_password):
        raise WeakPassword("The new password must differ from the current one.", field="new_password")
    try:
        user.password_hash = hash_password(new_password)
        session.add(user)
        ended = sessions.end_user_sessions(
            session=session, user_id=user_id, except_client_token=keep_client_token, commit=False
        )
        revoke_user_tokens(session, user_id=user_id)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return ended


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def reset_link(token: str) -> str:
    return f"{get_settings().PUBLIC_URL.rstrip('/')}/password-reset/{token}/"


def send_reset_email(*, to: str, name: str, token: str) -> None:
    minutes = int(RESET_TOKEN_TTL.total_seconds() // 60)
    send_email(
        to=to,
        subject="Reset your MediConnect password",
        body=(
            f"Hello {name},\n\n"
            "Someone asked to reset the password of your MediConnect account. If that was you, "
            f"open this link within {minutes} minutes to choose a new password:\n\n"
            f"{reset_link(token)}\n\n"
            "The link works once. If you did not ask for it, ignore this email: your password "
            "stays as it is.\n\nMediConnect"
        ),
    )


def start_password_reset(*, session: Session, email: str) -> str | None:
    """Email a one-time reset link; returns the token, or None when there is no such active
    account (the caller shows the same message either way). Raises MailError when the mail
    server refuses, and then no link is stored."""
    address = validate_email(email)
    user = session.exec(select(User).where(sa.func.lower(User.email) == address)).first()
    if user is None or not user.is_active:
        return None
    token = secrets.token_urlsafe(32)
    now = utcnow()
    try:
        # One live link at a time: older unused ones stop working.
        older = session.exec(
            select(PasswordResetToken).where(
                PasswordResetToken.user_id == user.id, col(PasswordResetToken.used_at).is_(None)
            )
        ).all()
        for row in older:
            row.used_at = now
            session.add(row)
        session.add(
            PasswordResetToken(
                user_id=user.id,
                token_hash=_token_hash(token),
                created_at=now,
                expires_at=now + RESET_TOKEN_TTL,
            )
        )
        session.flush()
        send_reset_email(to=user.email, name=user.first_name, token=token)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return token


def _reset_row(session: Session, token: str) -> PasswordResetToken:
    row = (
        session.exec(
            select(PasswordResetToken).where(PasswordResetToken.token_hash == _token_hash(token))
        ).first()
        if token
        else None
    )
    if row is None:
        raise ResetLinkError(
            "This reset link is not valid. Check that you copied the whole link, or ask for a new one."
        )
    if row.used_at is not None:
        raise ResetLinkError("This reset link has already been used. Ask for a new one if you still need it.")
    if row.expires_at <= utcnow():
        raise ResetLinkError("This reset link has expired. Ask for a new one; links work for 30 minutes.")
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        raise ResetLinkError("This reset link is not valid.")
    return row


def check_reset_token(*, session: Session, token: str) -> None:
    """Raises ResetLinkError when the link cannot be used; the page checks before showing the form."""
    _reset_row(session, token)


def finish_password_reset(*, session: Session, token: str, new_password: str) -> UserPublic:
    row = _reset_row(session, token)
    user = session.get(User, row.user_id)
    assert user is not None and user.id is not None
    validate_password(new_password, email=user.email)
    try:
        user.password_hash = hash_password(new_password)
        row.used_at = utcnow()
        session.add(user)
        session.add(row)
        # Whoever knew the old password is signed out everywhere, API tokens included.
        sessions.end_user_sessions(session=session, user_id=row.user_id, commit=False)
        revoke_user_tokens(session, user_id=user.id)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    # The owner of the mailbox proved themself: lift a lock a guesser may have caused.
    default_lockout().unlock(email=user.email)
    return public_user(user)


def deactivate_user(*, session: Session, user_id: int) -> list[str]:
    """Deactivate an account and end its sessions at once; returns the ended client tokens."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("No such user.")
    try:
        user.is_active = False
        user.deactivated_at = utcnow()
        session.add(user)
        tokens = sessions.end_user_sessions(session=session, user_id=user_id, commit=False)
        revoke_user_tokens(session, user_id=user_id)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return tokens
