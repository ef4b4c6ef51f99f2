"""The append-only, hash-chained audit trail of access to patient data.

Each row stores ``prev_hash`` (the previous row's ``row_hash``; 64 zeros for the first row) and
``row_hash = sha256(prev_hash + canonical JSON of its fields)``. Walking the table in id order
and recomputing every hash (``verify_chain``) detects an edited row (its hash no longer matches),
a deleted row and an inserted row (the next row's ``prev_hash`` no longer links).

Appends are serialised so that concurrent writers never fork the chain (two rows naming the
same predecessor):

* PostgreSQL: rows are queued on the session and written just before it commits
  (``flush_pending``): ``pg_advisory_xact_lock`` on one fixed key, then read the tail and
  insert. The lock is the transaction's last and is held only through its commit, so the next
  writer's tail read (a new statement, hence a new snapshot under READ COMMITTED) sees these
  rows, and the lock never waits in a cycle with the transaction's other row locks. REPEATABLE
  READ and SERIALIZABLE take their snapshot before the lock could be granted, so they are
  refused.
* SQLite: the tail read and the insert are ONE statement (``INSERT ... SELECT`` with the hash
  computed by a Python function registered on the connection). A write statement takes the
  database write lock before it reads, so it always reads the newest tail; if the caller's
  transaction holds an older read snapshot, SQLite refuses with "database is locked" rather
  than let it write from stale data.

Nothing here updates or deletes audit rows, and the ORM refuses to (see ``_refuse_*``). The
database itself should refuse too: see the note in the hand-over about a trigger and a unique
index on ``prev_hash``, which are migrations, not code here.

Known limits of a plain hash chain: whoever can write to the table and recompute SHA-256 can
rewrite the tail consistently, and deleting the newest rows leaves a valid shorter chain.
Anchor ``verify_chain(...).last_hash`` somewhere outside the database (a daily export, a log
line) to detect that.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapper, ORMExecuteState
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col

from mediconnect.core.after_commit import TransactionQueue
from mediconnect.core.policy import Principal
from mediconnect.models.audit import AuditLog
from mediconnect.models.base import UTCDateTime, utcnow
from mediconnect.models.users import Role

GENESIS_HASH = "0" * 64
# One application-wide advisory lock key (a signed 64-bit integer derived from a fixed name).
ADVISORY_LOCK_KEY = int.from_bytes(hashlib.sha256(b"mediconnect.audit_log").digest()[:8], "big", signed=True)
_SQLITE_HASH_FN = "mediconnect_audit_hash"

HASHED_FIELDS = (
    "occurred_at",
    "user_id",
    "role",
    "action",
    "patient_id",
    "resource_type",
    "resource_id",
    "ip_address",
    "detail",
)
_MAX = {"role": 20, "action": 40, "resource_type": 40, "resource_id": 40, "ip_address": 45, "detail": 500}


class AuditAction:
    """The usual verbs (any string up to 40 characters is accepted)."""

    VIEW = "view"
    LIST = "list"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    DOWNLOAD = "download"
    EXPORT = "export"
    SEARCH = "search"
    DENIED = "denied"


def format_time(value: datetime) -> str:
    """ISO 8601 UTC with microseconds, the form that is hashed: 2026-03-02T07:30:00.000000Z."""
    if value.tzinfo is None:
        raise ValueError("audit times must be timezone-aware")
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_json(fields: dict[str, Any]) -> str:
    """The hashed form of a row: exactly HASHED_FIELDS, sorted keys, no whitespace."""
    if set(fields) != set(HASHED_FIELDS):
        raise ValueError(f"expected fields {HASHED_FIELDS}, got {sorted(fields)}")
    data = dict(fields)
    data["occurred_at"] = format_time(data["occurred_at"])
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def compute_hash(prev_hash: str, payload: str) -> str:
    return hashlib.sha256((prev_hash + payload).encode("utf-8")).hexdigest()


def row_hash_of(row: Any) -> str:
    """Recompute the hash of a stored row (an AuditLog or a result row with the same names)."""
    return compute_hash(row.prev_hash, canonical_json({name: getattr(row, name) for name in HASHED_FIELDS}))


def _clip(name: str, value: str | None) -> str | None:
    if value is None:
        return None
    return value[: _MAX[name]]


def _normalise_ip(ip: str | None) -> str | None:
    if not ip:
        return None
    try:
        return str(ipaddress.ip_address(ip.strip()))
    except ValueError:
        return _clip("ip_address", ip.strip())


def record(
    session: Session,
    *,
    principal_or_user_id: Principal | int | None,
    action: str,
    patient_id: int | None,
    resource_type: str,
    resource_id: str | int | None = None,
    role: Role | str | None = None,
    ip: str | None = None,
    detail: str | None = None,
    occurred_at: datetime | None = None,
) -> AuditLog:
    """Append one row to the chain, inside the caller's transaction, and return it.

    ``principal_or_user_id``: the acting Principal (its role is used unless ``role`` is given),
    a user id, or None for the system itself. The row becomes durable when the caller commits;
    if the caller rolls back, it never existed and the chain is unaffected.
    """
    if isinstance(principal_or_user_id, Principal):
        user_id: int | None = principal_or_user_id.user_id
        role = role if role is not None else principal_or_user_id.role
    else:
        user_id = principal_or_user_id
    if not action or len(action) > _MAX["action"]:
        raise ValueError("action must be 1-40 characters")
    if not resource_type or len(resource_type) > _MAX["resource_type"]:
        raise ValueError("resource_type must be 1-40 characters")
    fields: dict[str, Any] = {
        "occurred_at": None,
        "user_id": user_id,
        "role": _clip(
            "role", str(role.value if isinstance(role, Role) else role) if role is not None else None
        ),
        "action": action,
        "patient_id": patient_id,
        "resource_type": resource_type,
        "resource_id": _clip("resource_id", None if resource_id is None else str(resource_id)),
        "ip_address": _normalise_ip(ip),
        "detail": _clip("detail", detail),
    }
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return _append_postgresql(session, fields, occurred_at)
    if dialect == "sqlite":
        return _append_sqlite(session, fields, occurred_at)
    raise NotImplementedError(f"audit chain appends are not implemented for {dialect}")


def _tail_hash_query() -> sa.Select[str]:
    return sa.select(col(AuditLog.row_hash)).order_by(col(AuditLog.id).desc()).limit(1)


_pending = TransactionQueue("audit")


def _append_postgresql(session: Session, fields: dict[str, Any], occurred_at: datetime | None) -> AuditLog:
    """Queue the row; ``flush_pending`` links and writes it just before the transaction commits.

    The chain lock is therefore the LAST lock a transaction takes and is held only while it
    commits. Taken when ``record`` is called, it was held through the rest of the work (a
    booking's inserts, waits on other bookings' rows) and formed deadlock cycles with them.
    """
    fields["occurred_at"] = occurred_at or utcnow()
    canonical_json(fields)  # bad values fail here, in the caller, not later at commit
    row = AuditLog(**fields, prev_hash="", row_hash="")
    _pending.add(session, row)
    return row


def flush_pending(session: OrmSession) -> None:
    """Write this session's queued audit rows now (PostgreSQL), linked in order to the tail.

    Runs by itself before every commit and before any ORM query that reads ``AuditLog`` in the
    same session; call it directly only to see ids and hashes before committing.
    """
    rows: list[AuditLog] = _pending.take(session)
    if not rows:
        return
    # One round trip: wait for the chain lock, and learn the isolation level we run under.
    _, level = (
        session.connection()
        .execute(
            sa.select(
                sa.func.pg_advisory_xact_lock(ADVISORY_LOCK_KEY),
                sa.func.current_setting("transaction_isolation"),
            )
        )
        .one()
    )
    if level != "read committed":
        raise RuntimeError(f"audit.record needs READ COMMITTED (this transaction is {level}): it would fork")
    prev_hash = session.scalar(_tail_hash_query()) or GENESIS_HASH
    for row in rows:
        fields = {name: getattr(row, name) for name in HASHED_FIELDS}
        row.prev_hash = prev_hash
        row.row_hash = prev_hash = compute_hash(prev_hash, canonical_json(fields))
        session.add(row)
    session.flush()


@event.listens_for(OrmSession, "before_commit")
def _flush_before_commit(session: OrmSession) -> None:
    if not session.in_nested_transaction():  # not for a SAVEPOINT being released
        flush_pending(session)


def _sqlite_hash(prev_hash: str, payload: str) -> str:
    return compute_hash(prev_hash, payload)


def _append_sqlite(session: Session, fields: dict[str, Any], occurred_at: datetime | None) -> AuditLog:
    fields["occurred_at"] = occurred_at or utcnow()
    payload = canonical_json(fields)
    dbapi_conn = session.connection().connection.driver_connection
    assert dbapi_conn is not None
    dbapi_conn.create_function(_SQLITE_HASH_FN, 2, _sqlite_hash, deterministic=True)

    tail = sa.select(
        sa.func.coalesce(_tail_hash_query().scalar_subquery(), GENESIS_HASH).label("prev")
    ).subquery("tail")
    values: list[Any] = [sa.literal(fields["occurred_at"], UTCDateTime())]
    values += [sa.literal(fields[name], AuditLog.__table__.c[name].type) for name in HASHED_FIELDS[1:]]  # type: ignore[attr-defined]
    values += [tail.c.prev, getattr(sa.func, _SQLITE_HASH_FN)(tail.c.prev, sa.literal(payload))]
    stmt = (
        sa.insert(AuditLog)
        .from_select([*HASHED_FIELDS, "prev_hash", "row_hash"], sa.select(*values).select_from(tail))
        .returning(col(AuditLog.id))
    )
    new_id = session.exec(stmt).scalar_one()
    row = session.get(AuditLog, new_id)
    assert row is not None
    return row


@dataclass(frozen=True, slots=True)
class VerificationResult:
    ok: bool
    rows_checked: int
    first_bad_id: int | None = None
    reason: str | None = None
    last_id: int | None = None  # the chain head, worth anchoring outside the database
    last_hash: str | None = None


def verify_chain(session: Session, *, batch_size: int = 2000) -> VerificationResult:
    """Walk the whole table in id order; stop at the first row that does not verify."""
    columns = [col(AuditLog.id), col(AuditLog.prev_hash), col(AuditLog.row_hash)]
    columns += [AuditLog.__table__.c[name] for name in HASHED_FIELDS]  # type: ignore[attr-defined]
    flush_pending(session)
    expected_prev, checked = GENESIS_HASH, 0
    last_id: int | None = None
    conn = session.connection()
    while True:
        stmt = sa.select(*columns).order_by(col(AuditLog.id)).limit(batch_size)
        if last_id is not None:
            stmt = stmt.where(col(AuditLog.id) > last_id)
        rows = conn.execute(stmt).all()
        if not rows:
            break
        for row in rows:
            checked += 1
            if row.prev_hash != expected_prev:
                reason = (
                    "first row does not start from the genesis hash: rows before it were deleted"
                    if last_id is None
                    else f"prev_hash does not match row {last_id}: a row between them was deleted "
                    "or inserted, or the preceding row was rewritten"
                )
                return VerificationResult(False, checked, row.id, reason, last_id, expected_prev)
            if row_hash_of(row) != row.row_hash:
                return VerificationResult(
                    False, checked, row.id, "row contents do not match row_hash: the row was edited", last_id
                )
            expected_prev, last_id = row.row_hash, row.id
    return VerificationResult(True, checked, None, None, last_id, None if last_id is None else expected_prev)


# --------------------------------------------------------------------------------------------
# The ORM refuses to change audit rows. Raw SQL can still, which is what verify_chain is for.


class AuditLogImmutableError(RuntimeError):
    pass


def _refuse_change(mapper: Mapper[Any], connection: sa.Connection, target: AuditLog) -> None:
    raise AuditLogImmutableError(f"audit_log row {target.id} is append-only")


event.listen(AuditLog, "before_update", _refuse_change)
event.listen(AuditLog, "before_delete", _refuse_change)


@event.listens_for(OrmSession, "do_orm_execute")
def _refuse_bulk_change(state: ORMExecuteState) -> None:
    mapper = state.bind_mapper
    if (
        state.is_select
        and _pending.pending(state.session)
        and any(m.class_ is AuditLog for m in state.all_mappers)
    ):
        flush_pending(state.session)  # reading the trail in the same session sees its own rows
    if (state.is_update or state.is_delete) and mapper is not None and mapper.class_ is AuditLog:
        raise AuditLogImmutableError("audit_log is append-only: bulk UPDATE/DELETE refused")
