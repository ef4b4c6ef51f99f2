"""Today's appointments at the clinic, fetched once as rows (a day is a few hundred at most).

Every "today" figure of the dashboard (operations, doctors, departments, capacity alerts,
today's revenue) is computed from these rows in Python, so the day costs one indexed query.
``has_prior`` says whether the patient had a non-cancelled appointment at this clinic before
today: the rollup's definition of a new patient is "first-ever non-cancelled appointment".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa

from mediconnect.dashboards.clinic.context import ClinicContext
from mediconnect.dashboards.kit.sql import CANCELLED, A, between, tbl


@dataclass(frozen=True)
class TodayRow:
    patient_id: int
    doctor_id: int | None
    department_id: int | None
    room_id: int | None
    equipment_id: int | None
    status: str
    scheduled_start: datetime
    scheduled_end: datetime
    price: Decimal
    checked_in_at: datetime | None
    started_at: datetime | None
    has_prior: bool

    @property
    def minutes(self) -> float:
        return (self.scheduled_end - self.scheduled_start).total_seconds() / 60.0

    @property
    def wait_minutes(self) -> float | None:
        if self.checked_in_at is None or self.started_at is None:
            return None
        return (self.started_at - self.checked_in_at).total_seconds() / 60.0


def today_rows(ctx: ClinicContext) -> list[TodayRow]:
    start, _ = ctx.today_span
    prior_t = tbl(A).alias("prior")
    prior = (
        sa.exists()
        .where(
            prior_t.c.clinic_id == ctx.clinic_id,
            prior_t.c.patient_id == A.patient_id,
            prior_t.c.scheduled_start < start,
            prior_t.c.status != CANCELLED,
        )
        .label("has_prior")
    )
    query = (
        sa.select(
            A.patient_id,
            A.doctor_id,
            A.department_id,
            A.room_id,
            A.equipment_id,
            A.status,
            A.scheduled_start,
            A.scheduled_end,
            A.price,
            A.checked_in_at,
            A.started_at,
            prior,
        )
        .where(A.clinic_id == ctx.clinic_id, between(A.scheduled_start, ctx.today_span))
        .order_by(A.scheduled_start, A.id)
    )
    return [
        TodayRow(
            r.patient_id,
            r.doctor_id,
            r.department_id,
            r.room_id,
            r.equipment_id,
            str(r.status),
            r.scheduled_start,
            r.scheduled_end,
            r.price or Decimal("0.00"),
            r.checked_in_at,
            r.started_at,
            bool(r.has_prior),
        )
        for r in ctx.session.execute(query)
    ]
