"""Portable SQL pieces the clinic dashboard's set-based queries are built from.

Everything here is SQLAlchemy Core that compiles identically on SQLite and PostgreSQL, except
``epoch`` and ``minutes_between``, which need the dialect because the two store timestamps
differently (PostgreSQL ``timestamptz``; SQLite naive UTC text).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from mediconnect.models.appointments import Appointment, AppointmentStatus
from mediconnect.models.catalog import Service
from mediconnect.models.clinics import REPORTED_MODALITIES

A = sa.inspect(Appointment).local_table.c  # type: ignore[union-attr]

COMPLETED = AppointmentStatus.COMPLETED.value
CANCELLED = AppointmentStatus.CANCELLED.value
NO_SHOW = AppointmentStatus.NO_SHOW.value
CHECKED_IN = AppointmentStatus.CHECKED_IN.value
IN_PROGRESS = AppointmentStatus.IN_PROGRESS.value
# Minutes of grace before a start counts as late (punctuality, on-time starts).
GRACE_SECONDS = 5 * 60


def tbl(columns: Any) -> sa.Table:
    """The table behind a ``.c`` column collection (``A``, ``F`` ... are column collections)."""
    return next(iter(columns)).table  # type: ignore[no-any-return]


def epoch(col: Any, dialect: str) -> ColumnElement[Any]:
    """Seconds since 1970 of a timestamp column, as a float."""
    if dialect == "sqlite":
        return (sa.func.julianday(col) - 2440587.5) * 86400.0
    return sa.extract("epoch", col)


def minutes_between(start: Any, end: Any, dialect: str) -> ColumnElement[Any]:
    return (epoch(end, dialect) - epoch(start, dialect)) / 60.0


def floor_int(value: Any, dialect: str) -> ColumnElement[int]:
    """``floor`` of a non-negative number: SQLite's CAST truncates, PostgreSQL's rounds."""
    if dialect == "sqlite":
        return sa.cast(value, sa.Integer)
    return sa.cast(sa.func.floor(value), sa.Integer)


def between(col: Any, span: tuple[datetime, datetime]) -> ColumnElement[bool]:
    """``col`` inside the half-open UTC range ``[start, end)``."""
    return sa.and_(col >= span[0], col < span[1])


def count_when(cond: ColumnElement[bool]) -> ColumnElement[int]:
    return sa.func.coalesce(sa.func.sum(sa.case((cond, 1), else_=0)), 0)


def sum_when(cond: ColumnElement[bool], value: Any) -> ColumnElement[Any]:
    return sa.func.coalesce(sa.func.sum(sa.case((cond, value), else_=0)), 0)


def avg_when(cond: ColumnElement[bool], value: Any) -> ColumnElement[Any]:
    """Mean of ``value`` over the rows matching ``cond``; NULL when none do."""
    return sa.func.avg(sa.case((cond, value), else_=None))


def owes_report() -> ColumnElement[bool]:
    """The appointment's service ends in a report (imaging, ECG): a consultation owes none."""
    sv = sa.inspect(Service).local_table.c  # type: ignore[union-attr]
    reported = sorted(m.value for m in REPORTED_MODALITIES)
    return A.service_id.in_(sa.select(sv.id).where(sv.modality.in_(reported)))


def not_cancelled() -> ColumnElement[bool]:
    return A.status != CANCELLED


def status_is(*statuses: str) -> ColumnElement[bool]:
    return A.status.in_(statuses)


def dec(value: Any) -> Decimal:
    """A SQL sum back as Decimal (SQLite returns floats or strings for NUMERIC sums)."""
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def num(value: Any) -> float | None:
    return None if value is None else float(value)
