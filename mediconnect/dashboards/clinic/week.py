"""``operational_metrics.weekly_performance``: the previous full ISO week (Monday-Sunday).

* ``total``: appointments scheduled in the week, any status; ``completion_rate`` as today's
  (completed / settled). ``average_per_day`` and revenue ``daily_average`` divide by the days
  the clinic was open that week (opening hours, less closures).
* ``peak_day``: the local weekday with most appointments; ``peak_time``: the two-hour local
  window (even hours, "10:00-12:00") with most appointment starts; earliest wins a tie, null in
  an empty week. Both from one query bucketing starts by hour since the week began.
* Revenue ``vs_target``: revenue / the week's goal: the weekly ``RevenueTarget`` in force on the
  Monday, else the daily one times the days the clinic was open that week; null when the clinic
  has neither (no goal is not 0% of one). ``trend`` against the week before.
* Patients: ``unique_patients`` with a non-cancelled appointment; ``retention_rate`` the share
  of them seen at this clinic before the week; ``new_patients`` the others;
  ``satisfaction_score`` the mean rating of the week's visits.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from mediconnect.dashboards.clinic import periods as clinic_periods
from mediconnect.dashboards.clinic.capacity import Capacity
from mediconnect.dashboards.clinic.context import ClinicContext
from mediconnect.dashboards.clinic.history import History
from mediconnect.dashboards.clinic.periods import Totals
from mediconnect.dashboards.clinic.schema import ClinicWeeklyPerformance
from mediconnect.dashboards.kit.calendar import Span
from mediconnect.dashboards.kit.conventions import money, one_place, period_label, rate, trend
from mediconnect.dashboards.kit.sql import A, between, epoch, floor_int
from mediconnect.models.staff import TargetPeriod

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def hourly_starts(ctx: ClinicContext, span: Span) -> dict[int, int]:
    """Appointments per whole hour since ``span[0]`` (a local midnight), any status."""
    # Half a second of slack so SQLite's floating-point julianday never drops 10:00 into 09:xx.
    since = epoch(A.scheduled_start, ctx.dialect) - span[0].timestamp() + 0.5
    hour = floor_int(since / 3600.0, ctx.dialect).label("hour")
    rows = ctx.session.execute(
        sa.select(hour, sa.func.count())
        .where(A.clinic_id == ctx.clinic_id, between(A.scheduled_start, span))
        .group_by(hour)
    ).all()
    return {int(h): int(n) for h, n in rows}


def peaks(ctx: ClinicContext, span: Span, by_hour: dict[int, int]) -> tuple[str | None, str | None]:
    days: dict[int, int] = {}
    windows: dict[int, int] = {}
    for h, n in by_hour.items():
        local = (span[0] + timedelta(hours=h)).astimezone(ctx.tz)
        days[local.weekday()] = days.get(local.weekday(), 0) + n
        windows[local.hour // 2] = windows.get(local.hour // 2, 0) + n
    if not days:
        return None, None
    day = min(days, key=lambda d: (-days[d], d))
    window = min(windows, key=lambda w: (-windows[w], w))
    start = 2 * window
    return WEEKDAYS[day], f"{start:02d}:00-{(start + 2) % 24:02d}:00"


def build(
    ctx: ClinicContext,
    cap: Capacity,
    totals: dict[str, Totals],
    satisfaction: float | None,
    history: History,
) -> ClinicWeeklyPerformance:
    first, last = ctx.last_week
    span = ctx.span(first, last)
    week, before = totals["last_week"], totals["week_before"]
    open_days = len(cap.open_days(first, last))
    peak_day, peak_time = peaks(ctx, span, hourly_starts(ctx, span))
    unique = clinic_periods.unique_patients(ctx, span)
    new = min(unique, history.sums(first, last).new_patients)
    goal = clinic_periods.target(ctx, TargetPeriod.WEEK, first)
    if goal is None:
        daily = clinic_periods.target(ctx, TargetPeriod.DAY, first)
        goal = None if daily is None else daily * open_days
    done, settled = week.completion_rate_parts
    return ClinicWeeklyPerformance.model_validate(
        {
            "period": period_label(first, last),
            "appointments": {
                "total": week.total,
                "completion_rate": rate(done, settled),
                "average_per_day": one_place(week.total / open_days) if open_days else 0.0,
                "peak_day": peak_day,
                "peak_time": peak_time,
            },
            "revenue": {
                "total": money(week.revenue),
                "daily_average": money(week.revenue / open_days) if open_days else money(0),
                "vs_target": rate(week.revenue, goal) if goal else None,
                "trend": trend(week.revenue, before.revenue),
            },
            "patient_metrics": {
                "unique_patients": unique,
                "new_patients": new,
                "retention_rate": rate(unique - new, unique),
                "satisfaction_score": one_place(satisfaction),
            },
        }
    )
