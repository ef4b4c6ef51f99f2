"""dashboards.service: who may open which doctor and clinic dashboard (role x own/other).

Access is checked before anything is built, so every refusal here is the policy's answer, and
every allowed view leaves one audit row naming the dashboard.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from sqlmodel import Session, col, select

from mediconnect.core import audit
from mediconnect.core.errors import DashboardError, ServiceError
from mediconnect.core.policy import Principal, principal_for
from mediconnect.dashboards import service
from mediconnect.dashboards.kit import cache as dcache
from mediconnect.models.audit import AuditLog
from mediconnect.models.clinics import Clinic
from mediconnect.models.staff import Doctor
from mediconnect.models.users import Role, User
from tests.core import factories as f


@dataclass
class World:
    clinic: Clinic
    other_clinic: Clinic
    doctor: Doctor
    other_doctor: Doctor
    users: dict[str, User]


@pytest.fixture
def world(session: Session) -> World:
    dcache.clear()
    clinic, other = f.clinic(session), f.clinic(session)
    du, d = f.doctor(session, clinics=(clinic,))
    ou, od = f.doctor(session, clinics=(other,))
    pu, _ = f.patient(session, with_user=True)
    _, rd = f.referring_doctor(session)
    users = {
        "admin": f.user(session, Role.ADMIN),
        "doctor": du,
        "other_doctor": ou,
        "patient": pu,
        "clinic_staff": f.staff(session, Role.CLINIC_STAFF, clinics=(clinic,)),
        "other_clinic_staff": f.staff(session, Role.CLINIC_STAFF, clinics=(other,)),
        "billing_staff": f.staff(session, Role.BILLING_STAFF, clinics=(clinic,), doctors=(d,)),
        "analytics_staff": f.staff(session, Role.ANALYTICS_STAFF, clinics=(clinic,)),
        "referring_doctor": session.get(User, rd.user_id),  # type: ignore[dict-item]
    }
    assert pu is not None
    return World(clinic, other, d, od, users)


def who(session: Session, world: World, name: str) -> Principal:
    return principal_for(session, user=world.users[name])


def code_of(call: Callable[[], object]) -> str | None:
    """The DASH code a call is refused with, or None when it is allowed.

    An allowed call may meet a builder that has not landed yet (ImportError): the
    access decision was made before building, which is all these tests look at.
    """
    try:
        call()
    except ServiceError as exc:
        return exc.code.code
    except ImportError as exc:
        assert "mediconnect.dashboards" in str(exc), exc
    return None


def views(session: Session, user: User, resource_id: str) -> int:
    audit.flush_pending(session)  # PostgreSQL links queued rows into the chain at commit
    q = select(sa.func.count()).where(
        col(AuditLog.user_id) == user.id,
        col(AuditLog.resource_type) == "dashboard",
        col(AuditLog.resource_id) == resource_id,
        col(AuditLog.action) == "view",
    )
    return int(session.exec(q).one())


def test_every_role_is_named() -> None:
    named = {
        "admin",
        "doctor",
        "patient",
        "clinic_staff",
        "billing_staff",
        "analytics_staff",
        "referring_doctor",
    }
    assert {r.value for r in Role} == named


# Doctor dashboard: (who, whose) -> expected code (None: allowed).
DOCTOR_CASES = [
    ("doctor", "own", None),
    ("doctor", "none", None),
    ("doctor", "other", "DASH_006"),
    ("admin", "own", None),
    ("admin", "other", None),
    ("admin", "none", "DASH_004"),
    ("patient", "own", "DASH_002"),
    ("clinic_staff", "own", "DASH_002"),
    ("billing_staff", "own", "DASH_002"),
    ("analytics_staff", "own", "DASH_002"),
    ("referring_doctor", "own", "DASH_002"),
]


@pytest.mark.parametrize(("name", "whose", "expected"), DOCTOR_CASES)
@pytest.mark.parametrize("surface", ["dashboard", "analytics"])
def test_doctor_dashboard_access(
    session: Session, world: World, name: str, whose: str, expected: str | None, surface: str
) -> None:
    if surface == "analytics":
        pytest.importorskip("mediconnect.dashboards.doctor.analytics")
    target = {"own": world.doctor.id, "other": world.other_doctor.id, "none": None}[whose]
    p = who(session, world, name)

    def call() -> object:
        if surface == "dashboard":
            return service.serve("doctor", session=session, principal=p, doctor_id=target)
        from mediconnect.dashboards.doctor.analytics import AnalyticsParams

        return service.serve(
            "doctor_analytics", session=session, principal=p, params=AnalyticsParams(), doctor_id=target
        )

    assert code_of(call) == expected
    subject = target if target is not None else world.doctor.id
    assert views(session, world.users[name], f"doctor:{subject}") == (1 if expected is None else 0)


def test_admin_naming_an_unknown_doctor_is_a_bad_parameter(session: Session, world: World) -> None:
    p = who(session, world, "admin")
    missing = int(session.exec(select(sa.func.max(Doctor.id))).one()) + 100
    assert (
        code_of(lambda: service.serve("doctor", session=session, principal=p, doctor_id=missing))
        == "DASH_004"
    )


CLINIC_CASES = [
    ("admin", "own", None),
    ("admin", "other", None),
    ("doctor", "own", None),
    ("doctor", "other", "DASH_006"),
    ("clinic_staff", "own", None),
    ("clinic_staff", "other", "DASH_006"),
    ("other_clinic_staff", "own", "DASH_006"),
    ("patient", "own", "DASH_002"),
    ("billing_staff", "own", "DASH_002"),
    ("analytics_staff", "own", "DASH_002"),
    ("referring_doctor", "own", "DASH_002"),
]


@pytest.mark.parametrize(("name", "whose", "expected"), CLINIC_CASES)
def test_clinic_dashboard_access(
    session: Session, world: World, name: str, whose: str, expected: str | None
) -> None:
    clinic = world.clinic if whose == "own" else world.other_clinic
    assert clinic.id is not None
    p = who(session, world, name)
    got = code_of(lambda: service.serve("clinic", session=session, principal=p, clinic_id=clinic.id))  # type: ignore[arg-type]
    assert got == expected
    assert views(session, world.users[name], f"clinic:{clinic.id}") == (1 if expected is None else 0)


@pytest.mark.parametrize("name", ["admin", "doctor", "clinic_staff"])
def test_unknown_clinic_is_dash_005(session: Session, world: World, name: str) -> None:
    missing = int(session.exec(select(sa.func.max(Clinic.id))).one()) + 100
    p = who(session, world, name)
    assert (
        code_of(lambda: service.serve("clinic", session=session, principal=p, clinic_id=missing))
        == "DASH_005"
    )


def test_only_if_cached_without_a_value_is_dash_009_after_the_access_check(
    session: Session, world: World
) -> None:
    assert world.clinic.id is not None
    staff = who(session, world, "clinic_staff")
    stranger = who(session, world, "other_clinic_staff")
    ask = functools.partial(service.serve, "clinic")
    cid = world.clinic.id
    assert (
        code_of(lambda: ask(session=session, principal=stranger, clinic_id=cid, only_if_cached=True))
        == "DASH_006"
    )
    assert (
        code_of(lambda: ask(session=session, principal=staff, clinic_id=cid, only_if_cached=True))
        == "DASH_009"
    )


def test_over_the_time_budget_is_dash_007_and_the_view_is_still_audited(
    session: Session, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mediconnect.core.settings import get_settings

    assert world.clinic.id is not None
    p = who(session, world, "admin")
    monkeypatch.setattr(get_settings(), "DASHBOARD_TIMEOUT_MS", 1)
    got = code_of(
        lambda: service.serve("clinic", session=session, principal=p, clinic_id=world.clinic.id, fresh=True)
    )  # type: ignore[arg-type]
    assert got == "DASH_007"
    assert views(session, world.users["admin"], f"clinic:{world.clinic.id}") == 1
    monkeypatch.setattr(get_settings(), "DASHBOARD_TIMEOUT_MS", 60_000)
    # The session survived the cancelled build (it ran in a savepoint).
    result = service.serve("clinic", session=session, principal=p, clinic_id=world.clinic.id, fresh=True)
    assert result.cached is False and result.data


def test_unreachable_database_is_dash_003() -> None:
    from mediconnect.core.db import make_engine

    engine = make_engine("postgresql://postgres@127.0.0.1:9/none?connect_timeout=2")
    admin = Principal(user_id=1, role=Role.ADMIN)
    try:
        with Session(engine) as s:
            assert (
                code_of(lambda: service.serve("clinic", session=s, principal=admin, clinic_id=1))
                == "DASH_003"
            )
            assert (
                code_of(lambda: service.serve("doctor", session=s, principal=admin, doctor_id=1))
                == "DASH_003"
            )
    finally:
        engine.dispose()


def test_one_slow_statement_is_cancelled(session: Session) -> None:
    """The database itself stops a runaway query: statement_timeout / the progress handler."""
    from mediconnect.dashboards.kit.guard import run_bounded

    if session.connection().dialect.name == "postgresql":
        slow = "SELECT pg_sleep(5)"
    else:
        slow = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
    with pytest.raises(DashboardError) as refused:
        run_bounded(session, lambda: session.connection().exec_driver_sql(slow).all(), timeout_ms=200)
    assert refused.value.code.code == "DASH_007"
    assert (
        run_bounded(
            session, lambda: session.connection().exec_driver_sql("SELECT 1").scalar(), timeout_ms=200
        )
        == 1
    )
