"""Follow-ups the doctor asked for (``Appointment.follow_up_due_on`` set at completion) and the
later visits that answered them.

A follow-up is answered by a later appointment of the same patient with the same doctor
(scheduled after the visit that asked for it) that was not cancelled and not missed (no-show).
It is answered *in time* when that appointment's clinic-local date is on or before the due date.
Two small indexed queries: the follow-ups due in a date window, then the later visits of just
those patients.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from mediconnect.dashboards.doctor.context import DoctorContext
from mediconnect.dashboards.kit.sql import CANCELLED, COMPLETED, NO_SHOW, A

# Older lapses belong on a recall list, not on the doctor's screen.
LOOKBACK_DAYS = 90
# Follow-ups are asked for within a year of the visit; longer plans are recalls. Bounding the
# visit date keeps the query on the (doctor_id, scheduled_start) index.
MAX_INTERVAL_DAYS = 366


@dataclass(frozen=True)
class FollowUp:
    appointment_id: int
    patient_id: int
    visited: datetime
    due: date
    later: tuple[datetime, ...]

    def answered_by(self, day: date | None, ctx: DoctorContext) -> bool:
        """A later visit exists (on or before ``day`` local, when given)."""
        return any(day is None or s.astimezone(ctx.tz).date() <= day for s in self.later)


def due_between(ctx: DoctorContext, first: date, last: date) -> list[FollowUp]:
    """Completed visits of this doctor whose follow-up falls due in ``[first, last]``."""
    if first > last:
        return []
    visited = ctx.span(first - timedelta(days=MAX_INTERVAL_DAYS), last)
    sources = ctx.session.execute(
        sa.select(A.id, A.patient_id, A.scheduled_start, A.follow_up_due_on)
        .where(
            A.doctor_id == ctx.doctor_id,
            A.scheduled_start >= visited[0],
            A.scheduled_start < visited[1],
            A.status == COMPLETED,
            A.follow_up_due_on >= first,
            A.follow_up_due_on <= last,
        )
        .order_by(A.follow_up_due_on, A.id)
    ).all()
    if not sources:
        return []
    later_rows = ctx.session.execute(
        sa.select(A.patient_id, A.scheduled_start).where(
            A.doctor_id == ctx.doctor_id,
            ctx.one_of(A.patient_id, {r.patient_id for r in sources}),
            A.scheduled_start > min(r.scheduled_start for r in sources),
            A.status.not_in((CANCELLED, NO_SHOW)),
        )
    ).all()
    by_patient: dict[int, list[datetime]] = {}
    for pid, start in later_rows:
        by_patient.setdefault(pid, []).append(start)
    return [
        FollowUp(
            appointment_id=r.id,
            patient_id=r.patient_id,
            visited=r.scheduled_start,
            due=r.follow_up_due_on,
            later=tuple(s for s in by_patient.get(r.patient_id, ()) if s > r.scheduled_start),
        )
        for r in sources
    ]


def recent(ctx: DoctorContext) -> list[FollowUp]:
    """Follow-ups due in the last ``LOOKBACK_DAYS`` days up to yesterday."""
    return due_between(ctx, ctx.today - timedelta(days=LOOKBACK_DAYS), ctx.today - timedelta(days=1))
