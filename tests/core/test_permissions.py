"""The access policy: the spec's dashboard matrix and the object rules, on a small world.

Each object test runs every principal against every object and compares the single-object
check, the list predicate and the require_* error code with the expected table.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

import pytest
import sqlalchemy as sa
from sqlmodel import Session, col, select

from mediconnect.core import policy as perm
from mediconnect.core.errors import AccessDenied, AuthError, DashboardError, DashErrorCode
from mediconnect.core.policy import Action, DashboardType, Principal, Scope, principal_for
from mediconnect.models.appointments import Appointment
from mediconnect.models.billing import Invoice
from mediconnect.models.patients import Patient
from mediconnect.models.reports import Report, ReportStatus
from mediconnect.models.users import Role
from tests.core import factories as f


@dataclass
class World:
    principals: dict[str, Principal]
    patients: dict[str, int]
    appointments: dict[str, int]
    reports: dict[str, int]
    invoices: dict[str, int]
    clinics: dict[str, int]


@pytest.fixture
def world(session: Session) -> World:
    clinic_a, clinic_b = f.clinic(session), f.clinic(session)
    u_d1, d1 = f.doctor(session, clinics=(clinic_a,))
    u_d2, d2 = f.doctor(session, clinics=(clinic_b,))
    u_d3, _ = f.doctor(session, ended=(clinic_a,))  # formerly at A
    u_nodoc = f.user(session, Role.DOCTOR)  # a doctor account without a doctor record
    u_rd, rd = f.referring_doctor(session)

    u_p1, p1 = f.patient(session, with_user=True)
    _, p2 = f.patient(session)
    _, p3 = f.patient(session, primary_doctor=d1)
    _, p4 = f.patient(session, home_clinic=clinic_a)

    a1 = f.appointment(session, patient=p1, clinic=clinic_a, doctor=d1)
    a2 = f.appointment(session, patient=p2, clinic=clinic_b, doctor=d2)
    a3 = f.appointment(session, patient=p1, clinic=clinic_b, doctor=d2)
    r1 = f.report(session, appointment=a1, author=d1, status=ReportStatus.FINAL)
    r2 = f.report(session, appointment=a2, author=d2, status=ReportStatus.DRAFT)
    r3 = f.report(session, appointment=a3, author=None, status=ReportStatus.DRAFT)
    i1 = f.invoice(session, patient=p1, clinic=clinic_a, doctor=d1)
    i2 = f.invoice(session, patient=p2, clinic=clinic_b, doctor=d2)
    f.referral(session, patient=p2, by=rd)

    users = {
        "admin": f.user(session, Role.ADMIN),
        "p1": u_p1,
        "d1": u_d1,
        "d2": u_d2,
        "d3": u_d3,
        "nodoc": u_nodoc,
        "cs_a": f.staff(session, Role.CLINIC_STAFF, clinics=(clinic_a,)),
        "cs_old": f.staff(session, Role.CLINIC_STAFF, ended_clinics=(clinic_a,)),
        "bs_a": f.staff(session, Role.BILLING_STAFF, clinics=(clinic_a,)),
        "bs_d2": f.staff(session, Role.BILLING_STAFF, doctors=(d2,)),
        "rd": u_rd,
        "analyst": f.staff(session, Role.ANALYTICS_STAFF, clinics=(clinic_a,)),
    }
    principals = {name: principal_for(session, user=u) for name, u in users.items() if u is not None}

    def ids(**objs: object) -> dict[str, int]:
        return {k: v.id for k, v in objs.items()}  # type: ignore[attr-defined]

    return World(
        principals=principals,
        patients=ids(P1=p1, P2=p2, P3=p3, P4=p4),
        appointments=ids(A1=a1, A2=a2, A3=a3),
        reports=ids(R1=r1, R2=r2, R3=r3),
        invoices=ids(I1=i1, I2=i2),
        clinics=ids(A=clinic_a, B=clinic_b),
    )


DENIED = "DASH_002"  # the role may never do this


# principal -> action -> the objects allowed, or DENIED
PATIENTS: dict[str, dict[Action, set[str] | str]] = {
    "admin": {a: {"P1", "P2", "P3", "P4"} for a in Action},
    "p1": {
        Action.READ: {"P1"},
        Action.WRITE: {"P1"},
        Action.READ_CLINICAL: {"P1"},
        Action.WRITE_CLINICAL: DENIED,
        Action.BILLING: {"P1"},
    },
    "d1": {
        Action.READ: {"P1", "P3"},
        Action.WRITE: {"P1", "P3"},
        Action.READ_CLINICAL: {"P1", "P3"},
        Action.WRITE_CLINICAL: {"P1", "P3"},
        Action.BILLING: DENIED,
    },
    "d2": {Action.READ: {"P1", "P2"}, Action.WRITE_CLINICAL: {"P1", "P2"}, Action.BILLING: DENIED},
    "d3": {Action.READ: set(), Action.READ_CLINICAL: set()},
    "nodoc": {Action.READ: set()},
    "cs_a": {
        Action.READ: {"P1", "P4"},
        Action.WRITE: {"P1", "P4"},
        Action.READ_CLINICAL: DENIED,
        Action.WRITE_CLINICAL: DENIED,
        Action.BILLING: DENIED,
    },
    "cs_old": {Action.READ: set()},
    "bs_a": {
        Action.READ: {"P1"},
        Action.BILLING: {"P1"},
        Action.WRITE: DENIED,
        Action.READ_CLINICAL: DENIED,
    },
    "bs_d2": {Action.READ: {"P2"}, Action.BILLING: {"P2"}},
    "rd": {
        Action.READ: {"P2"},
        Action.READ_CLINICAL: {"P2"},
        Action.WRITE: DENIED,
        Action.BILLING: DENIED,
    },
    "analyst": {a: DENIED for a in Action},
}

APPOINTMENTS: dict[str, dict[Action, set[str] | str]] = {
    "admin": {Action.READ: {"A1", "A2", "A3"}, Action.WRITE: {"A1", "A2", "A3"}},
    "p1": {Action.READ: {"A1", "A3"}, Action.WRITE: {"A1", "A3"}},
    "d1": {Action.READ: {"A1", "A3"}, Action.WRITE: {"A1"}},
    "d2": {Action.READ: {"A1", "A2", "A3"}, Action.WRITE: {"A2", "A3"}},
    "d3": {Action.READ: set(), Action.WRITE: set()},
    "cs_a": {Action.READ: {"A1"}, Action.WRITE: {"A1"}},
    "cs_old": {Action.READ: set()},
    "bs_a": {Action.READ: {"A1"}, Action.WRITE: DENIED},
    "bs_d2": {Action.READ: {"A2", "A3"}},
    "rd": {Action.READ: {"A2"}, Action.WRITE: DENIED},
    "analyst": {Action.READ: DENIED, Action.WRITE: DENIED},
}

REPORTS: dict[str, dict[Action, set[str] | str]] = {
    "admin": {Action.READ: {"R1", "R2", "R3"}, Action.WRITE: {"R1", "R2", "R3"}},
    "p1": {Action.READ: {"R1"}, Action.WRITE: DENIED},  # R3 is a draft
    "d1": {Action.READ: {"R1"}, Action.WRITE: {"R1"}},  # R3: another doctor's draft
    "d2": {Action.READ: {"R1", "R2", "R3"}, Action.WRITE: {"R2"}},
    "d3": {Action.READ: set()},
    "cs_a": {Action.READ: DENIED},
    "bs_a": {Action.READ: DENIED},
    "rd": {Action.READ: set(), Action.WRITE: DENIED},  # P2's only report is a draft
    "analyst": {Action.READ: DENIED},
}

INVOICES: dict[str, dict[Action, set[str] | str]] = {
    "admin": {Action.READ: {"I1", "I2"}, Action.WRITE: {"I1", "I2"}},
    "p1": {Action.READ: {"I1"}, Action.WRITE: DENIED},
    "d1": {Action.READ: {"I1"}, Action.WRITE: DENIED},
    "d2": {Action.READ: {"I2"}},
    "bs_a": {Action.READ: {"I1"}, Action.WRITE: {"I1"}},
    "bs_d2": {Action.READ: {"I2"}, Action.WRITE: {"I2"}},
    # The front desk reads its own clinic's invoices (it takes payments there); billing writes.
    "cs_a": {Action.READ: {"I1"}, Action.WRITE: DENIED},
    "rd": {Action.READ: DENIED},
    "analyst": {Action.READ: DENIED},
}


def _check_matrix(
    session: Session,
    world: World,
    expected: dict[str, dict[Action, set[str] | str]],
    objects: dict[str, int],
    model: type[Patient] | type[Appointment] | type[Report] | type[Invoice],
) -> int:
    checkers = {
        Patient: (perm.can_access_patient, perm.require_patient, perm.patient_scope, "patient_id"),
        Appointment: (
            perm.can_access_appointment,
            perm.require_appointment,
            perm.appointment_scope,
            "appointment_id",
        ),
        Report: (perm.can_access_report, perm.require_report, perm.report_scope, "report_id"),
        Invoice: (perm.can_access_invoice, perm.require_invoice, perm.invoice_scope, "invoice_id"),
    }
    can, require, scope, id_kw = checkers[model]
    by_id = {v: k for k, v in objects.items()}
    cases, failures = 0, []
    for who, actions in expected.items():
        p = world.principals[who]
        for action, allowed in actions.items():
            listed = session.exec(
                select(model.id).where(col(model.id).in_(objects.values()), scope(principal=p, action=action))  # type: ignore[operator]
            ).all()
            listed_names = {by_id[i] for i in listed}
            want = set() if allowed == DENIED else allowed
            if listed_names != want:
                failures.append(f"{who} {action} list: got {sorted(listed_names)} want {sorted(want)}")
            for name, obj_id in objects.items():
                cases += 1
                got = can(session, principal=p, action=action, **{id_kw: obj_id})  # type: ignore[operator]
                if got != (name in want):
                    failures.append(f"{who} {action} {name}: can={got}")
                try:
                    require(session, principal=p, action=action, **{id_kw: obj_id})  # type: ignore[operator]
                    code = None
                except AccessDenied as exc:
                    code = exc.code.code
                want_code = None if name in want else ("DASH_002" if allowed == DENIED else "DASH_006")
                if code != want_code:
                    failures.append(f"{who} {action} {name}: require raised {code}, want {want_code}")
    assert not failures, "\n".join(failures)
    return cases


def test_patient_rules(session: Session, world: World) -> None:
    cases = _check_matrix(session, world, PATIENTS, world.patients, Patient)
    print(f"patient access cases: {cases}")


def test_appointment_rules(session: Session, world: World) -> None:
    cases = _check_matrix(session, world, APPOINTMENTS, world.appointments, Appointment)
    print(f"appointment access cases: {cases}")


def test_report_rules(session: Session, world: World) -> None:
    cases = _check_matrix(session, world, REPORTS, world.reports, Report)
    print(f"report access cases: {cases}")


def test_invoice_rules(session: Session, world: World) -> None:
    cases = _check_matrix(session, world, INVOICES, world.invoices, Invoice)
    print(f"invoice access cases: {cases}")


def test_missing_objects_are_not_associated_for_everyone(session: Session, world: World) -> None:
    for who in ("admin", "d1", "p1"):
        p = world.principals[who]
        assert not perm.can_access_patient(session, principal=p, patient_id=10**9)
        with pytest.raises(AccessDenied) as exc:
            perm.require_patient(session, principal=p, patient_id=10**9)
        assert exc.value.code is DashErrorCode.DASH_006


def test_object_checks_refuse_patient_only_actions(session: Session, world: World) -> None:
    with pytest.raises(ValueError):
        perm.can_access_report(
            session,
            principal=world.principals["admin"],
            report_id=world.reports["R1"],
            action=Action.READ_CLINICAL,
        )


CLINICS: dict[str, dict[str, bool | str]] = {
    "admin": {"A": True, "B": True},
    "d1": {"A": True, "B": False},
    "d2": {"A": False, "B": True},
    "d3": {"A": False, "B": False},  # affiliation ended
    "cs_a": {"A": True, "B": False},
    "cs_old": {"A": False, "B": False},
    "p1": {"A": DENIED, "B": DENIED},
    "bs_a": {"A": DENIED, "B": DENIED},
    "rd": {"A": DENIED, "B": DENIED},
    "analyst": {"A": DENIED, "B": DENIED},
}


def test_clinic_rules(session: Session, world: World) -> None:
    for who, expected in CLINICS.items():
        p = world.principals[who]
        for clinic, want in expected.items():
            cid = world.clinics[clinic]
            assert perm.can_access_clinic(session, principal=p, clinic_id=cid) is (want is True), (
                who,
                clinic,
            )
            if want is True:
                perm.require_clinic(session, principal=p, clinic_id=cid)
                continue
            with pytest.raises(AccessDenied) as exc:
                perm.require_clinic(session, principal=p, clinic_id=cid)
            assert exc.value.code.code == ("DASH_002" if want == DENIED else "DASH_006"), (who, clinic)


def test_unknown_clinic_is_dash_005(session: Session, world: World) -> None:
    for who in ("admin", "d1", "cs_a"):
        with pytest.raises(DashboardError) as exc:
            perm.require_clinic(session, principal=world.principals[who], clinic_id=10**9)
        assert exc.value.code is DashErrorCode.DASH_005
        assert exc.value.http_status == 404


# The spec's Permission Matrix, row by row: role -> scope, absent = no access.
SPEC_MATRIX = {
    "doctor": {Role.ADMIN: Scope.ALL, Role.DOCTOR: Scope.OWN},
    "patient": {
        Role.ADMIN: Scope.ALL,
        Role.DOCTOR: Scope.THEIR_PATIENTS,
        Role.PATIENT: Scope.OWN,
        Role.CLINIC_STAFF: Scope.LIMITED,
    },
    "clinic": {Role.ADMIN: Scope.ALL, Role.DOCTOR: Scope.AFFILIATED, Role.CLINIC_STAFF: Scope.OWN_CLINIC},
    "admin": {Role.ADMIN: Scope.ALL},
    "billing": {Role.ADMIN: Scope.ALL, Role.DOCTOR: Scope.OWN, Role.BILLING_STAFF: Scope.ASSIGNED},
    "analytics": {
        Role.ADMIN: Scope.ALL,
        Role.DOCTOR: Scope.OWN,
        Role.CLINIC_STAFF: Scope.CLINIC_DATA,
        Role.ANALYTICS_STAFF: Scope.ALL,
    },
}


def test_dashboard_matrix_matches_the_spec() -> None:
    cases = 0
    for dashboard, row in SPEC_MATRIX.items():
        for role in Role:
            cases += 1
            p = Principal(user_id=1, role=role)
            want = row.get(role)
            assert perm.dashboard_scope(principal=p, dashboard_type=dashboard) == want, (dashboard, role)
            assert perm.can_view_dashboard(principal=p, dashboard_type=DashboardType(dashboard)) is (
                want is not None
            )
            if want is None:
                with pytest.raises(AccessDenied) as exc:
                    perm.require_dashboard(principal=p, dashboard_type=dashboard)
                assert exc.value.code is DashErrorCode.DASH_002
                assert exc.value.http_status == 403
            else:
                assert perm.require_dashboard(principal=p, dashboard_type=dashboard) is want
    assert cases == 6 * 7


@pytest.mark.parametrize("bad", ["doctors", "", "ADMIN", "../admin", "x" * 200])
def test_unknown_dashboard_is_dash_001(bad: str) -> None:
    p = Principal(user_id=1, role=Role.ADMIN)
    with pytest.raises(DashboardError) as exc:
        perm.can_view_dashboard(principal=p, dashboard_type=bad)
    assert exc.value.code is DashErrorCode.DASH_001
    assert exc.value.as_json()["code"] == "DASH_001"
    assert len(exc.value.detail or "") < 80


def test_doctor_own_data() -> None:
    d = Principal(user_id=1, role=Role.DOCTOR, doctor_id=7)
    assert perm.can_view_doctor(principal=d, doctor_id=7)
    assert not perm.can_view_doctor(principal=d, doctor_id=8)
    assert perm.can_view_doctor(principal=Principal(user_id=2, role=Role.ADMIN), doctor_id=8)
    with pytest.raises(AccessDenied) as exc:
        perm.require_doctor(principal=d, doctor_id=8)
    assert exc.value.code is DashErrorCode.DASH_006
    with pytest.raises(AccessDenied) as exc:
        perm.require_doctor(principal=Principal(user_id=3, role=Role.PATIENT, patient_id=1), doctor_id=7)
    assert exc.value.code is DashErrorCode.DASH_002


def test_principal_resolution(session: Session, world: World) -> None:
    p = world.principals
    assert p["p1"].patient_id == world.patients["P1"]
    assert p["d1"].doctor_id is not None and p["d1"].clinic_ids == {world.clinics["A"]}
    assert p["d3"].clinic_ids == frozenset()  # ended affiliation
    assert p["nodoc"].doctor_id is None
    assert p["cs_a"].clinic_ids == {world.clinics["A"]}
    assert p["cs_old"].clinic_ids == frozenset()
    assert p["bs_d2"].billing_doctor_ids == {p["d2"].doctor_id}
    assert p["rd"].referring_doctor_id is not None
    assert p["analyst"].billing_doctor_ids == frozenset()


def test_principal_respects_the_day_an_affiliation_ends(session: Session) -> None:
    clinic = f.clinic(session)
    u, _ = f.doctor(session, ended=(clinic,))  # ended 30 days ago
    past = principal_for(session, user=u, today=date.today().replace(year=date.today().year - 1))
    assert past.clinic_ids == {clinic.id}
    assert principal_for(session, user=u).clinic_ids == frozenset()


def test_inactive_user_gets_no_principal(session: Session) -> None:
    u = f.user(session, Role.ADMIN, is_active=False)
    with pytest.raises(AuthError):
        principal_for(session, user=u)


@contextmanager
def _count_statements(session: Session) -> Iterator[list[str]]:
    statements: list[str] = []
    conn = session.connection()

    def before(*args: object) -> None:
        statements.append(str(args[2]))

    sa.event.listen(conn, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        sa.event.remove(conn, "before_cursor_execute", before)


def test_each_object_check_is_one_exists_query(session: Session, world: World) -> None:
    d2 = world.principals["d2"]
    with _count_statements(session) as stmts:
        assert perm.can_access_patient(session, principal=d2, patient_id=world.patients["P1"])
        assert perm.can_access_report(session, principal=d2, report_id=world.reports["R1"])
    assert len(stmts) == 2
    assert all("EXISTS" in s.upper() for s in stmts)
    with _count_statements(session) as stmts:  # a role that can never: no query at all
        assert not perm.can_access_patient(
            session, principal=world.principals["analyst"], patient_id=world.patients["P1"]
        )
    assert stmts == []


def test_clinic_managers(session: Session, world: World) -> None:
    """Admins any clinic, clinic staff their own; doctors view clinics but never manage them."""
    a = world.clinics["A"]
    for who in ("admin", "cs_a"):
        perm.require_clinic_manager(session, principal=world.principals[who], clinic_id=a)
    for who, code in (("d1", "DASH_002"), ("p1", "DASH_002"), ("cs_old", "DASH_006")):
        with pytest.raises(AccessDenied) as exc:
            perm.require_clinic_manager(session, principal=world.principals[who], clinic_id=a)
        assert exc.value.code.code == code, who
    with pytest.raises(DashboardError) as exc:
        perm.require_clinic_manager(session, principal=world.principals["cs_a"], clinic_id=10**9)
    assert exc.value.code is DashErrorCode.DASH_005


def test_referral_documents(session: Session, world: World) -> None:
    """P2's referral by rd: its readers and rd may open the document; nobody sees a deleted one."""
    from mediconnect.models.referrals import Referral, ReferralDocument

    referral = session.exec(select(Referral).where(Referral.patient_id == world.patients["P2"])).one()
    doc = ReferralDocument(
        referral_id=referral.id,
        original_filename="letter.pdf",
        stored_name="x" * 32,
        content_type="application/pdf",
        size_bytes=10,
        sha256="0" * 64,
    )
    session.add(doc)
    session.flush()
    assert doc.id is not None
    for who in ("admin", "d2", "rd", "bs_d2"):
        got, ref = perm.require_referral_document(
            session, principal=world.principals[who], document_id=doc.id
        )
        assert (got.id, ref.id) == (doc.id, referral.id), who
    for who, code in (("analyst", "DASH_002"), ("p1", "DASH_006"), ("d1", "DASH_006")):
        with pytest.raises(AccessDenied) as exc:
            perm.require_referral_document(session, principal=world.principals[who], document_id=doc.id)
        assert exc.value.code.code == code, who
    with pytest.raises(AccessDenied) as exc:
        perm.require_referral_document(session, principal=world.principals["admin"], document_id=10**9)
    assert exc.value.code is DashErrorCode.DASH_006
