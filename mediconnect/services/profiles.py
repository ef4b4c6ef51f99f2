"""The signed-in user's own profile: contact details, notifications, medical aid and password."""

from __future__ import annotations

import re

from pydantic import BaseModel
from sqlmodel import Session, col, select

from mediconnect.core import audit
from mediconnect.core.passwords import hash_password, verify_password
from mediconnect.core.tokens import revoke_user_tokens
from mediconnect.models.base import utcnow
from mediconnect.models.patients import MedicalAidMembership, MedicalAidScheme, MembershipStatus, Patient
from mediconnect.models.users import Role, User
from mediconnect.services import sessions
from mediconnect.services.account_audit import audit_own_record
from mediconnect.services.account_errors import InvalidInput, NotFound, WeakPassword, WrongPassword
from mediconnect.services.account_rules import (
    optional_field,
    required_field,
    validate_password,
    validate_phone,
)
from mediconnect.services.options import Option


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


def get_profile(*, session: Session, user_id: int, ip: str | None = None) -> ProfilePublic:
    """The user's own profile. Reading a patient's record is audited (and committed)."""
    user = _user_or_error(session, user_id)
    profile = _profile(session, user)
    if profile.patient_id is not None:
        try:
            audit_own_record(
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


def list_medical_aid_schemes(*, session: Session) -> list[Option]:
    """The active schemes a patient may choose: ``value`` the scheme's code, ``label`` its name."""
    rows = session.exec(
        select(MedicalAidScheme)
        .where(col(MedicalAidScheme.is_active).is_(True))
        .order_by(MedicalAidScheme.name)
    ).all()
    return [Option(value=s.code, label=s.name) for s in rows]


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
    first = required_field(first_name, field="first_name", label="first name", max_length=80)
    last = required_field(last_name, field="last_name", label="last name", max_length=80)
    phone_value = validate_phone(phone)
    addr = optional_field(address, field="address", label="address", max_length=200)
    town = optional_field(city, field="city", label="city", max_length=80)
    emergency = optional_field(
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
            audit_own_record(
                session, user, audit.AuditAction.UPDATE, patient.id, "patient_profile", patient.id, ip
            )
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
    scheme = _active_scheme(session, scheme_code)
    policy, dependant = _membership_numbers(policy_number, dependant_code)
    _refuse_anothers_membership(session, patient=patient, scheme=scheme, policy=policy, dependant=dependant)
    try:
        current = _make_primary(session, patient=patient, scheme=scheme, policy=policy, dependant=dependant)
        audit_own_record(
            session, user, audit.AuditAction.UPDATE, patient.id, "medical_aid_membership", current.id, ip
        )
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return _profile(session, user)


def _active_scheme(session: Session, scheme_code: str) -> MedicalAidScheme:
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
    return scheme


def _membership_numbers(policy_number: str, dependant_code: str) -> tuple[str, str]:
    """The policy number and dependant code, checked; a blank dependant code is the main member's."""
    policy = required_field(policy_number, field="policy_number", label="policy number", max_length=40)
    if not re.fullmatch(r"[A-Za-z0-9/-]{3,40}", policy):
        raise InvalidInput(
            "A policy number has 3 to 40 letters, digits, dashes or slashes.", field="policy_number"
        )
    dependant = (dependant_code or "00").strip() or "00"
    if not re.fullmatch(r"[0-9]{1,4}", dependant):
        raise InvalidInput(
            "The dependant code is 1 to 4 digits (00 for the main member).", field="dependant_code"
        )
    return policy, dependant


def _refuse_anothers_membership(
    session: Session, *, patient: Patient, scheme: MedicalAidScheme, policy: str, dependant: str
) -> None:
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


def _make_primary(
    session: Session, *, patient: Patient, scheme: MedicalAidScheme, policy: str, dependant: str
) -> MedicalAidMembership:
    """The patient's membership of ``scheme`` (new or updated), made their only primary one;
    flushed, not committed."""
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
    return current


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
