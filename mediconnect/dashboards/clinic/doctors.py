"""``doctor_performance``: one entry per doctor currently affiliated with the clinic, by name.

Counts are of non-cancelled appointments at this clinic: ``today``, and ``week`` (the current
ISO week, Monday-Sunday, booked ones included). Revenue ``week`` is revenue generated this ISO
week; ``avg_per_appointment`` divides it by the week's completed appointments.

The rates need a sample, so they cover the last 30 days (today included):
``completion_rate`` completed / settled (completed + cancelled + no-show); ``satisfaction`` mean
feedback rating; ``retention`` share of the doctor's patients who had also seen the same doctor
here in the 90 days before (a bounded look-back: one range scan of the clinic's index instead
of every patient's whole history); ``punctuality`` share of started visits begun within 5 minutes of the
scheduled start; ``documentation`` share of completed visits that owe a report (imaging, ECG:
``kit.sql.owes_report``) whose report was signed within 24 h of the visit's end; a visit
still inside its 24 h and unsigned is not yet counted, one past it without a report counts as
missing (the doctor dashboard's ``documentation_completeness`` rule; 1.0 when none was owed).

Two grouped queries for all doctors (figures, retention) plus the roster; never one per doctor.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from mediconnect.dashboards.clinic.context import ClinicContext
from mediconnect.dashboards.clinic.schema import ClinicDoctorPerformance
from mediconnect.dashboards.kit.conventions import money, one_place, rate
from mediconnect.dashboards.kit.sql import (
    CANCELLED,
    COMPLETED,
    GRACE_SECONDS,
    NO_SHOW,
    A,
    avg_when,
    between,
    count_when,
    dec,
    epoch,
    not_cancelled,
    owes_report,
    sum_when,
    tbl,
)
from mediconnect.models.reports import Feedback, Report
from mediconnect.models.staff import Doctor, DoctorClinicAffiliation
from mediconnect.models.users import User

F = sa.inspect(Feedback).local_table.c  # type: ignore[union-attr]
R = sa.inspect(Report).local_table.c  # type: ignore[union-attr]
SIGN_WITHIN = 24 * 3600
RETENTION_LOOKBACK = timedelta(days=90)


def roster(ctx: ClinicContext) -> list[Any]:
    """(doctor_id, name, specialization, department_id) of current affiliations."""
    aff = sa.inspect(DoctorClinicAffiliation).local_table.c  # type: ignore[union-attr]
    doc = sa.inspect(Doctor).local_table.c  # type: ignore[union-attr]
    usr = sa.inspect(User).local_table.c  # type: ignore[union-attr]
    return list(
        ctx.session.execute(
            sa.select(doc.id, usr.first_name, usr.last_name, doc.specialization, aff.department_id)
            .select_from(
                tbl(aff).join(tbl(doc), doc.id == aff.doctor_id).join(tbl(usr), usr.id == doc.user_id)
            )
            .where(
                aff.clinic_id == ctx.clinic_id,
                sa.or_(aff.started_on.is_(None), aff.started_on <= ctx.today),
                sa.or_(aff.ended_on.is_(None), aff.ended_on >= ctx.today),
            )
            .order_by(usr.last_name, usr.first_name, doc.id)
        )
    )


def _figures(ctx: ClinicContext, ids: list[int]) -> dict[int, Any]:
    today = ctx.today_span
    week = ctx.span(*ctx.week)
    recent = ctx.span(*ctx.recent)
    span = (min(week[0], recent[0]), max(week[1], today[1]))
    in_recent = between(A.scheduled_start, recent)
    in_week = between(A.scheduled_start, week)
    completed = A.status == COMPLETED
    settled = A.status.in_([COMPLETED, CANCELLED, NO_SHOW])
    started = sa.and_(in_recent, A.started_at.is_not(None))
    late_by = epoch(A.started_at, ctx.dialect) - epoch(A.scheduled_start, ctx.dialect)
    visit_end = sa.func.coalesce(A.ended_at, A.scheduled_end)
    signed_late_by = epoch(R.signed_at, ctx.dialect) - epoch(visit_end, ctx.dialect)
    due = sa.or_(R.signed_at.is_not(None), epoch(visit_end, ctx.dialect) <= ctx.now.timestamp() - SIGN_WITHIN)
    reported = sa.and_(in_recent, completed, owes_report(), due)
    query = (
        sa.select(
            A.doctor_id,
            count_when(sa.and_(between(A.scheduled_start, today), not_cancelled())),
            count_when(sa.and_(in_week, not_cancelled())),
            sum_when(sa.and_(in_week, completed), A.price),
            count_when(sa.and_(in_week, completed)),
            count_when(sa.and_(in_recent, completed)),
            count_when(sa.and_(in_recent, settled)),
            avg_when(in_recent, F.overall_rating),
            count_when(sa.and_(started, late_by <= GRACE_SECONDS)),
            count_when(started),
            count_when(sa.and_(reported, R.signed_at.is_not(None), signed_late_by <= SIGN_WITHIN)),
            count_when(reported),
        )
        .select_from(
            tbl(A).outerjoin(tbl(F), F.appointment_id == A.id).outerjoin(tbl(R), R.appointment_id == A.id)
        )
        .where(A.clinic_id == ctx.clinic_id, between(A.scheduled_start, span), A.doctor_id.in_(ids))
        .group_by(A.doctor_id)
    )
    return {r[0]: r for r in ctx.session.execute(query)}


def _retention(ctx: ClinicContext, ids: list[int]) -> dict[int, tuple[int, int]]:
    """Per doctor: (patients seen in the last 30 days, of whom also seen in the 90 days before)."""
    recent = ctx.span(*ctx.recent)
    lookback = (recent[0] - RETENTION_LOOKBACK, recent[1])
    pairs = (
        sa.select(
            A.doctor_id.label("doctor_id"),
            sa.func.max(sa.case((A.scheduled_start >= recent[0], 1), else_=0)).label("recent"),
            sa.func.min(A.scheduled_start).label("first"),
        )
        .where(
            A.clinic_id == ctx.clinic_id,
            between(A.scheduled_start, lookback),
            not_cancelled(),
            A.doctor_id.in_(ids),
        )
        .group_by(A.doctor_id, A.patient_id)
        .subquery()
    )
    in_recent = pairs.c.recent == 1
    rows = ctx.session.execute(
        sa.select(
            pairs.c.doctor_id,
            count_when(in_recent),
            count_when(sa.and_(in_recent, pairs.c.first < recent[0])),
        ).group_by(pairs.c.doctor_id)
    ).all()
    return {d: (int(n), int(back)) for d, n, back in rows}


def build(ctx: ClinicContext, doctors: list[Any]) -> list[ClinicDoctorPerformance]:
    ids = [d[0] for d in doctors]
    figures = _figures(ctx, ids) if ids else {}
    retention = _retention(ctx, ids) if ids else {}
    out = []
    for doctor_id, first, last, specialization, _dept in doctors:
        f = figures.get(doctor_id) or (doctor_id, 0, 0, 0, 0, 0, 0, None, 0, 0, 0, 0)
        revenue = dec(f[3])
        seen, back = retention.get(doctor_id, (0, 0))
        out.append(
            ClinicDoctorPerformance.model_validate(
                {
                    "doctor_id": doctor_id,
                    "name": f"Dr. {first} {last}",
                    "specialization": specialization,
                    "appointments": {
                        "today": int(f[1]),
                        "week": int(f[2]),
                        "completion_rate": rate(f[5], f[6]),
                    },
                    "patient_metrics": {"satisfaction": one_place(f[7]), "retention": rate(back, seen)},
                    "revenue": {
                        "week": money(revenue),
                        "avg_per_appointment": money(revenue / int(f[4])) if int(f[4]) else money(0),
                    },
                    "efficiency": {
                        "punctuality": rate(f[8], f[9]),
                        "documentation": rate(f[10], f[11]) if f[11] else 1.0,
                    },
                }
            )
        )
    return out
