"""Audit trail search, CSV export and chain verification for admins.

Runs on SQLite and (with TEST_DATABASE_URL) PostgreSQL through the rolled-back ``session``.
The session database is shared by the whole test run, so every test tags its rows (its own
users and patient ids) and filters on them.
"""

from __future__ import annotations

import csv
import io
import itertools
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session, col, select

from mediconnect.core import audit
from mediconnect.core.errors import AccessDenied, DashErrorCode
from mediconnect.core.policy import Principal, principal_for
from mediconnect.models.audit import AuditLog
from mediconnect.models.users import Role
from mediconnect.services import audit_search
from mediconnect.services.accounts import InvalidInput
from mediconnect.services.admin_access import AdminFormError
from mediconnect.services.audit_search import AuditFilters, parse_filters
from tests.core import factories

T0 = datetime(2026, 3, 2, 7, 30, 0, tzinfo=UTC)
_patients = itertools.count(9_000_001)  # patient ids no other test uses


@pytest.fixture
def admin(session: Session) -> Principal:
    return principal_for(session, user=factories.user(session, Role.ADMIN))


def seed_trail(session: Session) -> tuple[Principal, Principal, int, int]:
    """Two doctors' reads of two patients over three days; returns (doc_a, doc_b, p1, p2)."""
    doc_a = principal_for(session, user=factories.doctor(session)[0])
    doc_b = principal_for(session, user=factories.doctor(session)[0])
    p1, p2 = next(_patients), next(_patients)
    plan = [
        (doc_a, "view", p1, 0),
        (doc_a, "download", p1, 1),
        (doc_b, "view", p1, 1),
        (doc_b, "view", p2, 2),
        (doc_a, "view", p2, 2),
    ]
    for who, action, patient, day in plan:
        audit.record(
            session,
            principal_or_user_id=who,
            action=action,
            patient_id=patient,
            resource_type="report",
            resource_id=patient,
            ip="10.0.0.1",
            detail='=HYPERLINK("x")' if action == "download" else None,
            occurred_at=T0 + timedelta(days=day),
        )
    session.commit()
    return doc_a, doc_b, p1, p2


def ids(page: audit_search.AuditPage) -> list[int]:
    return [r["id"] for r in page.rows]


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.ADMIN], ids=lambda r: r.value)
def test_non_admins_get_nothing_and_are_recorded(session: Session, role: Role) -> None:
    caller = principal_for(session, user=factories.user(session, role))
    calls = [
        lambda: audit_search.search_audit(session=session, principal=caller, filters=AuditFilters()),
        lambda: audit_search.export_csv(session=session, principal=caller, filters=AuditFilters()),
        lambda: audit_search.verify(session=session, principal=caller),
    ]
    for call in calls:
        with pytest.raises(AccessDenied) as info:
            call()
        assert info.value.code is DashErrorCode.DASH_002
    denied = session.exec(
        select(AuditLog).where(AuditLog.user_id == caller.user_id, AuditLog.action == "denied")
    ).all()
    assert len(denied) == 3 and {d.resource_type for d in denied} == {"audit_log"}
    assert (
        session.exec(
            select(AuditLog).where(AuditLog.user_id == caller.user_id, col(AuditLog.action).like("audit.%"))
        ).all()
        == []
    )


# --------------------------------------------------------------------------- filters


def test_parse_filters_names_every_bad_field() -> None:
    with pytest.raises(AdminFormError) as info:
        parse_filters(patient_id="12a", action="DROP TABLE;", date_from="2026-13-01", date_to="yesterday")
    assert set(info.value.errors) == {"patient_id", "action", "date_from", "date_to"}
    with pytest.raises(AdminFormError) as order:
        parse_filters(date_from="2026-03-05", date_to="2026-03-01")
    assert "on or after" in order.value.errors["date_to"]
    parsed = parse_filters(
        user=" Doc@Example.org ", patient_id="#42", action="User.*", date_from="2026-03-01"
    )
    assert parsed == AuditFilters(
        user="doc@example.org", patient_id=42, action="user.*", date_from=date(2026, 3, 1)
    )


def test_search_by_user_patient_action_and_dates(session: Session, admin: Principal) -> None:
    doc_a, doc_b, p1, p2 = seed_trail(session)

    by_patient = audit_search.search_audit(
        session=session, principal=admin, filters=AuditFilters(patient_id=p1)
    )
    assert by_patient.total == 3
    assert [r["action"] for r in by_patient.rows] == ["view", "download", "view"][::-1]  # newest first
    assert ids(by_patient) == sorted(ids(by_patient), reverse=True)
    row = by_patient.rows[-1]
    assert row["occurred_at"] == "2026-03-02T07:30:00Z" and row["patient_id"] == str(p1)
    assert row["user_id"] == str(doc_a.user_id) and row["role"] == "doctor" and row["user_email"]

    by_user_id = audit_search.search_audit(
        session=session, principal=admin, filters=AuditFilters(user=str(doc_b.user_id))
    )
    assert by_user_id.total == 2
    email = by_patient.rows[-1]["user_email"]
    by_email = audit_search.search_audit(
        session=session, principal=admin, filters=parse_filters(user=email.upper()[:-3], patient_id=str(p2))
    )
    assert [r["user_id"] for r in by_email.rows] == [str(doc_a.user_id)]

    action = audit_search.search_audit(
        session=session, principal=admin, filters=AuditFilters(action="download", patient_id=p1)
    )
    assert action.total == 1
    prefix = audit_search.search_audit(
        session=session, principal=admin, filters=AuditFilters(action="down*", patient_id=p1)
    )
    assert prefix.total == 1

    day_two = audit_search.search_audit(
        session=session,
        principal=admin,
        filters=AuditFilters(user=str(doc_a.user_id), date_from=date(2026, 3, 3), date_to=date(2026, 3, 3)),
    )
    assert [r["action"] for r in day_two.rows] == ["download"]
    searches = session.exec(
        select(AuditLog).where(AuditLog.user_id == admin.user_id, AuditLog.action == "audit.search")
    ).all()
    assert len(searches) == 6 and searches[0].detail == f"patient={p1}"


def test_paging_is_pinned_to_the_chain_head(session: Session, admin: Principal) -> None:
    doc_a, _, p1, _ = seed_trail(session)
    first = audit_search.search_audit(
        session=session, principal=admin, filters=AuditFilters(patient_id=p1), page_size=2
    )
    assert first.total == 3 and first.pages == 2 and first.filters.upto_id is not None
    # A new matching row arrives: the pinned search does not see it, a fresh one does.
    audit.record(session, principal_or_user_id=doc_a, action="view", patient_id=p1, resource_type="report")
    session.commit()
    second = audit_search.search_audit(
        session=session, principal=admin, filters=first.filters, page=2, page_size=2
    )
    assert second.total == 3 and len(second.rows) == 1 and set(ids(first)).isdisjoint(ids(second))
    fresh = audit_search.search_audit(session=session, principal=admin, filters=AuditFilters(patient_id=p1))
    assert fresh.total == 4
    # Paging does not write; only the two fresh searches did.
    assert (
        len(
            session.exec(
                select(AuditLog).where(AuditLog.user_id == admin.user_id, AuditLog.action == "audit.search")
            ).all()
        )
        == 2
    )


# --------------------------------------------------------------------------- export


def parse_csv(lines: list[str]) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO("".join(lines))))


def test_csv_export_is_exactly_the_filtered_rows(session: Session, admin: Principal) -> None:
    doc_a, _, p1, p2 = seed_trail(session)
    filters = AuditFilters(user=str(doc_a.user_id))
    shown = audit_search.search_audit(session=session, principal=admin, filters=filters, page_size=100)
    lines = list(audit_search.export_csv(session=session, principal=admin, filters=shown.filters))
    assert lines[0] == ",".join(audit_search.CSV_COLUMNS) + "\r\n"
    rows = parse_csv(lines)
    assert [int(r["id"]) for r in rows] == ids(shown)
    assert {r["user_id"] for r in rows} == {str(doc_a.user_id)}
    assert {r["patient_id"] for r in rows} == {str(p1), str(p2)}
    assert rows[-1]["occurred_at"] == "2026-03-02T07:30:00.000000Z"
    for r in rows:
        datetime.strptime(r["occurred_at"], "%Y-%m-%dT%H:%M:%S.%fZ")
    # A formula-looking cell is defused for spreadsheet programs.
    download = next(r for r in rows if r["action"] == "download")
    assert download["detail"] == '\'=HYPERLINK("x")'

    [export_row] = session.exec(
        select(AuditLog).where(AuditLog.user_id == admin.user_id, AuditLog.action == "audit.export")
    ).all()
    assert export_row.detail is not None and f"user={doc_a.user_id}" in export_row.detail
    assert "rows=3" in export_row.detail


def test_csv_export_streams_in_batches_and_refuses_too_many(
    session: Session, admin: Principal, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc_a, _, p1, _ = seed_trail(session)
    for _ in range(6):
        audit.record(
            session, principal_or_user_id=doc_a, action="list", patient_id=p1, resource_type="report"
        )
    session.commit()
    monkeypatch.setattr(audit_search, "EXPORT_BATCH", 4)
    filters = AuditFilters(patient_id=p1)
    rows = parse_csv(list(audit_search.export_csv(session=session, principal=admin, filters=filters)))
    expected = session.exec(
        select(AuditLog.id).where(AuditLog.patient_id == p1).order_by(col(AuditLog.id).desc())
    ).all()
    assert [int(r["id"]) for r in rows] == list(expected) and len(rows) == 9
    with pytest.raises(InvalidInput, match="Narrow"):
        audit_search.export_csv(session=session, principal=admin, filters=filters, limit=5)


# --------------------------------------------------------------------------- verification


def test_verify_reports_ok_and_the_first_bad_row(session: Session, admin: Principal) -> None:
    seed_trail(session)
    summary = audit_search.verify(session=session, principal=admin)
    assert summary["ok"] and summary["rows_checked"] >= 5 and summary["first_bad_id"] is None

    victim = session.exec(
        select(AuditLog).where(AuditLog.action == "download").order_by(col(AuditLog.id).desc())
    ).first()
    assert victim is not None
    # Tampering by raw SQL (the ORM refuses to change audit rows).
    session.execute(sa.text("UPDATE audit_log SET action = 'view' WHERE id = :id"), {"id": victim.id})
    broken = audit_search.verify(session=session, principal=admin)
    assert not broken["ok"] and broken["first_bad_id"] == victim.id
    assert "edited" in broken["reason"]
    checks = session.exec(
        select(AuditLog).where(AuditLog.user_id == admin.user_id, AuditLog.action == "audit.verify")
    ).all()
    assert [c.detail.split(";")[0] if c.detail else "" for c in checks] == [
        "ok",
        f"broken at row {broken['first_bad_id']}",
    ]


def test_a_whole_email_address_means_that_account_only(session: Session, admin: Principal) -> None:
    tag = uuid.uuid4().hex[:8]
    doctor = principal_for(session, user=factories.user(session, Role.DOCTOR, email=f"doc@{tag}.test"))
    referrer = principal_for(
        session, user=factories.user(session, Role.REFERRING_DOCTOR, email=f"ref-doc@{tag}.test")
    )
    for who in (doctor, referrer):
        audit.record(session, principal_or_user_id=who, action="view", patient_id=1, resource_type="report")
    session.commit()

    def users(text: str) -> set[str]:
        page = audit_search.search_audit(session=session, principal=admin, filters=parse_filters(user=text))
        return {r["user_id"] for r in page.rows}

    assert users(f"DOC@{tag}.test") == {str(doctor.user_id)}
    assert users(f"doc@{tag}") == {str(doctor.user_id), str(referrer.user_id)}
    assert users(f"nobody@{tag}.test") == set()
