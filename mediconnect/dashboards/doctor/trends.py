"""``monthly_trends``: the current calendar month.

* ``appointments``: per week of the month (week 1 = days 1-7, 2 = 8-14, 3 = 15-21, 4 = 22-28,
  5 = 29 to month end), appointments scheduled (``total``, any status, future bookings
  included), ``completed`` and their ``revenue``.
* ``patient_growth``: ``new_patients`` whose first-ever non-cancelled appointment with this
  doctor falls in the month to date (day 1 to today), against the same days of last month
  (``vs_last_month`` the relative change as a fraction, ``trend`` from it).
* ``performance_indicators`` over the month to date:
  ``punctuality`` share of started visits begun within 5 minutes of schedule;
  ``documentation_completeness`` share of completed visits that owe a report (imaging and
  ECG, ``kit.sql.owes_report``) whose report was signed within ``REPORT_DEADLINE`` of the
  visit's end (``ended_at``, else the scheduled end), counting only visits already signed or
  whose deadline has passed; 1.0 when none was owed (nothing is missing: a GP who only
  consults is not shown as 0% documented);
  ``follow_up_compliance`` share of follow-ups that fell due from day 1 to yesterday and were
  answered by a later visit on or before the due date (``doctor.followups``).
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from mediconnect.dashboards.doctor import followups as doctor_followups
from mediconnect.dashboards.doctor.context import DoctorContext
from mediconnect.dashboards.doctor.figures import Figures, Patients
from mediconnect.dashboards.doctor.schema import DoctorMonthlyTrends
from mediconnect.dashboards.kit.calendar import Span
from mediconnect.dashboards.kit.conventions import change, money, rate, trend
from mediconnect.dashboards.kit.sql import COMPLETED, A, between, count_when, epoch, owes_report, tbl
from mediconnect.models.reports import Report

R = sa.inspect(Report).local_table.c  # type: ignore[union-attr]
# Notes written the next day are still fresh; the usual clinical-governance window is 24 hours.
REPORT_DEADLINE = timedelta(hours=24)


def week_spans(ctx: DoctorContext) -> dict[str, Span]:
    first, last = ctx.month
    spans: dict[str, Span] = {}
    for n, start in enumerate(range(1, last.day + 1, 7), start=1):
        lo = first.replace(day=start)
        hi = min(lo + timedelta(days=6), last)
        spans[f"week{n}"] = ctx.span(lo, hi)
    return spans


def same_days_last_month(ctx: DoctorContext) -> tuple[date, date]:
    first, last = ctx.last_month
    return first, min(first + timedelta(days=ctx.today.day - 1), last)


def documentation(ctx: DoctorContext, span: Span) -> float:
    end = sa.func.coalesce(A.ended_at, A.scheduled_end)
    d = ctx.dialect
    signed = R.signed_at.is_not(None)
    in_time = sa.and_(signed, epoch(R.signed_at, d) - epoch(end, d) <= REPORT_DEADLINE.total_seconds())
    owed = sa.or_(signed, end <= ctx.now - REPORT_DEADLINE)
    done, due = ctx.session.execute(
        sa.select(count_when(in_time), sa.func.count())
        .select_from(tbl(A).outerjoin(tbl(R), R.appointment_id == A.id))
        .where(
            A.doctor_id == ctx.doctor_id,
            between(A.scheduled_start, span),
            A.status == COMPLETED,
            owes_report(),
            owed,
        )
    ).one()
    return rate(done, due) if due else 1.0


def follow_up_compliance(ctx: DoctorContext, followups: list[doctor_followups.FollowUp]) -> float:
    """``followups``: ``doctor.followups.recent`` (which reaches further back than the month)."""
    items = [f for f in followups if f.due >= ctx.month[0]]
    return rate(sum(f.answered_by(f.due, ctx) for f in items), len(items))


def build(
    ctx: DoctorContext,
    weeks: dict[str, Figures],
    month_to_date: Figures,
    new_now: Patients,
    new_before: Patients,
    followups: list[doctor_followups.FollowUp],
) -> DoctorMonthlyTrends:
    month_span = ctx.span(ctx.month[0], ctx.today)
    return DoctorMonthlyTrends.model_validate(
        {
            "current_month": ctx.month[0].strftime("%Y-%m"),
            "appointments": [
                {"week": n, "total": f.total, "completed": f.completed, "revenue": money(f.revenue)}
                for n, f in enumerate(weeks.values(), start=1)
            ],
            "patient_growth": {
                "new_patients": new_now.new,
                "vs_last_month": change(new_now.new, new_before.new),
                "trend": trend(new_now.new, new_before.new),
            },
            "performance_indicators": {
                "punctuality": month_to_date.punctuality,
                "documentation_completeness": documentation(ctx, month_span),
                "follow_up_compliance": follow_up_compliance(ctx, followups),
            },
        }
    )
