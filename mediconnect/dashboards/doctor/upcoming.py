"""``upcoming_appointments``: the doctor's next ``LIMIT`` open appointments (booked, confirmed,
checked in or in progress) not yet over at ``now`` (``scheduled_end > now``), soonest first.

Per appointment: the patient's ``age`` today, ``last_visit`` (local date of their latest
completed visit with this doctor before this appointment, else null) and ``condition`` (name of
their most recently diagnosed active condition, else null); ``type`` the appointment type;
``duration_minutes`` the booked length; ``preparation_required`` the service's preparation
items, else its preparation text split into lines/sentences, else empty. Three queries in all.
"""

from __future__ import annotations

import re
from datetime import datetime

import sqlalchemy as sa

from mediconnect.dashboards.doctor.context import DoctorContext
from mediconnect.dashboards.doctor.figures import OPEN
from mediconnect.dashboards.doctor.schema import DoctorUpcomingAppointment
from mediconnect.dashboards.kit.conventions import age_on, iso_z
from mediconnect.dashboards.kit.sql import COMPLETED, A, tbl
from mediconnect.models.catalog import Service
from mediconnect.models.clinical import Condition, ConditionStatus
from mediconnect.models.patients import Patient

LIMIT = 10
P = sa.inspect(Patient).local_table.c  # type: ignore[union-attr]
S = sa.inspect(Service).local_table.c  # type: ignore[union-attr]
C = sa.inspect(Condition).local_table.c  # type: ignore[union-attr]
_SPLIT = re.compile(r"[\n;]+|(?<=\.)\s+")


def preparation(items: list[str] | None, text: str | None) -> list[str]:
    if items:
        return [str(i) for i in items if str(i).strip()]
    if not text:
        return []
    return [p.strip().rstrip(".") for p in _SPLIT.split(text) if p.strip().rstrip(".")]


def build(ctx: DoctorContext) -> list[DoctorUpcomingAppointment]:
    rows = ctx.session.execute(
        sa.select(
            A.id,
            A.patient_id,
            A.scheduled_start,
            A.scheduled_end,
            A.appointment_type,
            A.notes,
            P.first_name,
            P.last_name,
            P.date_of_birth,
            S.preparation,
            S.preparation_items,
        )
        .join(tbl(P), P.id == A.patient_id)
        .outerjoin(tbl(S), S.id == A.service_id)
        .where(
            A.doctor_id == ctx.doctor_id,
            A.status.in_(OPEN),
            A.scheduled_start >= ctx.today_span[0],
            A.scheduled_end > ctx.now,
        )
        .order_by(A.scheduled_start, A.id)
        .limit(LIMIT)
    ).all()
    if not rows:
        return []
    pids = {r.patient_id for r in rows}
    visits: dict[int, list[datetime]] = {}
    for pid, start in ctx.session.execute(
        sa.select(A.patient_id, A.scheduled_start).where(
            A.doctor_id == ctx.doctor_id,
            ctx.one_of(A.patient_id, pids),
            A.status == COMPLETED,
            A.scheduled_start < max(r.scheduled_start for r in rows),
        )
    ):
        visits.setdefault(pid, []).append(start)
    conditions: dict[int, str] = {}
    for pid, name in ctx.session.execute(
        sa.select(C.patient_id, C.name)
        .where(ctx.one_of(C.patient_id, pids), C.status == ConditionStatus.ACTIVE.value)
        .order_by(C.diagnosed_on.desc(), C.id.desc())
    ):
        conditions.setdefault(pid, name)
    out: list[DoctorUpcomingAppointment] = []
    for r in rows:
        last = max((s for s in visits.get(r.patient_id, ()) if s < r.scheduled_start), default=None)
        out.append(
            DoctorUpcomingAppointment.model_validate(
                {
                    "id": r.id,
                    "patient": {
                        "id": r.patient_id,
                        "name": f"{r.first_name} {r.last_name}",
                        "age": age_on(r.date_of_birth, ctx.today),
                        "last_visit": last.astimezone(ctx.tz).date().isoformat() if last else None,
                        "condition": conditions.get(r.patient_id),
                    },
                    "scheduled_time": iso_z(r.scheduled_start),
                    "type": str(r.appointment_type),
                    "duration_minutes": int((r.scheduled_end - r.scheduled_start).total_seconds() // 60),
                    "notes": r.notes,
                    "preparation_required": preparation(r.preparation_items, r.preparation),
                }
            )
        )
    return out
