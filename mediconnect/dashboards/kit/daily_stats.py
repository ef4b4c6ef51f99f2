"""The daily rollup ``daily_clinic_stats``: one row per clinic and clinic-local day.

Builders read days BEFORE today from here (months, year to date, long trends) and today live
from the tables, so today's figures are exact whether or not a refresh has run. The rollup is
created by migration 0004 (definitions there): a materialized view on PostgreSQL, a table on
SQLite. ``refresh`` brings it up to date: hourly from Celery beat, after seeding, and when an
event changes a past day (workers/dashboards.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, col

from mediconnect.models.appointments import Appointment, AppointmentStatus
from mediconnect.models.base import Money
from mediconnect.models.clinics import Clinic

TABLE = "daily_clinic_stats"

# Not in the models' metadata: the migration owns it (a view on PostgreSQL), alembic ignores it.
stats = sa.Table(
    TABLE,
    sa.MetaData(),
    sa.Column("clinic_id", sa.Integer, primary_key=True),
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("appointment_count", sa.Integer),
    sa.Column("completed_count", sa.Integer),
    sa.Column("cancelled_count", sa.Integer),
    sa.Column("no_show_count", sa.Integer),
    sa.Column("daily_revenue", Money),
    sa.Column("unique_patients", sa.Integer),
    sa.Column("new_patients", sa.Integer),
)


@dataclass(frozen=True, slots=True)
class DailyStat:
    clinic_id: int
    day: date
    appointment_count: int
    completed_count: int
    cancelled_count: int
    no_show_count: int
    daily_revenue: Decimal
    unique_patients: int
    new_patients: int


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Alembic's filter: the rollup is the migration's, not a model, so never drift."""
    return not (type_ in ("table", "index") and (name == TABLE or getattr(obj, "table", None) is stats))


def read(session: Session, *, clinic_id: int | None, first: date, last: date) -> list[DailyStat]:
    """The rollup rows from ``first`` to ``last`` (inclusive), of one clinic or all of them."""
    q = sa.select(stats).where(stats.c.day >= first, stats.c.day <= last)
    if clinic_id is not None:
        q = q.where(stats.c.clinic_id == clinic_id)
    rows = session.connection().execute(q.order_by(stats.c.clinic_id, stats.c.day)).all()
    return [DailyStat(**row._mapping) for row in rows]


def refresh(session: Session, *, clinic_id: int | None = None, days: Iterable[date] | None = None) -> None:
    """Bring the rollup up to date, in the session's transaction (the caller commits).

    PostgreSQL refreshes the whole view (a materialized view cannot be refreshed in part);
    ``clinic_id`` and ``days`` only narrow the work on SQLite. There, ``days`` recomputes just
    those days of the clinic(s); without it every day is recomputed, which also settles
    ``new_patients`` on later days when a patient's first visit moved.
    """
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        populated = conn.exec_driver_sql(
            "SELECT ispopulated FROM pg_matviews WHERE matviewname = %(n)s", {"n": TABLE}
        ).scalar()
        # CONCURRENTLY keeps readers unblocked, but needs a view that was populated before.
        concurrently = "CONCURRENTLY " if populated else ""
        conn.exec_driver_sql(f"REFRESH MATERIALIZED VIEW {concurrently}{TABLE}")
        return
    _refresh_sqlite(session, clinic_id=clinic_id, days=sorted(set(days)) if days is not None else None)


def _refresh_sqlite(session: Session, *, clinic_id: int | None, days: Sequence[date] | None) -> None:
    conn = session.connection()
    zones = {
        cid: ZoneInfo(tz)
        for cid, tz in conn.execute(sa.select(col(Clinic.id), col(Clinic.timezone))).all()
        if clinic_id is None or cid == clinic_id
    }
    a = Appointment
    q = sa.select(col(a.clinic_id), col(a.patient_id), col(a.status), col(a.price), col(a.scheduled_start))
    if clinic_id is not None:
        q = q.where(col(a.clinic_id) == clinic_id)
    rows: list[_Row] = []
    for cid, pid, status, price, start in conn.execute(q):
        if cid is not None and pid is not None and cid in zones:
            rows.append(_Row(cid, pid, status, price, start.astimezone(zones[cid]).date()))
    wanted = set(days) if days is not None else None

    firsts: dict[tuple[int, int], date] = {}
    by_day: dict[tuple[int, date], list[_Row]] = defaultdict(list)
    for r in rows:
        if r.status != AppointmentStatus.CANCELLED:
            key = (r.clinic_id, r.patient_id)
            firsts[key] = min(firsts.get(key, r.day), r.day)
        if wanted is None or r.day in wanted:
            by_day[(r.clinic_id, r.day)].append(r)
    new_counts: dict[tuple[int, date], int] = defaultdict(int)
    for (cid, _), first in firsts.items():
        new_counts[(cid, first)] += 1

    delete = sa.delete(stats)
    if clinic_id is not None:
        delete = delete.where(stats.c.clinic_id == clinic_id)
    if wanted is not None:
        delete = delete.where(stats.c.day.in_(sorted(wanted)))
    conn.execute(delete)
    values = [_stat(cid, day, group, new_counts[(cid, day)]) for (cid, day), group in sorted(by_day.items())]
    if values:
        conn.execute(sa.insert(stats), values)


@dataclass(frozen=True, slots=True)
class _Row:
    clinic_id: int
    patient_id: int
    status: str
    price: Decimal
    day: date


def _stat(clinic_id: int, day: date, group: list[_Row], new_patients: int) -> dict[str, object]:
    status = [r.status for r in group]
    return {
        "clinic_id": clinic_id,
        "day": day,
        "appointment_count": len(group),
        "completed_count": status.count(AppointmentStatus.COMPLETED),
        "cancelled_count": status.count(AppointmentStatus.CANCELLED),
        "no_show_count": status.count(AppointmentStatus.NO_SHOW),
        "daily_revenue": sum(
            (r.price for r in group if r.status == AppointmentStatus.COMPLETED), Decimal("0")
        ),
        "unique_patients": len({r.patient_id for r in group if r.status != AppointmentStatus.CANCELLED}),
        "new_patients": new_patients,
    }


def exists(conn: sa.Connection) -> bool:
    """Whether the rollup is there (migration 0004 ran; ``create_all`` databases lack it)."""
    if conn.dialect.name == "postgresql":
        found = conn.exec_driver_sql("SELECT 1 FROM pg_matviews WHERE matviewname = %(n)s", {"n": TABLE})
        return found.first() is not None
    return TABLE in sa.inspect(conn).get_table_names()


def refresh_all(engine: sa.Engine) -> bool:
    """Refresh everything in a transaction of its own (after seeding). False: no rollup here."""
    with Session(engine) as session:
        if not exists(session.connection()):
            return False
        refresh(session)
        session.commit()
    return True
