"""``today_metrics``: the doctor's day so far (the clinic-local date of ``now``).

* ``appointments``: ``total`` every appointment scheduled today, any status; ``completed``;
  ``upcoming`` still open (booked, confirmed, checked in, in progress); ``cancelled``;
  ``no_show``.
* ``patients``: distinct patients with a non-cancelled appointment today, split into ``new``
  (their first-ever non-cancelled appointment with this doctor is today) and ``returning``;
  ``total_seen`` distinct patients with a completed visit today.
* ``revenue``: ``generated`` the price of today's completed appointments; ``target`` the
  doctor's "day" RevenueTarget in force today (latest ``effective_from`` on or before today),
  "0.00" without one; ``achievement_rate`` generated / target (0.0 without a target).
* ``efficiency`` (minutes and percent, 1 place): ``avg_appointment_duration`` mean of
  ``ended_at - started_at`` over today's completed visits; ``on_time_percentage`` share
  (0-100) of today's started visits begun at most 5 minutes after their scheduled start;
  ``patient_wait_time`` mean of ``started_at - checked_in_at``. 0.0 while nothing measured.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from mediconnect.dashboards.doctor.context import DoctorContext
from mediconnect.dashboards.doctor.figures import Figures, Patients
from mediconnect.dashboards.doctor.schema import DoctorTodayMetrics
from mediconnect.dashboards.kit.conventions import money, one_place, rate
from mediconnect.models.staff import RevenueTarget, TargetPeriod


def target(ctx: DoctorContext, period: TargetPeriod, on: date) -> Decimal | None:
    """The doctor's revenue target for ``period`` in force on ``on``."""
    t = sa.inspect(RevenueTarget).local_table
    amount = ctx.session.scalar(
        sa.select(t.c.amount)
        .where(t.c.doctor_id == ctx.doctor_id, t.c.period == period.value, t.c.effective_from <= on)
        .order_by(t.c.effective_from.desc())
        .limit(1)
    )
    return None if amount is None else Decimal(amount)


def build(
    ctx: DoctorContext, day: Figures, people: Patients, day_target: Decimal | None
) -> DoctorTodayMetrics:
    goal = day_target or Decimal("0.00")
    return DoctorTodayMetrics.model_validate(
        {
            "date": ctx.today.isoformat(),
            "appointments": {
                "total": day.total,
                "completed": day.completed,
                "upcoming": day.open,
                "cancelled": day.cancelled,
                "no_show": day.no_show,
            },
            "patients": {"new": people.new, "returning": people.returning, "total_seen": people.seen},
            "revenue": {
                "generated": money(day.revenue),
                "target": money(goal),
                "achievement_rate": rate(day.revenue, goal),
            },
            "efficiency": {
                "avg_appointment_duration": one_place(day.duration),
                "on_time_percentage": one_place(100.0 * day.on_time / day.started) if day.started else 0.0,
                "patient_wait_time": one_place(day.wait),
            },
        }
    )
