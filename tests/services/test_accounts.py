"""Accounts service: registration, sign-in and lockout, sessions, profile, password reset.

Runs on SQLite and (with TEST_DATABASE_URL) PostgreSQL through the rolled-back ``session``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session, func, select

from mediconnect.core.passwords import verify_password
from mediconnect.core.settings import get_settings
from mediconnect.models.audit import AuditLog
from mediconnect.models.base import utcnow
from mediconnect.models.patients import MedicalAidMembership, MedicalAidScheme, Patient
from mediconnect.models.staff import ReferringDoctor
from mediconnect.models.users import (
    LoginAttempt,
    LoginOutcome,
    PasswordResetToken,
    Role,
    SecurityIncident,
    User,
    UserSession,
)
from mediconnect.services import accounts, authentication, registration, sessions
from mediconnect.services.accounts import (
    AccountError,
    DuplicateEmail,
    InvalidEmail,
    InvalidInput,
    ResetLinkError,
    WeakPassword,
    WrongPassword,
)
from mediconnect.services.mailer import MailError
from tests.support.smtp_sink import SmtpSink

PASSWORD = "Correct-horse-42"
DOB = date(1990, 5, 17)


def unique_email(name: str = "user") -> str:
    return f"{name}.{uuid.uuid4().hex[:10]}@example.org"


def counts(session: Session) -> tuple[int, int, int]:
    return (
        session.exec(select(func.count()).select_from(User)).one(),
        session.exec(select(func.count()).select_from(Patient)).one(),
        session.exec(select(func.count()).select_from(ReferringDoctor)).one(),
    )


def make_patient(session: Session, email: str | None = None, password: str = PASSWORD):
    return accounts.register_patient(
        session=session,
        email=email or unique_email("pat"),
        password=password,
        first_name="Lindiwe",
        last_name="Sithole",
        date_of_birth=DOB,
        phone="+27 82 555 0101",
    )


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpSink]:
    with SmtpSink() as sink:
        settings = get_settings()
        monkeypatch.setattr(settings, "SMTP_HOST", sink.host)
        monkeypatch.setattr(settings, "SMTP_PORT", sink.port)
        yield sink


# --------------------------------------------------------------------------- registration


def test_register_patient_creates_user_and_patient(session: Session) -> None:
    email = unique_email("thandi")
    user = accounts.register_patient(
        session=session,
        email=f"  {email.upper()} ",
        password=PASSWORD,
        first_name=" Thandi ",
        last_name="Mabaso",
        date_of_birth=DOB,
        phone="082 555 0199",
    )
    assert user.role is Role.PATIENT and user.email == email and user.first_name == "Thandi"
    row = session.get(User, user.id)
    assert row is not None and row.password_hash and row.password_hash.startswith("$argon2id$")
    assert verify_password(row.password_hash, PASSWORD)
    patient = session.exec(select(Patient).where(Patient.user_id == user.id)).one()
    assert (patient.first_name, patient.last_name, patient.date_of_birth) == ("Thandi", "Mabaso", DOB)
    assert patient.email == email and patient.phone == "082 555 0199"
    created = session.exec(select(AuditLog).where(AuditLog.patient_id == patient.id)).one()
    assert (created.user_id, created.role, created.action, created.resource_type) == (
        user.id,
        "patient",
        "create",
        "patient",
    )


def test_register_referring_doctor(session: Session) -> None:
    number = f"PR{uuid.uuid4().hex[:8]}"
    user = accounts.register_referring_doctor(
        session=session,
        email=unique_email("dr"),
        password=PASSWORD,
        first_name="Pieter",
        last_name="Botha",
        practice_name="Botha Family Practice",
        practice_number=number,
    )
    assert user.role is Role.REFERRING_DOCTOR
    doc = session.exec(select(ReferringDoctor).where(ReferringDoctor.user_id == user.id)).one()
    assert doc.practice_number == number and doc.practice_name == "Botha Family Practice"

    before = counts(session)
    with pytest.raises(DuplicateEmail) as err:
        accounts.register_referring_doctor(
            session=session,
            email=unique_email("dr2"),
            password=PASSWORD,
            first_name="Anna",
            last_name="Botha",
            practice_name="Other",
            practice_number=number,
        )
    assert err.value.field == "practice_number"
    assert counts(session) == before


@pytest.mark.parametrize(
    ("changes", "error", "field", "text"),
    [
        ({"email": "not-an-email"}, InvalidEmail, "email", "valid email"),
        ({"email": ""}, InvalidEmail, "email", "Enter your email"),
        ({"password": "Sh0rt!"}, WeakPassword, "password", "at least 10"),
        ({"password": "onlyletterslong"}, WeakPassword, "password", "only letters"),
        ({"password": "12345678901234"}, WeakPassword, "password", "only letters or only digits"),
        ({"password": ""}, WeakPassword, "password", "Choose a password"),
        ({"first_name": "  "}, InvalidInput, "first_name", "first name"),
        ({"last_name": ""}, InvalidInput, "last_name", "last name"),
        ({"phone": "call me"}, InvalidInput, "phone", "phone number"),
        ({"date_of_birth": date.today() + timedelta(days=2)}, InvalidInput, "date_of_birth", "future"),
        ({"date_of_birth": None}, InvalidInput, "date_of_birth", "date of birth"),
        ({"date_of_birth": date(1800, 1, 1)}, InvalidInput, "date_of_birth", "year"),
    ],
)
def test_register_patient_rejects_bad_input(
    session: Session, changes: dict, error: type[AccountError], field: str, text: str
) -> None:
    before = counts(session)
    args = {
        "email": unique_email(),
        "password": PASSWORD,
        "first_name": "Sipho",
        "last_name": "Ndlovu",
        "date_of_birth": DOB,
        "phone": None,
    } | changes
    with pytest.raises(error) as err:
        accounts.register_patient(session=session, **args)
    assert err.value.field == field
    assert text in str(err.value)
    assert counts(session) == before


def test_password_may_not_contain_the_email_name(session: Session) -> None:
    with pytest.raises(WeakPassword, match="email name"):
        accounts.register_patient(
            session=session,
            email="sipho.ndlovu@example.org",
            password="Sipho.Ndlovu-2024",
            first_name="Sipho",
            last_name="Ndlovu",
            date_of_birth=DOB,
        )


def test_duplicate_email_is_refused_case_insensitively(session: Session) -> None:
    email = unique_email("dup")
    make_patient(session, email)
    before = counts(session)
    with pytest.raises(DuplicateEmail, match="already exists") as err:
        make_patient(session, email.upper())
    assert err.value.field == "email"
    assert counts(session) == before


def test_duplicate_email_race_rolls_back_everything(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two sign-ups passing the check together: the database's unique index decides, cleanly."""
    email = unique_email("race")
    make_patient(session, email)
    before = counts(session)
    monkeypatch.setattr(registration, "_email_taken", lambda *_: False)
    with pytest.raises(DuplicateEmail):
        make_patient(session, email)
    assert counts(session) == before


def test_failure_after_the_user_row_leaves_nothing(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    before = counts(session)

    def broken_patient(**_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(registration, "Patient", broken_patient)
    email = unique_email("half")
    with pytest.raises(RuntimeError):
        make_patient(session, email)
    assert counts(session) == before
    assert session.exec(select(User).where(User.email == email)).first() is None


# --------------------------------------------------------------------------- sign-in


def test_authenticate_success_records_the_attempt(session: Session) -> None:
    user = make_patient(session)
    result = accounts.authenticate(
        session=session, email=user.email.upper(), password=PASSWORD, ip="10.0.0.7"
    )
    assert result.ok and result.user is not None and result.user.id == user.id
    row = session.get(User, user.id)
    assert row is not None and row.last_login_at is not None
    attempt = session.exec(select(LoginAttempt).where(LoginAttempt.email == user.email)).one()
    assert attempt.success and attempt.outcome is LoginOutcome.SUCCESS
    assert (attempt.user_id, attempt.ip_address) == (user.id, "10.0.0.7")


def test_wrong_password_and_unknown_user_look_the_same(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = make_patient(session)
    unknown = unique_email("nobody")

    bad = accounts.authenticate(session=session, email=user.email, password="Wrong-pass-1", ip="10.0.0.8")
    missing = accounts.authenticate(session=session, email=unknown, password="Wrong-pass-1", ip="10.0.0.8")
    assert not bad.ok and not missing.ok
    assert bad.message == missing.message == "Email or password is incorrect."
    assert (bad.outcome, missing.outcome) == (LoginOutcome.BAD_PASSWORD, LoginOutcome.UNKNOWN_USER)

    rows = session.exec(select(LoginAttempt).where(LoginAttempt.ip_address == "10.0.0.8")).all()
    assert {(r.email, r.user_id, r.success) for r in rows} == {
        (user.email, user.id, False),
        (unknown, None, False),
    }

    # An unknown address still runs one full argon2 verification...
    calls: list[str | None] = []
    real_verify = authentication.verify_password
    monkeypatch.setattr(authentication, "verify_password", lambda h, p: calls.append(h) or real_verify(h, p))
    accounts.authenticate(session=session, email=unique_email("ghost"), password="x", ip=None)
    assert len(calls) == 1 and calls[0] and calls[0].startswith("$argon2id$")

    # ...with the same argon2 cost parameters as a real account's hash, so it costs the same work
    # (compared as parameters, not as wall-clock time, which a loaded machine would make flaky).
    def cost(encoded: str) -> str:
        return "$".join(encoded.split("$")[:4])  # "$argon2id$v=19$m=...,t=...,p=..."

    stored = session.get(User, user.id)
    assert stored is not None and stored.password_hash
    assert cost(calls[0]) == cost(stored.password_hash)


def test_lockout_after_five_failures(session: Session) -> None:
    user = make_patient(session)
    results = [
        accounts.authenticate(session=session, email=user.email, password=f"Wrong-pass-{i}", ip="10.0.0.9")
        for i in range(5)
    ]
    assert [r.outcome for r in results[:4]] == [LoginOutcome.BAD_PASSWORD] * 4
    assert results[4].outcome is LoginOutcome.LOCKED and "locked" in results[4].message

    # Even the right password is refused while locked, and that attempt is recorded too.
    locked = accounts.authenticate(session=session, email=user.email, password=PASSWORD, ip="10.0.0.9")
    assert not locked.ok and locked.outcome is LoginOutcome.LOCKED
    assert locked.locked_until is not None and locked.locked_until > utcnow()
    assert "Try again in 15 minutes" in locked.message
    outcomes = session.exec(select(LoginAttempt.outcome).where(LoginAttempt.email == user.email)).all()
    assert outcomes.count(LoginOutcome.LOCKED) == 1 and len(outcomes) == 6
    incident = session.exec(select(SecurityIncident).where(SecurityIncident.user_id == user.id)).one()
    assert incident.incident_type == "account_lockout"


def test_unknown_addresses_lock_the_same_way(session: Session) -> None:
    email = unique_email("ghost")
    outcomes = [
        accounts.authenticate(session=session, email=email, password="Wrong-pass-1", ip=None).outcome
        for _ in range(6)
    ]
    assert outcomes == [LoginOutcome.UNKNOWN_USER] * 4 + [LoginOutcome.LOCKED] * 2


def test_a_password_reset_lifts_the_lock(session: Session, smtp: SmtpSink) -> None:
    user = make_patient(session)
    for i in range(5):
        accounts.authenticate(session=session, email=user.email, password=f"Wrong-pass-{i}", ip=None)
    assert accounts.authenticate(session=session, email=user.email, password=PASSWORD, ip=None).outcome is (
        LoginOutcome.LOCKED
    )
    token = accounts.start_password_reset(session=session, email=user.email)
    assert token
    accounts.finish_password_reset(session=session, token=token, new_password="After-reset-pass-1")
    assert accounts.authenticate(session=session, email=user.email, password="After-reset-pass-1", ip=None).ok


def test_deactivated_account_cannot_sign_in(session: Session) -> None:
    user = make_patient(session)
    accounts.deactivate_user(session=session, user_id=user.id)
    wrong = accounts.authenticate(session=session, email=user.email, password="Wrong-pass-1", ip=None)
    assert wrong.outcome is LoginOutcome.BAD_PASSWORD  # nothing revealed without the password
    right = accounts.authenticate(session=session, email=user.email, password=PASSWORD, ip=None)
    assert right.outcome is LoginOutcome.INACTIVE and "deactivated" in right.message


# --------------------------------------------------------------------------- sessions


def test_session_lifecycle(session: Session) -> None:
    user = make_patient(session)
    token = uuid.uuid4().hex
    assert sessions.resolve_session(session=session, client_token=token) is None
    sessions.create_session(
        session=session, user_id=user.id, client_token=token, ip="10.1.1.1", user_agent="pytest"
    )
    resolved = sessions.resolve_session(session=session, client_token=token)
    assert resolved is not None and resolved.id == user.id and resolved.role is Role.PATIENT

    # Activity moves last_seen_at; staying away longer than the idle timeout ends the session.
    later = utcnow() + sessions.idle_timeout() - timedelta(seconds=5)
    assert sessions.resolve_session(session=session, client_token=token, now=later) is not None
    row = session.exec(select(UserSession).where(UserSession.client_token == token)).one()
    assert row.last_seen_at == later
    too_late = later + sessions.idle_timeout() + timedelta(seconds=1)
    assert sessions.resolve_session(session=session, client_token=token, now=too_late) is None
    session.refresh(row)
    assert row.ended_at is not None
    assert sessions.resolve_session(session=session, client_token=token) is None


def test_logout_and_deactivation_end_sessions(session: Session) -> None:
    user = make_patient(session)
    tab_a, tab_b = uuid.uuid4().hex, uuid.uuid4().hex
    for tab in (tab_a, tab_b):
        sessions.create_session(session=session, user_id=user.id, client_token=tab)
    assert sessions.end_session(session=session, client_token=tab_a)
    assert sessions.resolve_session(session=session, client_token=tab_a) is None
    assert sessions.resolve_session(session=session, client_token=tab_b) is not None

    assert accounts.deactivate_user(session=session, user_id=user.id) == [tab_b]
    assert sessions.resolve_session(session=session, client_token=tab_b) is None


def test_a_new_sign_in_replaces_the_tabs_old_session(session: Session) -> None:
    first, second = make_patient(session), make_patient(session)
    tab = uuid.uuid4().hex
    sessions.create_session(session=session, user_id=first.id, client_token=tab)
    sessions.create_session(session=session, user_id=second.id, client_token=tab)
    resolved = sessions.resolve_session(session=session, client_token=tab)
    assert resolved is not None and resolved.id == second.id
    open_rows = session.exec(
        select(UserSession).where(UserSession.client_token == tab, UserSession.ended_at.is_(None))  # type: ignore[union-attr]
    ).all()
    assert len(open_rows) == 1


# --------------------------------------------------------------------------- profile


def test_update_profile(session: Session) -> None:
    user = make_patient(session)
    profile = accounts.update_profile(
        session=session,
        user_id=user.id,
        first_name="Lindi",
        last_name="Sithole-Dube",
        phone="+27 83 000 1111",
        notify_email=False,
        notify_sms=True,
        address="12 Jacaranda Street",
        city="Pretoria",
        emergency_contact="Bongani Dube +27 83 222 3333",
    )
    assert profile.patient_id is not None
    assert (profile.first_name, profile.last_name, profile.phone) == (
        "Lindi",
        "Sithole-Dube",
        "+27 83 000 1111",
    )
    assert (profile.notify_email, profile.notify_sms) == (False, True)
    assert (profile.address, profile.city) == ("12 Jacaranda Street", "Pretoria")
    patient = session.exec(select(Patient).where(Patient.user_id == user.id)).one()
    assert (patient.first_name, patient.phone, patient.city) == ("Lindi", "+27 83 000 1111", "Pretoria")

    with pytest.raises(InvalidInput, match="SMS") as err:
        accounts.update_profile(
            session=session,
            user_id=user.id,
            first_name="Lindi",
            last_name="Dube",
            phone="",
            notify_email=True,
            notify_sms=True,
        )
    assert err.value.field == "phone"
    with pytest.raises(InvalidInput) as err:
        accounts.update_profile(
            session=session,
            user_id=user.id,
            first_name="",
            last_name="Dube",
            phone=None,
            notify_email=True,
            notify_sms=False,
        )
    assert err.value.field == "first_name"
    assert accounts.get_profile(session=session, user_id=user.id, ip="10.2.2.2").last_name == "Sithole-Dube"
    trail = session.exec(
        select(AuditLog.action, AuditLog.resource_type, AuditLog.ip_address)
        .where(AuditLog.patient_id == patient.id)
        .order_by(AuditLog.id)  # type: ignore[arg-type]
    ).all()
    assert [tuple(t) for t in trail] == [
        ("create", "patient", None),
        ("update", "patient_profile", None),
        ("view", "patient_profile", "10.2.2.2"),
    ]


@pytest.fixture
def schemes(session: Session) -> list[MedicalAidScheme]:
    suffix = uuid.uuid4().hex[:6].upper()
    rows = [
        MedicalAidScheme(code=f"T{suffix}A", name="Test Health A", annual_limit=100000),
        MedicalAidScheme(code=f"T{suffix}B", name="Test Health B", annual_limit=50000),
    ]
    session.add_all(rows)
    session.commit()
    return rows


def test_update_medical_aid(session: Session, schemes: list[MedicalAidScheme]) -> None:
    user = make_patient(session)
    a, b = schemes
    codes = {s["value"] for s in accounts.list_medical_aid_schemes(session=session)}
    assert {a.code, b.code} <= codes

    profile = accounts.update_medical_aid(
        session=session, user_id=user.id, scheme_code=a.code, policy_number="POL-123"
    )
    assert (profile.medical_aid_scheme, profile.medical_aid_policy_number) == (a.code, "POL-123")
    profile = accounts.update_medical_aid(
        session=session, user_id=user.id, scheme_code=b.code, policy_number="B/777", dependant_code="01"
    )
    assert (profile.medical_aid_scheme, profile.medical_aid_dependant_code) == (b.code, "01")
    patient = session.exec(select(Patient).where(Patient.user_id == user.id)).one()
    rows = session.exec(
        select(MedicalAidMembership).where(MedicalAidMembership.patient_id == patient.id)
    ).all()
    assert sorted((r.scheme_id == b.id, r.is_primary) for r in rows) == [(False, False), (True, True)]

    for kwargs, field in [
        ({"scheme_code": "", "policy_number": "P1234"}, "scheme_code"),
        ({"scheme_code": "NOPE", "policy_number": "P1234"}, "scheme_code"),
        ({"scheme_code": a.code, "policy_number": ""}, "policy_number"),
        ({"scheme_code": a.code, "policy_number": "bad policy!"}, "policy_number"),
        ({"scheme_code": a.code, "policy_number": "P1234", "dependant_code": "x"}, "dependant_code"),
    ]:
        with pytest.raises(InvalidInput) as err:
            accounts.update_medical_aid(session=session, user_id=user.id, **kwargs)
        assert err.value.field == field

    # Someone else's policy number is refused.
    other = make_patient(session)
    with pytest.raises(InvalidInput, match="another patient"):
        accounts.update_medical_aid(
            session=session, user_id=other.id, scheme_code=b.code, policy_number="B/777", dependant_code="01"
        )


def test_change_password(session: Session) -> None:
    user = make_patient(session)
    with pytest.raises(WrongPassword) as err:
        accounts.change_password(
            session=session, user_id=user.id, current_password="nope", new_password="Another-pass-9"
        )
    assert err.value.field == "current_password"
    with pytest.raises(WeakPassword) as err:
        accounts.change_password(
            session=session, user_id=user.id, current_password=PASSWORD, new_password="short"
        )
    assert err.value.field == "new_password"
    with pytest.raises(WeakPassword, match="differ"):
        accounts.change_password(
            session=session, user_id=user.id, current_password=PASSWORD, new_password=PASSWORD
        )
    accounts.change_password(
        session=session, user_id=user.id, current_password=PASSWORD, new_password="Another-pass-9"
    )
    assert accounts.authenticate(session=session, email=user.email, password="Another-pass-9", ip=None).ok
    assert not accounts.authenticate(session=session, email=user.email, password=PASSWORD, ip=None).ok


# --------------------------------------------------------------------------- password reset


def test_password_reset_flow(session: Session, smtp: SmtpSink) -> None:
    user = make_patient(session)
    tab = uuid.uuid4().hex
    sessions.create_session(session=session, user_id=user.id, client_token=tab)

    token = accounts.start_password_reset(session=session, email=user.email.upper())
    assert token
    # Only a digest is stored.
    row = session.exec(select(PasswordResetToken).where(PasswordResetToken.user_id == user.id)).one()
    assert row.token_hash != token and len(row.token_hash) == 64
    assert timedelta(minutes=29) < row.expires_at - utcnow() <= timedelta(minutes=30)

    assert len(smtp.messages) == 1
    mail = smtp.messages[0]
    assert mail["To"] == user.email and "Reset your MediConnect password" in mail["Subject"]
    body = mail.get_content()
    assert f"/password-reset/{token}/" in body and "30 minutes" in body

    accounts.check_reset_token(session=session, token=token)
    with pytest.raises(WeakPassword):
        accounts.finish_password_reset(session=session, token=token, new_password="weak")
    accounts.finish_password_reset(session=session, token=token, new_password="Brand-new-pass-7")
    assert accounts.authenticate(session=session, email=user.email, password="Brand-new-pass-7", ip=None).ok
    # Other sessions were ended by the reset.
    assert sessions.resolve_session(session=session, client_token=tab) is None

    with pytest.raises(ResetLinkError, match="already been used"):
        accounts.finish_password_reset(session=session, token=token, new_password="Third-pass-word-8")
    with pytest.raises(ResetLinkError, match="not valid"):
        accounts.check_reset_token(session=session, token="made-up-token")


def test_password_reset_link_expires(session: Session, smtp: SmtpSink) -> None:
    user = make_patient(session)
    token = accounts.start_password_reset(session=session, email=user.email)
    assert token
    session.execute(
        sa.update(PasswordResetToken)
        .where(PasswordResetToken.user_id == user.id)  # type: ignore[arg-type]
        .values(expires_at=utcnow() - timedelta(seconds=1))
    )
    session.commit()
    with pytest.raises(ResetLinkError, match="expired"):
        accounts.finish_password_reset(session=session, token=token, new_password="Brand-new-pass-7")
    assert accounts.authenticate(session=session, email=user.email, password=PASSWORD, ip=None).ok


def test_a_new_reset_link_voids_the_old_one(session: Session, smtp: SmtpSink) -> None:
    user = make_patient(session)
    first = accounts.start_password_reset(session=session, email=user.email)
    second = accounts.start_password_reset(session=session, email=user.email)
    assert first and second and first != second and len(smtp.messages) == 2
    with pytest.raises(ResetLinkError):
        accounts.check_reset_token(session=session, token=first)
    accounts.check_reset_token(session=session, token=second)


def test_password_reset_for_unknown_address_sends_nothing(session: Session, smtp: SmtpSink) -> None:
    assert accounts.start_password_reset(session=session, email=unique_email("nobody")) is None
    assert smtp.messages == []
    with pytest.raises(InvalidEmail):
        accounts.start_password_reset(session=session, email="not an email")


def test_password_reset_mail_failure_stores_no_link(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = make_patient(session)
    settings = get_settings()
    monkeypatch.setattr(settings, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setattr(settings, "SMTP_PORT", 9)  # discard port: nothing listens
    with pytest.raises(MailError):
        accounts.start_password_reset(session=session, email=user.email)
    assert (
        session.exec(select(PasswordResetToken).where(PasswordResetToken.user_id == user.id)).first() is None
    )


def test_registration_errors_reports_every_field_at_once(session: Session) -> None:
    taken = make_patient(session)
    errors = accounts.registration_errors(
        session=session,
        role="patient",
        email=taken.email,
        password="short",
        first_name="",
        last_name="",
        phone="x",
        date_of_birth=date.today() + timedelta(days=1),
    )
    assert set(errors) == {"email", "password", "first_name", "last_name", "phone", "date_of_birth"}
    assert "already exists" in errors["email"]
    assert accounts.registration_errors(
        session=session, role="admin", email=unique_email(), password=PASSWORD, first_name="A", last_name="B"
    ) == {"role": "Choose whether you register as a patient or as a referring doctor."}
    doctor_errors = accounts.registration_errors(
        session=session,
        role="referring_doctor",
        email=unique_email(),
        password=PASSWORD,
        first_name="A",
        last_name="B",
    )
    assert set(doctor_errors) == {"practice_name", "practice_number"}


def test_notification_preferences(session: Session) -> None:
    user = make_patient(session)
    profile = accounts.update_notifications(
        session=session, user_id=user.id, notify_email=False, notify_sms=True
    )
    assert (profile.notify_email, profile.notify_sms) == (False, True)
    accounts.update_profile(
        session=session, user_id=user.id, first_name="A", last_name="B", phone="", notify_sms=False
    )
    with pytest.raises(InvalidInput, match="phone number") as err:
        accounts.update_notifications(session=session, user_id=user.id, notify_email=True, notify_sms=True)
    assert err.value.field == "notify_sms"


def test_changing_the_password_signs_out_other_tabs(session: Session) -> None:
    user = make_patient(session)
    here, elsewhere = uuid.uuid4().hex, uuid.uuid4().hex
    for tab in (here, elsewhere):
        sessions.create_session(session=session, user_id=user.id, client_token=tab)
    ended = accounts.change_password(
        session=session,
        user_id=user.id,
        current_password=PASSWORD,
        new_password="Another-pass-9",
        keep_client_token=here,
    )
    assert ended == [elsewhere]
    assert sessions.resolve_session(session=session, client_token=here) is not None
    assert sessions.resolve_session(session=session, client_token=elsewhere) is None
