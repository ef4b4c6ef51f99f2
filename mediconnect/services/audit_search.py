"""The audit trail for admins: search it, export it as CSV, check its hash chain.

Admins only (``admin_only``: a refusal is itself audited). A search is pinned to the chain as
it was when it started (``upto_id``): paging through it, and exporting it, see exactly the
rows that were counted, however many are appended meanwhile. Results are newest first in
chain order (``id`` descending; rows are appended in time order). Starting a search, an export
and a verification each leave their own audit row.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypedDict

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from mediconnect.core import audit
from mediconnect.core.policy import Principal
from mediconnect.models.audit import AuditLog
from mediconnect.models.users import User
from mediconnect.services.accounts import InvalidInput
from mediconnect.services.admin_access import AdminFormError, admin_only, audited, record

RESOURCE = "audit_log"
PAGE_SIZE_MAX = 100
EXPORT_LIMIT = 50_000
EXPORT_BATCH = 1_000
CSV_COLUMNS = (
    "id",
    "occurred_at",
    "user_id",
    "user_email",
    "role",
    "action",
    "patient_id",
    "resource_type",
    "resource_id",
    "ip_address",
    "detail",
)
_ACTION_RE = re.compile(r"[a-z0-9_.-]{1,40}\*?")
# Spreadsheet programs run cells that start with these as formulas.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class AuditFilters:
    """``user``: a user id, an account's email address, or part of one. ``action``: exact, or a prefix
    ending in ``*`` (``user.*``). Dates are whole UTC days, both ends included."""

    user: str = ""
    patient_id: int | None = None
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None
    upto_id: int | None = None

    def describe(self) -> str:
        parts = [
            f"user={self.user}" if self.user else "",
            f"patient={self.patient_id}" if self.patient_id is not None else "",
            f"action={self.action}" if self.action else "",
            f"from={self.date_from}" if self.date_from else "",
            f"to={self.date_to}" if self.date_to else "",
        ]
        return " ".join(p for p in parts if p) or "all"


class AuditRow(TypedDict):
    id: int
    occurred_at: str
    user_id: str
    user_email: str
    role: str
    action: str
    patient_id: str
    resource_type: str
    resource_id: str
    ip_address: str
    detail: str


@dataclass(frozen=True, slots=True)
class AuditPage:
    rows: list[AuditRow]
    total: int
    page: int
    page_size: int
    filters: AuditFilters  # with upto_id set: pass it back for the next page or the export

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))


class ChainCheck(TypedDict):
    ok: bool
    rows_checked: int
    first_bad_id: int | None
    reason: str
    last_id: int | None


# --------------------------------------------------------------------------- filters


def _parse_date(text: str, field: str, label: str, errors: dict[str, str]) -> date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[field] = f"Enter the {label} date as YYYY-MM-DD."
        return None


def parse_filters(
    *, user: str = "", patient_id: str = "", action: str = "", date_from: str = "", date_to: str = ""
) -> AuditFilters:
    """Filters from form text; every bad field is named at once (``AdminFormError``)."""
    errors: dict[str, str] = {}
    who = (user or "").strip().lower()
    if len(who) > 254:
        errors["user"] = "Enter a user id or an email address (at most 254 characters)."
    patient_text = (patient_id or "").strip().lstrip("#")
    patient: int | None = None
    if patient_text:
        if not patient_text.isdigit() or len(patient_text) > 12 or int(patient_text) < 1:
            errors["patient_id"] = "A patient id is a whole number, like 1042."
        else:
            patient = int(patient_text)
    verb = (action or "").strip().lower()
    if verb and not _ACTION_RE.fullmatch(verb):
        errors["action"] = "An action is like view or user.deactivate; end with * for all that start so."
    start = _parse_date(date_from, "date_from", "from", errors)
    end = _parse_date(date_to, "date_to", "to", errors)
    if start and end and start > end:
        errors["date_to"] = "The to date must be on or after the from date."
    if errors:
        raise AdminFormError(errors)
    return AuditFilters(user=who, patient_id=patient, action=verb, date_from=start, date_to=end)


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _user_ids(session: Session, text: str) -> Any:
    """A whole address of an account means that account only (doctor@x is not also
    referring-doctor@x); anything else matches every address containing it."""
    email = sa.func.lower(col(User.email))
    if "@" in text and session.exec(select(User.id).where(email == text)).first() is not None:
        return select(User.id).where(email == text)
    return select(User.id).where(email.like(_like(text), escape="\\"))


def _where(session: Session, filters: AuditFilters) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if filters.user:
        if filters.user.isdigit() and len(filters.user) <= 12:
            where.append(col(AuditLog.user_id) == int(filters.user))
        else:
            where.append(col(AuditLog.user_id).in_(_user_ids(session, filters.user)))
    if filters.patient_id is not None:
        where.append(col(AuditLog.patient_id) == filters.patient_id)
    if filters.action.endswith("*"):
        prefix = filters.action[:-1]
        if prefix:
            where.append(col(AuditLog.action).like(_like(prefix)[1:], escape="\\"))
    elif filters.action:
        where.append(col(AuditLog.action) == filters.action)
    if filters.date_from:
        where.append(col(AuditLog.occurred_at) >= datetime.combine(filters.date_from, time.min, UTC))
    if filters.date_to:
        where.append(
            col(AuditLog.occurred_at) < datetime.combine(filters.date_to + timedelta(days=1), time.min, UTC)
        )
    if filters.upto_id is not None:
        where.append(col(AuditLog.id) <= filters.upto_id)
    return where


def _pinned(session: Session, filters: AuditFilters) -> AuditFilters:
    if filters.upto_id is not None:
        return filters
    head = session.scalar(sa.select(sa.func.max(col(AuditLog.id))))
    return replace(filters, upto_id=int(head or 0))


def _select():  # type: ignore[no-untyped-def]
    return select(AuditLog, User.email).outerjoin(User, col(User.id) == col(AuditLog.user_id))


def _row(log: AuditLog, email: str | None) -> AuditRow:
    assert log.id is not None
    return AuditRow(
        id=log.id,
        occurred_at=log.occurred_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        user_id="" if log.user_id is None else str(log.user_id),
        user_email=email or "",
        role=log.role or "",
        action=log.action,
        patient_id="" if log.patient_id is None else str(log.patient_id),
        resource_type=log.resource_type,
        resource_id=log.resource_id or "",
        ip_address=log.ip_address or "",
        detail=log.detail or "",
    )


def _count(session: Session, filters: AuditFilters) -> int:
    return int(
        session.scalar(sa.select(sa.func.count()).select_from(AuditLog).where(*_where(session, filters))) or 0
    )


# --------------------------------------------------------------------------- search


def search_audit(
    *,
    session: Session,
    principal: Principal,
    filters: AuditFilters,
    page: int = 1,
    page_size: int = 25,
    ip: str | None = None,
) -> AuditPage:
    """One page of matching rows, newest first. A search without ``upto_id`` starts afresh:
    it is pinned to the current chain head and recorded."""
    admin_only(session, principal=principal, resource_type=RESOURCE, ip=ip)
    fresh = filters.upto_id is None
    filters = _pinned(session, filters)
    page_size = min(max(1, page_size), PAGE_SIZE_MAX)
    total = _count(session, filters)
    pages = max(1, math.ceil(total / page_size))
    page = min(max(1, page), pages)
    found = session.exec(
        _select()
        .where(*_where(session, filters))
        .order_by(col(AuditLog.id).desc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    rows = [_row(log, email) for log, email in found]
    if fresh:
        audited(
            session,
            lambda: record(
                session, principal, "audit.search", resource_type=RESOURCE, ip=ip, detail=filters.describe()
            ),
        )
    return AuditPage(rows=rows, total=total, page=page, page_size=page_size, filters=filters)


# --------------------------------------------------------------------------- export


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_line(values: list[object]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(values)
    return out.getvalue()


def export_csv(
    *,
    session: Session,
    principal: Principal,
    filters: AuditFilters,
    ip: str | None = None,
    limit: int = EXPORT_LIMIT,
) -> Iterator[str]:
    """CSV lines (a header, then one line per matching row, newest first, times in ISO 8601
    UTC) for exactly the rows ``filters`` selects. The check, the count and the audit row
    happen now; the rows stream as the result is iterated (keep the session open till then).
    More than ``limit`` rows is refused: narrow the filters."""
    admin_only(session, principal=principal, resource_type=RESOURCE, ip=ip)
    filters = _pinned(session, filters)
    total = _count(session, filters)
    if total > limit:
        raise InvalidInput(
            f"That is {total:,} rows; an export takes at most {limit:,}. Narrow the dates or other filters.",
            field="export",
        )
    audited(
        session,
        lambda: record(
            session,
            principal,
            "audit.export",
            resource_type=RESOURCE,
            ip=ip,
            detail=f"{filters.describe()} rows={total} upto={filters.upto_id}",
        ),
    )
    return _csv_lines(session, filters)


def _csv_lines(session: Session, filters: AuditFilters) -> Iterator[str]:
    yield _csv_line(list(CSV_COLUMNS))
    before: int | None = None
    while True:
        stmt = (
            _select().where(*_where(session, filters)).order_by(col(AuditLog.id).desc()).limit(EXPORT_BATCH)
        )
        if before is not None:
            stmt = stmt.where(col(AuditLog.id) < before)
        batch = session.exec(stmt).all()
        if not batch:
            return
        for log, email in batch:
            row = _row(log, email)
            values: list[object] = [row[name] for name in CSV_COLUMNS]  # type: ignore[literal-required]
            values[1] = audit.format_time(log.occurred_at)
            yield _csv_line([values[0], *(_cell(v) for v in values[1:])])
        before = batch[-1][0].id


# --------------------------------------------------------------------------- verification


def verify(*, session: Session, principal: Principal, ip: str | None = None) -> ChainCheck:
    """Walk the whole chain (core.audit.verify_chain) and record that it was checked."""
    admin_only(session, principal=principal, resource_type=RESOURCE, ip=ip)
    result = audit.verify_chain(session)
    summary = ChainCheck(
        ok=result.ok,
        rows_checked=result.rows_checked,
        first_bad_id=result.first_bad_id,
        reason=result.reason or "",
        last_id=result.last_id,
    )
    outcome = "ok" if result.ok else f"broken at row {result.first_bad_id}"
    audited(
        session,
        lambda: record(
            session,
            principal,
            "audit.verify",
            resource_type=RESOURCE,
            ip=ip,
            detail=f"{outcome}; {result.rows_checked} rows checked",
        ),
    )
    return summary
