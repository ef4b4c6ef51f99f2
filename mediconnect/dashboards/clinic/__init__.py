"""The clinic dashboard (spec: GET /api/clinics/{clinic_id}/dashboard/), as ``schema.ClinicDashboard``.

A pure read: no permission checks, no caching (``dashboards.service`` does both). Each section
lives in its own module of this package, whose docstring defines its figures. The day is the
clinic-local date of ``now``; today and the current and previous weeks are read live with
set-based queries on the ``(clinic_id, scheduled_start)`` index, days before today of the month
and year from the ``daily_clinic_stats`` rollup. About twenty small queries in all, none per
doctor, department or row.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlmodel import Session

from mediconnect.dashboards.clinic import alerts as clinic_alerts
from mediconnect.dashboards.clinic import capacity as clinic_capacity
from mediconnect.dashboards.clinic import context as clinic_context
from mediconnect.dashboards.clinic import departments as clinic_departments
from mediconnect.dashboards.clinic import doctors as clinic_doctors
from mediconnect.dashboards.clinic import events as clinic_events
from mediconnect.dashboards.clinic import feedback as clinic_feedback
from mediconnect.dashboards.clinic import finance as clinic_finance
from mediconnect.dashboards.clinic import info as clinic_info
from mediconnect.dashboards.clinic import insights as clinic_insights
from mediconnect.dashboards.clinic import periods as clinic_periods
from mediconnect.dashboards.clinic import rows as clinic_rows
from mediconnect.dashboards.clinic import staffing as clinic_staffing
from mediconnect.dashboards.clinic import today as clinic_today
from mediconnect.dashboards.clinic import week as clinic_week
from mediconnect.dashboards.clinic.history import History
from mediconnect.dashboards.clinic.schema import ClinicDashboard, ClinicOperationalMetrics
from mediconnect.dashboards.kit.sql import COMPLETED, NO_SHOW
from mediconnect.models.staff import TargetPeriod

DEFAULT_WAIT_TARGET = 15.0


def build(*, session: Session, clinic_id: int, now: datetime) -> ClinicDashboard:
    """Each section module returns its typed part of the schema; composed here."""
    ctx = clinic_context.load(session, clinic_id, now)
    today = ctx.today
    yesterday = today - timedelta(days=1)
    month_first, month_last = ctx.month
    last_first, last_last = ctx.last_month
    # Last month's first today.day days: a like-for-like comparison with this month to date.
    last_same = (last_first, min(last_first + timedelta(days=today.day - 1), last_last))
    week_span = ctx.span(*ctx.week)

    cap = clinic_capacity.load(
        ctx, (min(week_span[0], ctx.today_span[0]), max(week_span[1], now + clinic_events.HORIZON))
    )
    rows = clinic_rows.today_rows(ctx)
    staffing = clinic_staffing.load(ctx)
    departments = clinic_departments.active(ctx)
    targets = [float(t) for _, _, t in departments]
    wait_target = sum(targets) / len(targets) if targets else DEFAULT_WAIT_TARGET
    ratings = clinic_feedback.means(
        ctx,
        {
            "today": ctx.today_span,
            "last_week": ctx.span(*ctx.last_week),
            "week_before": ctx.span(*ctx.week_before),
        },
    )
    totals = clinic_periods.totals(
        ctx,
        {
            "last_week": ctx.span(*ctx.last_week),
            "week_before": ctx.span(*ctx.week_before),
            "week": week_span,
        },
    )
    history = History(ctx, min(date(today.year, 1, 1), last_first))

    today_revenue = sum((r.price for r in rows if r.status == COMPLETED), Decimal("0.00"))
    month_past = history.sums(month_first, yesterday)
    week_revenue = totals["week"].revenue
    this_month = clinic_insights.MonthFigures(
        appointments=month_past.appointments + len(rows),
        no_shows=month_past.no_shows + sum(r.status == NO_SHOW for r in rows),
        revenue=month_past.revenue + today_revenue,
    )
    last_past = history.sums(*last_same)
    last_month = clinic_insights.MonthFigures(
        appointments=last_past.appointments,
        no_shows=last_past.no_shows,
        revenue=last_past.revenue,
    )
    # Before today's first feedback, last week's mean stands in rather than a blank.
    today_rating = ratings["today"] if ratings["today"] is not None else ratings["last_week"]

    return ClinicDashboard(
        clinic_info=clinic_info.build(ctx),
        operational_metrics=ClinicOperationalMetrics(
            today=clinic_today.build(ctx, rows, cap, staffing, today_rating, wait_target),
            weekly_performance=clinic_week.build(ctx, cap, totals, ratings["last_week"], history),
        ),
        financial_summary=clinic_finance.build(
            ctx,
            today=today_revenue,
            week=week_revenue,
            month=this_month.revenue,
            year=history.sums(date(today.year, 1, 1), yesterday).revenue + today_revenue,
        ),
        doctor_performance=clinic_doctors.build(ctx, clinic_doctors.roster(ctx)),
        department_metrics=clinic_departments.build(ctx, cap, departments, week_revenue),
        alerts_and_notifications=clinic_alerts.build(ctx, cap, rows, departments, staffing.shortages),
        trends_and_insights=clinic_insights.build(
            this_month,
            last_month,
            (ratings["last_week"], ratings["week_before"]),
            clinic_periods.target(ctx, TargetPeriod.MONTH, today),
            today.day,
            month_last.day,
        ),
        upcoming_events=clinic_events.build(ctx, cap),
    )
