"""The audit chain: rows verify, and an edited, deleted or inserted row is found."""

from __future__ import annotations

import hashlib
import itertools
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session, col, select, update

from mediconnect.core import audit
from mediconnect.core.audit import GENESIS_HASH, AuditLogImmutableError, flush_pending, record, verify_chain
from mediconnect.core.policy import Principal
from mediconnect.models.audit import AuditLog
from mediconnect.models.users import Role

T0 = datetime(2026, 3, 2, 7, 30, 0, 123456, tzinfo=UTC)


def _append(session: Session, n: int, *, start: datetime = T0) -> list[AuditLog]:
    rows = []
    for i in range(n):
        rows.append(
            record(
                session,
                principal_or_user_id=Principal(user_id=100 + i, role=Role.DOCTOR, doctor_id=7),
                action="view",
                patient_id=500 + i,
                resource_type="patient",
                resource_id=500 + i,
                ip="10.0.0.1",
                detail=f"opened chart {i}",
                occurred_at=start + timedelta(seconds=i),
            )
        )
    flush_pending(session)  # PostgreSQL writes queued rows at commit; link them now to look at
    return rows


def _raw(session: Session, sql: str, **params: object) -> None:
    session.connection().execute(sa.text(sql), params)
    session.expire_all()


def test_empty_chain_verifies(session: Session) -> None:
    result = verify_chain(session)
    assert result.ok and result.rows_checked == 0 and result.last_hash is None


def test_appended_rows_link_and_verify(session: Session) -> None:
    rows = _append(session, 5)
    assert rows[0].prev_hash == GENESIS_HASH
    for before, after in itertools.pairwise(rows):
        assert after.prev_hash == before.row_hash
        assert after.id is not None and before.id is not None and after.id > before.id
    result = verify_chain(session, batch_size=2)  # several batches
    assert result.ok, result
    assert result.rows_checked == 5
    assert result.first_bad_id is None
    assert (result.last_id, result.last_hash) == (rows[-1].id, rows[-1].row_hash)


def test_row_hash_is_sha256_of_prev_hash_and_canonical_json(session: Session) -> None:
    row = record(
        session,
        principal_or_user_id=42,
        role="admin",
        action="update",
        patient_id=9,
        resource_type="patient",
        resource_id="9",
        ip="::ffff:10.1.2.3",
        detail="naïve détail",
        occurred_at=datetime(2026, 1, 5, 12, 0, tzinfo=UTC),
    )
    flush_pending(session)
    session.expire_all()
    stored = session.get(AuditLog, row.id)
    assert stored is not None
    payload = json.dumps(
        {
            "action": "update",
            "detail": "naïve détail",
            "ip_address": "::ffff:a01:203",
            "occurred_at": "2026-01-05T12:00:00.000000Z",
            "patient_id": 9,
            "resource_id": "9",
            "resource_type": "patient",
            "role": "admin",
            "user_id": 42,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    assert stored.prev_hash == GENESIS_HASH
    assert stored.row_hash == hashlib.sha256((GENESIS_HASH + payload).encode()).hexdigest()
    assert stored.occurred_at == datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def test_principal_role_is_recorded_and_system_rows_allowed(session: Session) -> None:
    a = record(
        session,
        principal_or_user_id=Principal(user_id=3, role=Role.CLINIC_STAFF),
        action="view",
        patient_id=1,
        resource_type="appointment",
    )
    b = record(
        session,
        principal_or_user_id=None,
        role="system",
        action="export",
        patient_id=None,
        resource_type="audit",
    )
    assert (a.user_id, a.role) == (3, "clinic_staff")
    assert (b.user_id, b.role) == (None, "system")
    assert verify_chain(session).ok


def test_overlong_values_are_clipped_and_still_verify(session: Session) -> None:
    record(
        session,
        principal_or_user_id=1,
        action="view",
        patient_id=1,
        resource_type="report",
        resource_id="x" * 100,
        ip="not-an-ip " * 10,
        detail="d" * 900,
    )
    session.expire_all()
    row = session.exec(select(AuditLog)).one()
    assert row.detail is not None and len(row.detail) == 500
    assert row.resource_id is not None and len(row.resource_id) == 40
    assert verify_chain(session).ok


def test_bad_arguments_refused(session: Session) -> None:
    with pytest.raises(ValueError):
        record(session, principal_or_user_id=1, action="", patient_id=1, resource_type="patient")
    with pytest.raises(ValueError):
        record(session, principal_or_user_id=1, action="a" * 41, patient_id=1, resource_type="patient")
    with pytest.raises(ValueError, match="timezone-aware"):
        record(
            session,
            principal_or_user_id=1,
            action="view",
            patient_id=1,
            resource_type="patient",
            occurred_at=datetime(2026, 1, 1),
        )


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("detail", "nothing to see here"),
        ("patient_id", 999),
        ("user_id", 1),
        ("action", "list"),
        ("ip_address", "10.9.9.9"),
        ("occurred_at", "2020-01-01 00:00:00.000000"),
    ],
)
def test_edited_field_is_detected(session: Session, column: str, value: object) -> None:
    rows = _append(session, 4)
    target = rows[2]
    if column == "occurred_at" and session.get_bind().dialect.name == "postgresql":
        value = datetime(2020, 1, 1, tzinfo=UTC)
    _raw(session, f"UPDATE audit_log SET {column} = :v WHERE id = :id", v=value, id=target.id)
    result = verify_chain(session)
    assert not result.ok
    assert result.first_bad_id == target.id
    assert result.reason is not None and "edited" in result.reason
    assert result.rows_checked == 3


def test_edit_with_recomputed_hash_is_detected_at_the_next_row(session: Session) -> None:
    rows = _append(session, 4)
    target = rows[1]
    _raw(session, "UPDATE audit_log SET detail = 'forged' WHERE id = :id", id=target.id)
    forged = session.get(AuditLog, target.id)
    assert forged is not None
    _raw(
        session,
        "UPDATE audit_log SET row_hash = :h WHERE id = :id",
        h=audit.row_hash_of(forged),
        id=target.id,
    )
    result = verify_chain(session)
    assert not result.ok
    assert result.first_bad_id == rows[2].id


def test_deleted_middle_row_is_detected(session: Session) -> None:
    rows = _append(session, 5)
    _raw(session, "DELETE FROM audit_log WHERE id = :id", id=rows[2].id)
    result = verify_chain(session)
    assert not result.ok
    assert result.first_bad_id == rows[3].id
    assert result.reason is not None and "deleted" in result.reason


def test_deleted_first_row_is_detected(session: Session) -> None:
    rows = _append(session, 3)
    _raw(session, "DELETE FROM audit_log WHERE id = :id", id=rows[0].id)
    result = verify_chain(session)
    assert not result.ok
    assert result.first_bad_id == rows[1].id
    assert result.reason is not None and "genesis" in result.reason


def _insert_raw(session: Session, row_id: int, prev_hash: str, *, valid_hash: bool) -> None:
    fields = {
        "occurred_at": T0,
        "user_id": 1,
        "role": "admin",
        "action": "view",
        "patient_id": 1,
        "resource_type": "patient",
        "resource_id": "1",
        "ip_address": None,
        "detail": "planted",
    }
    row_hash = audit.compute_hash(prev_hash, audit.canonical_json(fields)) if valid_hash else "f" * 64
    session.connection().execute(
        sa.insert(AuditLog.__table__),  # type: ignore[arg-type]
        [{"id": row_id, **fields, "prev_hash": prev_hash, "row_hash": row_hash}],
    )
    session.expire_all()


def test_inserted_row_is_detected_even_with_a_valid_own_hash(session: Session) -> None:
    rows = _append(session, 3)
    first_id = rows[0].id
    assert first_id is not None
    # A well-formed row planted before the first one: it verifies by itself, but the real first
    # row no longer links to its predecessor.
    _insert_raw(session, first_id - 1000, GENESIS_HASH, valid_hash=True)
    result = verify_chain(session)
    assert not result.ok
    assert result.first_bad_id == first_id
    assert result.rows_checked == 2


def test_appended_forgery_with_a_wrong_hash_is_detected(session: Session) -> None:
    rows = _append(session, 2)
    last_id = rows[-1].id
    assert last_id is not None
    _insert_raw(session, last_id + 1000, rows[-1].row_hash, valid_hash=False)
    result = verify_chain(session)
    assert not result.ok and result.first_bad_id == last_id + 1000


def test_record_links_to_the_current_tail(session: Session) -> None:
    rows = _append(session, 2)
    nxt = record(session, principal_or_user_id=5, action="view", patient_id=1, resource_type="patient")
    flush_pending(session)
    assert nxt.prev_hash == rows[-1].row_hash
    assert verify_chain(session).rows_checked == 3


def test_orm_refuses_to_update_or_delete_audit_rows(session: Session) -> None:
    (row,) = _append(session, 1)
    row.detail = "changed"
    session.add(row)
    with pytest.raises(AuditLogImmutableError):
        session.flush()
    session.rollback()

    (row,) = _append(session, 1)
    session.delete(row)
    with pytest.raises(AuditLogImmutableError):
        session.flush()
    session.rollback()

    with pytest.raises(AuditLogImmutableError):
        session.exec(update(AuditLog).values(detail="bulk"))
    with pytest.raises(AuditLogImmutableError):
        session.exec(sa.delete(AuditLog))


# --------------------------------------------------------------------------------------------
# Concurrency: separate connections committing for real. These rows escape the per-test
# rollback, so the fixture removes exactly the rows the test added.


@pytest.fixture
def committed_chain(engine: sa.Engine) -> Iterator[sa.Engine]:
    with engine.connect() as conn:
        before = conn.execute(sa.select(sa.func.max(col(AuditLog.id)))).scalar()
    yield engine
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM audit_log WHERE id > :id"), {"id": before or 0})


def _hammer(engine: sa.Engine, *, threads: int, per_thread: int) -> list[BaseException]:
    barrier = threading.Barrier(threads)
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            barrier.wait()
            for i in range(per_thread):
                with Session(engine) as s:
                    record(
                        s,
                        principal_or_user_id=n,
                        role="doctor",
                        action="view",
                        patient_id=i,
                        resource_type="patient",
                        detail=f"thread {n} #{i}",
                    )
                    s.commit()
        except BaseException as exc:  # collected and asserted in the main thread
            errors.append(exc)

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(timeout=300)  # bounds a hang only; a loaded machine is not a failure
    return errors


def test_concurrent_appends_keep_one_chain(committed_chain: sa.Engine) -> None:
    engine = committed_chain
    with Session(engine) as s:
        start = s.exec(select(sa.func.count()).select_from(AuditLog)).one()
    threads, per_thread = 8, 15
    errors = _hammer(engine, threads=threads, per_thread=per_thread)
    assert not errors, errors[:3]
    with Session(engine) as s:
        result = verify_chain(s)
        prevs = s.exec(select(AuditLog.prev_hash)).all()
    assert result.ok, result
    assert result.rows_checked == start + threads * per_thread
    assert len(prevs) == len(set(prevs)), "two rows name the same predecessor: the chain forked"


def test_a_transaction_that_could_fork_is_refused(committed_chain: sa.Engine) -> None:
    """Each backend refuses to append from a snapshot older than the chain's tail."""
    engine = committed_chain
    if engine.dialect.name == "postgresql":
        # A REPEATABLE READ snapshot predates the advisory lock: refused up front.
        with Session(engine) as s:
            s.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            record(s, principal_or_user_id=1, action="view", patient_id=1, resource_type="patient")
            with pytest.raises(RuntimeError, match="READ COMMITTED"):
                s.commit()
            s.rollback()
        return
    # SQLite: every transaction takes the write lock when it begins (BEGIN IMMEDIATE), so a
    # second writer waits for the first to finish instead of appending from a stale tail.
    done = threading.Event()

    def other_writer() -> None:
        with Session(engine) as other:
            record(other, principal_or_user_id=1, action="view", patient_id=1, resource_type="patient")
            other.commit()
        done.set()

    with Session(engine) as first:
        first.exec(select(sa.func.count()).select_from(AuditLog)).one()  # transaction open
        worker = threading.Thread(target=other_writer)
        worker.start()
        assert not done.wait(0.5), "a second writer ran inside the first one's transaction"
        record(first, principal_or_user_id=2, action="view", patient_id=1, resource_type="patient")
        first.commit()
    worker.join(timeout=300)  # bounds a hang only; a loaded machine is not a failure
    assert done.is_set()
    with Session(engine) as s:
        assert verify_chain(s).ok
