"""``department_metrics``: one entry per active department, by name.

* ``appointments``: non-cancelled appointments of the department scheduled today, in the current
  ISO week and in the current calendar month (booked ones included: the department's workload).
* ``revenue.week``: revenue generated this ISO week; ``percentage_of_total`` its share of the
  clinic's week revenue (``financial_summary.revenue.week``).
* ``utilization``: booked (non-cancelled) minutes in the department's active rooms this ISO week
  / the available minutes of those rooms this week (``clinic.capacity``).
* ``wait_times``: mean minutes from check-in to start of the department's visits this ISO week,
  against ``Department.wait_time_target_minutes``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from mediconnect.dashboards.clinic.capacity import Capacity
from mediconnect.dashboards.clinic.context import ClinicContext
from mediconnect.dashboards.clinic.schema import ClinicDepartmentMetrics
from mediconnect.dashboards.kit.conventions import money, one_place, rate
from mediconnect.dashboards.kit.sql import (
    COMPLETED,
    A,
    avg_when,
    between,
    count_when,
    dec,
    minutes_between,
    not_cancelled,
    sum_when,
    tbl,
)
from mediconnect.models.clinics import Department, Room


def active(ctx: ClinicContext) -> list[Any]:
    """(id, name, wait_time_target_minutes) of the clinic's active departments."""
    d = sa.inspect(Department).local_table.c  # type: ignore[union-attr]
    return list(
        ctx.session.execute(
            sa.select(d.id, d.name, d.wait_time_target_minutes)
            .where(d.clinic_id == ctx.clinic_id, d.is_active)
            .order_by(d.name)
        )
    )


def _figures(ctx: ClinicContext) -> dict[int | None, Any]:
    week = ctx.span(*ctx.week)
    month = ctx.span(*ctx.month)
    span = (min(week[0], month[0]), max(week[1], month[1]))
    in_week = between(A.scheduled_start, week)
    waited = sa.and_(in_week, A.checked_in_at.is_not(None), A.started_at.is_not(None))
    rows = ctx.session.execute(
        sa.select(
            A.department_id,
            count_when(sa.and_(between(A.scheduled_start, ctx.today_span), not_cancelled())),
            count_when(sa.and_(in_week, not_cancelled())),
            count_when(sa.and_(between(A.scheduled_start, month), not_cancelled())),
            sum_when(sa.and_(in_week, A.status == COMPLETED), A.price),
            avg_when(waited, minutes_between(A.checked_in_at, A.started_at, ctx.dialect)),
        )
        .where(A.clinic_id == ctx.clinic_id, between(A.scheduled_start, span))
        .group_by(A.department_id)
    )
    return {r[0]: r for r in rows}


def _booked_room_minutes(ctx: ClinicContext) -> dict[int, float]:
    rooms = sa.inspect(Room).local_table.c  # type: ignore[union-attr]
    rows = ctx.session.execute(
        sa.select(
            rooms.department_id, sa.func.sum(minutes_between(A.scheduled_start, A.scheduled_end, ctx.dialect))
        )
        .select_from(tbl(A).join(tbl(rooms), rooms.id == A.room_id))
        .where(
            A.clinic_id == ctx.clinic_id,
            between(A.scheduled_start, ctx.span(*ctx.week)),
            not_cancelled(),
            rooms.is_active,
            rooms.department_id.is_not(None),
        )
        .group_by(rooms.department_id)
    )
    return {d: float(m or 0) for d, m in rows}


def build(
    ctx: ClinicContext, cap: Capacity, departments: list[Any], week_revenue: Decimal
) -> list[ClinicDepartmentMetrics]:
    figures = _figures(ctx)
    booked = _booked_room_minutes(ctx)
    first, last = ctx.week
    out = []
    for dept_id, name, target in departments:
        f = figures.get(dept_id) or (dept_id, 0, 0, 0, 0, None)
        available = sum(cap.room_minutes(r.id, first, last) for r in cap.rooms if r.department_id == dept_id)
        revenue = dec(f[4])
        out.append(
            ClinicDepartmentMetrics.model_validate(
                {
                    "department": name,
                    "appointments": {"today": int(f[1]), "week": int(f[2]), "month": int(f[3])},
                    "revenue": {"week": money(revenue), "percentage_of_total": rate(revenue, week_revenue)},
                    "utilization": rate(booked.get(dept_id, 0.0), available),
                    "wait_times": {"average": one_place(f[5]), "target": one_place(target)},
                }
            )
        )
    return out
