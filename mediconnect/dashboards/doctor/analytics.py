"""The doctor's analytics (spec: GET /api/dashboard/doctor/analytics/), over a chosen period.

Parameters (``parse_params``; anything malformed is DASH_004):

* ``period``: day | week | month | quarter | year (default month).
* ``start_date`` / ``end_date`` (ISO dates, inclusive, clinic-local). Both: that range (at most
  ``MAX_DAYS`` days). Only ``end_date``: the calendar ``period`` containing it, up to it. Only
  ``start_date``: from it to today. Neither: the calendar period containing today (today, the
  current ISO week, month, quarter or year).
* ``clinic_id``: only appointments at that clinic. ``comparison``: true|false|1|0; when true the
  same figures for the previous range of equal length, and the changes.

The response (the spec gives none, so this shape is ours; typed in ``analytics_schema``)::

    {"doctor_id", "period": {"name", "start_date", "end_date"}, "clinic_id",
     "appointments": {"total", "completed", "cancelled", "no_show",
                      "completion_rate", "cancellation_rate", "no_show_rate"},
     "revenue": {"total", "avg_per_appointment", "insurance_vs_private": {"insurance", "private"}},
     "patients": {"unique", "new", "returning", "retention_rate"},
     "efficiency": {"avg_appointment_duration", "on_time_percentage", "patient_wait_time"},
     "satisfaction": {"average", "responses"},
     "series": {"bucket": "day|week|month", "points": [{"start", "end", "appointments",
                "completed", "revenue"}]},
     "comparison": null | {"period": {...}, <the figures above, without series>, "changes": {...}}}

Figures are defined in ``figures`` (the same as the dashboard's). ``series`` buckets the
range by day up to ``DAILY_MAX_DAYS`` days, by ISO week (clipped to the range) up to
``WEEKLY_MAX_DAYS``, else by calendar month. ``changes``: relative change (fraction) for counts
and money (``appointments``, ``completed``, ``revenue``, ``unique_patients``,
``new_patients``); plain difference for rates (4 places) and for minutes and ratings (1 place).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from mediconnect.core.errors import DashboardError, DashErrorCode
from mediconnect.dashboards.doctor.analytics_schema import AnalyticsResponse
from mediconnect.dashboards.doctor.context import DoctorContext, load
from mediconnect.dashboards.doctor.figures import Figures, Patients, figures, patients_in, ratings, scope
from mediconnect.dashboards.kit.calendar import Span
from mediconnect.dashboards.kit.conventions import change, money, month_of, one_place, week_of
from mediconnect.dashboards.kit.sql import COMPLETED, A, count_when, dec, sum_when

PERIODS = ("day", "week", "month", "quarter", "year")
MAX_DAYS = 366
DAILY_MAX_DAYS = 31
WEEKLY_MAX_DAYS = 120
# The API's bounds (api/fields.py): dates a clinic can mean, ids an INTEGER column can hold.
MIN_YEAR, MAX_YEAR = 1900, 2200
MAX_ID = 2**31 - 1
_TRUE = {"true", "1"}
_FALSE = {"false", "0"}


@dataclass(frozen=True)
class AnalyticsParams:
    period: str = "month"
    start_date: date | None = None
    end_date: date | None = None
    clinic_id: int | None = None
    comparison: bool = False


def _bad(detail: str) -> DashboardError:
    return DashboardError(DashErrorCode.DASH_004, detail)


def _date(query: Mapping[str, str], name: str) -> date | None:
    raw = (query.get(name) or "").strip()
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise _bad(f"{name} must be a date as YYYY-MM-DD, not {raw!r}") from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        # Year 1 or 9999 would overflow the range arithmetic (a 500), and names no clinic day.
        raise _bad(f"{name} must be between the years {MIN_YEAR} and {MAX_YEAR}")
    return day


def _check_range(first: date, last: date) -> None:
    if first > last:
        raise _bad(f"start_date {first.isoformat()} is after end_date {last.isoformat()}")
    if (last - first).days + 1 > MAX_DAYS:
        raise _bad(f"the range spans {(last - first).days + 1} days; at most {MAX_DAYS} are allowed")


def parse_params(query: Mapping[str, str]) -> AnalyticsParams:
    period = (query.get("period") or "month").strip().lower()
    if period not in PERIODS:
        raise _bad(f"period must be one of {', '.join(PERIODS)}, not {period!r}")
    start, end = _date(query, "start_date"), _date(query, "end_date")
    if start is not None and end is not None:
        _check_range(start, end)
    clinic_raw = (query.get("clinic_id") or "").strip()
    clinic_id: int | None = None
    if clinic_raw:
        try:
            clinic_id = int(clinic_raw)
        except ValueError:
            raise _bad(f"clinic_id must be an integer, not {clinic_raw!r}") from None
        if abs(clinic_id) > MAX_ID:  # beyond the INTEGER column: PostgreSQL would refuse the query
            raise _bad("clinic_id must be a positive integer")
    comparison_raw = (query.get("comparison") or "false").strip().lower()
    if comparison_raw not in _TRUE | _FALSE:
        raise _bad(f"comparison must be true, false, 1 or 0, not {comparison_raw!r}")
    return AnalyticsParams(period, start, end, clinic_id, comparison_raw in _TRUE)


def calendar_period(period: str, day: date) -> tuple[date, date]:
    """The calendar ``period`` (day, ISO week, month, quarter, year) containing ``day``."""
    if period == "day":
        return day, day
    if period == "week":
        return week_of(day)
    if period == "month":
        return month_of(day)
    if period == "quarter":
        first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        return first, month_of(first.replace(month=first.month + 2))[1]
    return date(day.year, 1, 1), date(day.year, 12, 31)


def resolve(params: AnalyticsParams, today: date) -> tuple[date, date]:
    start, end = params.start_date, params.end_date
    if start is not None and end is not None:
        return start, end
    if end is not None:
        return calendar_period(params.period, end)[0], end
    if start is not None:
        _check_range(start, today)
        return start, today
    return calendar_period(params.period, today)


def buckets(first: date, last: date) -> tuple[str, list[tuple[date, date]]]:
    days = (last - first).days + 1
    kind = "day" if days <= DAILY_MAX_DAYS else "week" if days <= WEEKLY_MAX_DAYS else "month"
    out: list[tuple[date, date]] = []
    day = first
    while day <= last:
        end = day if kind == "day" else week_of(day)[1] if kind == "week" else month_of(day)[1]
        out.append((day, min(end, last)))
        day = min(end, last) + timedelta(days=1)
    return kind, out


@dataclass(frozen=True)
class Point:
    total: int
    completed: int
    revenue: Decimal


def series(ctx: DoctorContext, spans: list[Span], where: tuple[ColumnElement[bool], ...] = ()) -> list[Point]:
    """Appointments, completed and revenue per consecutive span, grouped in one pass."""
    if not spans:
        return []
    bucket = sa.case(*((A.scheduled_start < hi, i) for i, (_, hi) in enumerate(spans)), else_=len(spans))
    done = A.status == COMPLETED
    rows = ctx.session.execute(
        sa.select(bucket.label("b"), sa.func.count(), count_when(done), sum_when(done, A.price))
        .where(*scope(ctx, (spans[0][0], spans[-1][1]), where))
        .group_by(bucket)
    ).all()
    found = {int(b): Point(int(t), int(c), dec(r)) for b, t, c, r in rows}
    return [found.get(i, Point(0, 0, Decimal("0.00"))) for i in range(len(spans))]


def _section(fig: Figures, people: Patients, rating: tuple[float | None, int]) -> dict[str, Any]:
    return {
        "appointments": {
            "total": fig.total,
            "completed": fig.completed,
            "cancelled": fig.cancelled,
            "no_show": fig.no_show,
            "completion_rate": fig.completion_rate,
            "cancellation_rate": fig.cancellation_rate,
            "no_show_rate": fig.no_show_rate,
        },
        "revenue": {
            "total": money(fig.revenue),
            "avg_per_appointment": money(fig.avg_revenue),
            "insurance_vs_private": fig.insurance_split,
        },
        "patients": {
            "unique": people.unique,
            "new": people.new,
            "returning": people.returning,
            "retention_rate": people.retention_rate,
        },
        "efficiency": {
            "avg_appointment_duration": one_place(fig.duration),
            "on_time_percentage": one_place(100.0 * fig.on_time / fig.started) if fig.started else 0.0,
            "patient_wait_time": one_place(fig.wait),
        },
        "satisfaction": {"average": one_place(rating[0]), "responses": rating[1]},
    }


def _changes(cur: dict[str, Any], prev: dict[str, Any]) -> dict[str, Any]:
    ca, pa = cur["appointments"], prev["appointments"]
    ce, pe = cur["efficiency"], prev["efficiency"]

    def diff(a: float, b: float, places: int) -> float:
        return round(a - b, places)

    return {
        "appointments": change(ca["total"], pa["total"]),
        "completed": change(ca["completed"], pa["completed"]),
        "revenue": change(float(cur["revenue"]["total"]), float(prev["revenue"]["total"])),
        "unique_patients": change(cur["patients"]["unique"], prev["patients"]["unique"]),
        "new_patients": change(cur["patients"]["new"], prev["patients"]["new"]),
        "completion_rate": diff(ca["completion_rate"], pa["completion_rate"], 4),
        "cancellation_rate": diff(ca["cancellation_rate"], pa["cancellation_rate"], 4),
        "no_show_rate": diff(ca["no_show_rate"], pa["no_show_rate"], 4),
        "retention_rate": diff(cur["patients"]["retention_rate"], prev["patients"]["retention_rate"], 4),
        "avg_appointment_duration": diff(ce["avg_appointment_duration"], pe["avg_appointment_duration"], 1),
        "on_time_percentage": diff(ce["on_time_percentage"], pe["on_time_percentage"], 1),
        "patient_wait_time": diff(ce["patient_wait_time"], pe["patient_wait_time"], 1),
        "satisfaction": diff(cur["satisfaction"]["average"], prev["satisfaction"]["average"], 1),
    }


def _period(name: str, first: date, last: date) -> dict[str, str]:
    return {"name": name, "start_date": first.isoformat(), "end_date": last.isoformat()}


def build(*, session: Session, doctor_id: int, params: AnalyticsParams, now: datetime) -> AnalyticsResponse:
    ctx = load(session, doctor_id, now)
    first, last = resolve(params, ctx.today)
    where: tuple[ColumnElement[bool], ...] = (
        () if params.clinic_id is None else (A.clinic_id == params.clinic_id,)
    )
    spans = {"current": ctx.span(first, last)}
    length = timedelta(days=(last - first).days + 1)
    p_first, p_last = first - length, first - timedelta(days=1)
    if params.comparison:
        spans["previous"] = ctx.span(p_first, p_last)
    figs = figures(ctx, spans, where)
    rated = ratings(ctx, spans, where)
    people = patients_in(ctx, spans, where)
    sections = {name: _section(figs[name], people[name], rated[name]) for name in spans}
    current = sections["current"]

    kind, parts = buckets(first, last)
    points = [
        {
            "start": lo.isoformat(),
            "end": hi.isoformat(),
            "appointments": point.total,
            "completed": point.completed,
            "revenue": money(point.revenue),
        }
        for (lo, hi), point in zip(
            parts, series(ctx, [ctx.span(lo, hi) for lo, hi in parts], where), strict=True
        )
    ]

    comparison: dict[str, Any] | None = None
    if params.comparison:
        previous = sections["previous"]
        comparison = {
            "period": _period(params.period, p_first, p_last),
            **previous,
            "changes": _changes(current, previous),
        }

    return AnalyticsResponse.model_validate(
        {
            "doctor_id": doctor_id,
            "period": _period(params.period, first, last),
            "clinic_id": params.clinic_id,
            **current,
            "series": {"bucket": kind, "points": points},
            "comparison": comparison,
        }
    )
