"""Admin user management: listing, staff creation, roles, (de)activation, affiliations.

Runs on SQLite and (with TEST_DATABASE_URL) PostgreSQL through the rolled-back ``session``.
Every non-admin role is refused every function with DASH_002, and the refusal is audited.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session, col, func, select

from mediconnect.core.errors import AccessDenied, AuthError, DashErrorCode
from mediconnect.core.policy import Principal, principal_for
from mediconnect.core.settings import get_settings
from mediconnect.core.tokens import authenticate_access, issue_tokens
from mediconnect.models.audit import AuditLog
from mediconnect.models.base import utcnow
from mediconnect.models.staff import Doctor, DoctorClinicAffiliation, StaffAssignment
from mediconnect.models.users import PasswordResetToken, RefreshToken, Role, User
from mediconnect.services import accounts, affiliations_admin, sessions, users_admin
from mediconnect.services.accounts import AccountError, InvalidInput, NotFound
from mediconnect.services.admin_access import AdminFormError
from tests.core import factories
from tests.support.smtp_sink import SmtpSink

NON_ADMIN_ROLES = [r for r in Role if r is not Role.ADMIN]


def unique_email(name: str = "staff") -> str:
    return f"{name}.{uuid.uuid4().hex[:10]}@example.org"


@pytest.fixture
def admin(session: Session) -> Principal:
    return principal_for(session, user=factories.user(session, Role.ADMIN))


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpSink]:
    with SmtpSink() as sink:
        settings = get_settings()
        monkeypatch.setattr(settings, "SMTP_HOST", sink.host)
        monkeypatch.setattr(settings, "SMTP_PORT", sink.port)
        yield sink


def audit_rows(session: Session, action: str, *, resource_id: int | None = None) -> list[AuditLog]:
    stmt = select(AuditLog).where(AuditLog.action == action)
    if resource_id is not None:
        stmt = stmt.where(AuditLog.resource_id == str(resource_id))
    return list(session.exec(stmt.order_by(col(AuditLog.id))).all())


def create(session: Session, admin: Principal, role: Role = Role.CLINIC_STAFF, **kw: Any):  # type: ignore[no-untyped-def]
    values: dict[str, Any] = {"email": unique_email(), "first_name": "Nomsa", "last_name": "Zulu"}
    values.update(kw)
    return users_admin.create_staff(session=session, principal=admin, role=role, **values)


# --------------------------------------------------------------------------- refusals


def _calls(target_id: int, clinic_id: int) -> dict[str, Callable[[Session, Principal], object]]:
    return {
        "list_users": lambda s, p: users_admin.list_users(session=s, principal=p),
        "user_row": lambda s, p: users_admin.user_row(session=s, principal=p, user_id=target_id),
        "create_staff": lambda s, p: users_admin.create_staff(
            session=s, principal=p, role=Role.ADMIN, email=unique_email(), first_name="Evil", last_name="Twin"
        ),
        "assign_role": lambda s, p: users_admin.assign_role(
            session=s, principal=p, user_id=target_id, role=Role.ADMIN
        ),
        "deactivate": lambda s, p: users_admin.deactivate(session=s, principal=p, user_id=target_id),
        "reactivate": lambda s, p: users_admin.reactivate(session=s, principal=p, user_id=target_id),
        "affiliations": lambda s, p: affiliations_admin.affiliations(
            session=s, principal=p, user_id=target_id
        ),
        "add_clinic": lambda s, p: affiliations_admin.add_clinic(
            session=s, principal=p, user_id=target_id, clinic_id=clinic_id, role="manager"
        ),
        "add_doctor": lambda s, p: affiliations_admin.add_doctor(
            session=s, principal=p, user_id=target_id, doctor_id=1
        ),
        "remove_affiliation": lambda s, p: affiliations_admin.remove_affiliation(
            session=s, principal=p, user_id=target_id, key="staff:1"
        ),
        "clinic_options": lambda s, p: affiliations_admin.clinic_options(session=s, principal=p),
        "doctor_options": lambda s, p: affiliations_admin.doctor_options(session=s, principal=p),
    }


@pytest.mark.parametrize("role", NON_ADMIN_ROLES, ids=[r.value for r in NON_ADMIN_ROLES])
def test_every_non_admin_is_refused_everything_and_each_refusal_is_audited(
    session: Session, role: Role
) -> None:
    clinic = factories.clinic(session)
    target = factories.staff(session, Role.CLINIC_STAFF, clinics=(clinic,))
    caller = principal_for(session, user=factories.user(session, role))
    users_before = session.exec(select(func.count()).select_from(User)).one()
    for name, call in _calls(target.id or 0, clinic.id or 0).items():
        denied_before = len(audit_rows(session, "denied"))
        with pytest.raises(AccessDenied) as info:
            call(session, caller)
        assert info.value.code is DashErrorCode.DASH_002, name
        denied = audit_rows(session, "denied")
        assert len(denied) == denied_before + 1, name
        assert denied[-1].user_id == caller.user_id and denied[-1].role == role.value
        assert denied[-1].detail == "DASH_002"
    # Nothing changed.
    session.refresh(target)
    assert target.is_active and target.role is Role.CLINIC_STAFF
    assert session.exec(select(func.count()).select_from(User)).one() == users_before
    assert audit_rows(session, "user.search") == []


# --------------------------------------------------------------------------- listing


def test_list_search_filter_sort_and_page(session: Session, admin: Principal) -> None:
    clinic, other = factories.clinic(session), factories.clinic(session)
    tag = uuid.uuid4().hex[:6]
    made = []
    for i in range(7):
        u = factories.user(session, Role.CLINIC_STAFF, email=f"zz{tag}.{i}@example.org")
        u.first_name, u.last_name = "Kagiso", f"Tau{tag}{i}"
        session.add(u)
        made.append(u)
    session.add(StaffAssignment(user_id=made[0].id, clinic_id=clinic.id, staff_role="manager"))
    session.add(StaffAssignment(user_id=made[1].id, clinic_id=other.id, staff_role="nurse"))
    _, doctor = factories.doctor(session, clinics=(clinic,))
    made[6].is_active = False
    session.add(made[6])
    session.flush()

    page = users_admin.list_users(session=session, principal=admin, text=f"ZZ{tag}", page_size=3)
    assert page.total == 7 and page.pages == 3 and len(page.rows) == 3
    assert [r["email"] for r in page.rows] == [f"zz{tag}.{i}@example.org" for i in range(3)]
    last = users_admin.list_users(session=session, principal=admin, text=f"zz{tag}", page_size=3, page=99)
    assert last.page == 3 and [r["email"] for r in last.rows] == [f"zz{tag}.6@example.org"]

    by_name = users_admin.list_users(session=session, principal=admin, text=f"kagiso tau{tag}3")
    assert [r["id"] for r in by_name.rows] == [made[3].id]
    by_id = users_admin.list_users(session=session, principal=admin, text=str(made[4].id))
    assert made[4].id in [r["id"] for r in by_id.rows]

    desc = users_admin.list_users(
        session=session, principal=admin, text=f"zz{tag}", sort="email", descending=True
    )
    assert desc.rows[0]["email"] == f"zz{tag}.6@example.org"

    inactive = users_admin.list_users(session=session, principal=admin, text=f"zz{tag}", active=False)
    assert [r["id"] for r in inactive.rows] == [made[6].id] and inactive.rows[0]["is_active"] is False

    at_clinic = users_admin.list_users(session=session, principal=admin, clinic_id=clinic.id)
    assert {r["id"] for r in at_clinic.rows} == {made[0].id, doctor.user_id}
    row = next(r for r in at_clinic.rows if r["id"] == made[0].id)
    assert row["clinics"] == clinic.name and row["role_label"] == "Clinic staff"

    doctors = users_admin.list_users(session=session, principal=admin, role="doctor", clinic_id=clinic.id)
    assert [r["id"] for r in doctors.rows] == [doctor.user_id]

    # A LIKE wildcard in the search is a literal character.
    assert users_admin.list_users(session=session, principal=admin, text=f"zz{tag}%").total == 0
    with pytest.raises(InvalidInput):
        users_admin.list_users(session=session, principal=admin, sort="password_hash")
    with pytest.raises(InvalidInput):
        users_admin.list_users(session=session, principal=admin, role="overlord")
    searches = audit_rows(session, "user.search")
    assert searches and searches[-1].user_id == admin.user_id and f"zz{tag}" in (searches[-1].detail or "")


# --------------------------------------------------------------------------- creating staff


def test_create_staff_with_a_temporary_password(session: Session, admin: Principal) -> None:
    email = unique_email("sizwe")
    created = create(session, admin, Role.BILLING_STAFF, email=email.upper(), phone="+27 82 555 0199")
    assert created.temporary_password and not created.reset_link_sent
    assert created.user.email == email and created.user.role is Role.BILLING_STAFF
    result = accounts.authenticate(session=session, email=email, password=created.temporary_password, ip=None)
    assert result.ok
    [row] = audit_rows(session, "user.create", resource_id=created.user.id)
    assert row.user_id == admin.user_id and row.role == "admin" and row.patient_id is None
    assert row.detail == "role=billing_staff; temporary password"


def test_create_doctor_needs_specialisation_and_a_unique_licence(session: Session, admin: Principal) -> None:
    with pytest.raises(AdminFormError) as info:
        create(session, admin, Role.DOCTOR, email="", first_name=" ", license_number="no spaces!")
    assert set(info.value.errors) == {"email", "first_name", "specialization", "license_number"}
    assert "3 to 40 letters" in info.value.errors["license_number"]

    licence = f"MP{uuid.uuid4().hex[:8]}"
    created = create(session, admin, Role.DOCTOR, specialization="Radiology", license_number=licence)
    doctor = session.exec(select(Doctor).where(Doctor.user_id == created.user.id)).one()
    assert doctor.license_number == licence and doctor.specialization == "Radiology"

    with pytest.raises(AdminFormError) as again:
        create(
            session, admin, Role.DOCTOR, email=created.user.email, specialization="X", license_number=licence
        )
    assert "already exists" in again.value.errors["email"]
    assert "licence number" in again.value.errors["license_number"]


@pytest.mark.parametrize("role", [Role.PATIENT, Role.REFERRING_DOCTOR, "wizard"])
def test_create_staff_refuses_self_service_and_unknown_roles(
    session: Session, admin: Principal, role: Role | str
) -> None:
    with pytest.raises(AdminFormError) as info:
        create(session, admin, role)
    assert "role" in info.value.errors


def test_create_staff_with_an_emailed_reset_link(session: Session, admin: Principal, smtp: SmtpSink) -> None:
    email = unique_email("lindo")
    created = create(session, admin, Role.ANALYTICS_STAFF, email=email, send_reset_link=True)
    assert created.temporary_password is None and created.reset_link_sent
    user = session.get(User, created.user.id)
    assert user is not None and user.password_hash is None
    assert session.exec(select(PasswordResetToken).where(PasswordResetToken.user_id == user.id)).one()
    assert len(smtp.messages) == 1 and smtp.messages[0]["To"] == email
    assert "/password-reset/" in smtp.messages[0].get_content()
    assert audit_rows(session, "user.create", resource_id=user.id)[0].detail == (
        "role=analytics_staff; reset link emailed"
    )


def test_a_failed_reset_email_creates_nothing(
    session: Session, admin: Principal, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = get_settings()
    monkeypatch.setattr(settings, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setattr(settings, "SMTP_PORT", 9)  # nothing listens
    email = unique_email("lost")
    with pytest.raises(InvalidInput, match="not created"):
        create(
            session,
            admin,
            Role.DOCTOR,
            email=email,
            send_reset_link=True,
            specialization="GP",
            license_number="MP-9",
        )
    assert session.exec(select(User).where(User.email == email)).first() is None
    assert session.exec(select(Doctor).where(Doctor.license_number == "MP-9")).first() is None
    assert audit_rows(session, "user.create") == []


# --------------------------------------------------------------------------- roles


def test_assign_role_ends_sessions_and_tokens_and_is_audited(session: Session, admin: Principal) -> None:
    created = create(session, admin, Role.CLINIC_STAFF)
    user = session.get(User, created.user.id)
    assert user is not None
    tab = uuid.uuid4().hex
    sessions.create_session(session=session, user_id=created.user.id, client_token=tab)
    issue_tokens(session, user=user)
    session.commit()

    changed = users_admin.assign_role(
        session=session, principal=admin, user_id=created.user.id, role=Role.BILLING_STAFF
    )
    assert changed.role is Role.BILLING_STAFF
    assert sessions.resolve_session(session=session, client_token=tab) is None
    live = session.exec(
        select(RefreshToken).where(RefreshToken.user_id == user.id, col(RefreshToken.revoked_at).is_(None))
    ).all()
    assert live == []
    [row] = audit_rows(session, "user.role_change", resource_id=created.user.id)
    assert row.detail == "clinic_staff -> billing_staff"

    with pytest.raises(AdminFormError) as info:
        users_admin.assign_role(session=session, principal=admin, user_id=created.user.id, role=Role.DOCTOR)
    assert set(info.value.errors) == {"specialization", "license_number"}
    users_admin.assign_role(
        session=session,
        principal=admin,
        user_id=created.user.id,
        role="doctor",
        specialization="Radiology",
        license_number=f"MP{uuid.uuid4().hex[:6]}",
    )
    assert session.exec(select(Doctor).where(Doctor.user_id == created.user.id)).one()
    with pytest.raises(InvalidInput, match="already doctor"):
        users_admin.assign_role(session=session, principal=admin, user_id=created.user.id, role="doctor")


def test_role_change_refusals(session: Session, admin: Principal) -> None:
    patient = factories.user(session, Role.PATIENT)
    staff = factories.user(session, Role.ANALYTICS_STAFF)
    cases: list[tuple[int, Role | str, str]] = [
        (patient.id or 0, Role.CLINIC_STAFF, "keep their role"),
        (staff.id or 0, Role.PATIENT, "register themselves"),
        (staff.id or 0, "boss", "from the list"),
        (admin.user_id, Role.CLINIC_STAFF, "your own account"),
    ]
    for user_id, role, message in cases:
        with pytest.raises(AccountError, match=message):
            users_admin.assign_role(session=session, principal=admin, user_id=user_id, role=role)
    with pytest.raises(NotFound):
        users_admin.assign_role(session=session, principal=admin, user_id=10**9, role=Role.ADMIN)
    assert audit_rows(session, "user.role_change") == []


# --------------------------------------------------------------------------- (de)activation


def test_deactivate_ends_sessions_and_tokens_and_reactivation_keeps_old_tokens_dead(
    session: Session, admin: Principal
) -> None:
    created = create(session, admin, Role.CLINIC_STAFF)
    user = session.get(User, created.user.id)
    assert user is not None and user.id is not None
    tab = uuid.uuid4().hex
    sessions.create_session(session=session, user_id=user.id, client_token=tab)
    pair = issue_tokens(session, user=user, now=utcnow() - timedelta(seconds=5))
    session.commit()
    assert authenticate_access(session, token=pair.access_token).id == user.id

    ended = users_admin.deactivate(session=session, principal=admin, user_id=user.id, ip="10.0.0.7")
    assert ended == [tab]
    assert sessions.resolve_session(session=session, client_token=tab) is None
    assert not user.is_active and user.deactivated_at is not None
    with pytest.raises(AuthError):
        authenticate_access(session, token=pair.access_token)
    [row] = audit_rows(session, "user.deactivate", resource_id=user.id)
    assert row.user_id == admin.user_id and row.ip_address == "10.0.0.7"
    with pytest.raises(InvalidInput, match="already deactivated"):
        users_admin.deactivate(session=session, principal=admin, user_id=user.id)

    deactivated_at = user.deactivated_at
    back = users_admin.reactivate(session=session, principal=admin, user_id=user.id)
    assert back.is_active
    session.refresh(user)
    assert user.deactivated_at == deactivated_at
    with pytest.raises(AuthError):  # issued before the deactivation: still dead
        authenticate_access(session, token=pair.access_token)
    assert audit_rows(session, "user.reactivate", resource_id=user.id)
    with pytest.raises(InvalidInput, match="already active"):
        users_admin.reactivate(session=session, principal=admin, user_id=user.id)


def test_an_admin_cannot_deactivate_themself(session: Session, admin: Principal) -> None:
    with pytest.raises(InvalidInput, match="your own account"):
        users_admin.deactivate(session=session, principal=admin, user_id=admin.user_id)
    me = session.get(User, admin.user_id)
    assert me is not None and me.is_active


# --------------------------------------------------------------------------- affiliations


def test_doctor_affiliations(session: Session, admin: Principal) -> None:
    first, second = factories.clinic(session), factories.clinic(session)
    created = create(
        session, admin, Role.DOCTOR, specialization="GP", license_number=f"MP{uuid.uuid4().hex[:6]}"
    )
    uid = created.user.id
    view = affiliations_admin.affiliations(session=session, principal=admin, user_id=uid)
    assert (
        view.kind == "doctor" and view.rows == [] and "attending" in {o["value"] for o in view.role_choices}
    )

    view = affiliations_admin.add_clinic(
        session=session, principal=admin, user_id=uid, clinic_id=first.id, role="attending"
    )
    assert [(r["clinic"], r["is_primary"]) for r in view.rows] == [(first.name, True)]  # the first is primary
    view = affiliations_admin.add_clinic(
        session=session, principal=admin, user_id=uid, clinic_id=second.id, role="visiting", is_primary=True
    )
    assert {r["clinic"]: r["is_primary"] for r in view.rows} == {first.name: False, second.name: True}
    user = session.get(User, uid)
    assert user is not None
    assert principal_for(session, user=user).clinic_ids == {first.id, second.id}

    with pytest.raises(InvalidInput, match="already affiliated"):
        affiliations_admin.add_clinic(
            session=session, principal=admin, user_id=uid, clinic_id=first.id, role="attending"
        )
    with pytest.raises(InvalidInput, match="role at the clinic"):
        affiliations_admin.add_clinic(
            session=session, principal=admin, user_id=uid, clinic_id=first.id, role="nurse"
        )
    with pytest.raises(InvalidInput, match="Choose a clinic"):
        affiliations_admin.add_clinic(
            session=session, principal=admin, user_id=uid, clinic_id=10**9, role="attending"
        )

    key = next(r["key"] for r in view.rows if r["clinic"] == first.name)
    view = affiliations_admin.remove_affiliation(session=session, principal=admin, user_id=uid, key=key)
    assert [r["clinic"] for r in view.rows] == [second.name]
    assert principal_for(session, user=user).clinic_ids == {second.id}
    # The history stays; adding it again reopens the same row.
    affiliations_admin.add_clinic(
        session=session, principal=admin, user_id=uid, clinic_id=first.id, role="consultant"
    )
    rows = session.exec(
        select(DoctorClinicAffiliation).where(DoctorClinicAffiliation.clinic_id == first.id)
    ).all()
    assert len(rows) == 1 and rows[0].ended_on is None and rows[0].role == "consultant"

    # A key of someone else's affiliation is refused.
    _, other_doctor = factories.doctor(session, clinics=(first,))
    other_aff = session.exec(
        select(DoctorClinicAffiliation.id).where(DoctorClinicAffiliation.doctor_id == other_doctor.id)
    ).one()
    other_key = f"doctor:{other_aff}"
    with pytest.raises(NotFound):
        affiliations_admin.remove_affiliation(session=session, principal=admin, user_id=uid, key=other_key)
    assert len(audit_rows(session, "user.affiliation_add", resource_id=uid)) == 3
    assert len(audit_rows(session, "user.affiliation_remove", resource_id=uid)) == 1


def test_staff_assignments_and_billing_doctors(session: Session, admin: Principal) -> None:
    clinic = factories.clinic(session)
    _, doctor = factories.doctor(session, clinics=(clinic,))
    billing = create(session, admin, Role.BILLING_STAFF).user.id
    view = affiliations_admin.add_clinic(
        session=session, principal=admin, user_id=billing, clinic_id=clinic.id, role="billing_clerk"
    )
    assert view.takes_doctors and [r["clinic"] for r in view.rows] == [clinic.name]
    with pytest.raises(InvalidInput, match="role at the clinic"):
        affiliations_admin.add_clinic(
            session=session, principal=admin, user_id=billing, clinic_id=clinic.id, role="nurse"
        )
    view = affiliations_admin.add_doctor(
        session=session, principal=admin, user_id=billing, doctor_id=doctor.id
    )
    assert any(r["doctor"].startswith("Dr ") for r in view.rows)
    with pytest.raises(InvalidInput, match="already assigned"):
        affiliations_admin.add_doctor(session=session, principal=admin, user_id=billing, doctor_id=doctor.id)
    user = session.get(User, billing)
    assert user is not None
    p = principal_for(session, user=user)
    assert p.clinic_ids == {clinic.id} and p.billing_doctor_ids == {doctor.id}

    staff = create(session, admin, Role.CLINIC_STAFF).user.id
    with pytest.raises(InvalidInput, match="Only billing staff"):
        affiliations_admin.add_doctor(session=session, principal=admin, user_id=staff, doctor_id=doctor.id)
    with pytest.raises(InvalidInput, match="not tied to clinics"):
        affiliations_admin.add_clinic(
            session=session, principal=admin, user_id=admin.user_id, clinic_id=clinic.id, role="manager"
        )
    options = affiliations_admin.clinic_options(session=session, principal=admin)
    assert {"value": str(clinic.id), "label": clinic.name} in options
    assert str(doctor.id) in {
        o["value"] for o in affiliations_admin.doctor_options(session=session, principal=admin)
    }
