"""The clinic dashboard (``ClinicDashboard``, spec: GET /api/clinics/{id}/dashboard/) as the
page's state, by tier.

Critical (30 s): today's operations, rooms and equipment, staff on duty, alerts. Standard
(2 min): the week, the money, doctors, departments, upcoming events. Historical (15 min): the
clinic's facts and revenue by period. Analytics (1 h): trends and insights.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mediconnect.dashboards.clinic.schema import ClinicDashboard
from mediconnect.features.dashboards import charts, refresh
from mediconnect.features.dashboards import views as v
from mediconnect.features.dashboards.clinic import tables as t
from mediconnect.features.kit.format import MODALITY_LABELS


def _equipment_label(slug: str) -> str:
    """ "ct" -> "CT", "xray" -> "X-ray": the catalogue's modality names, without their glosses."""
    name = MODALITY_LABELS.get(slug, slug.replace("_", " ").capitalize())
    return name.split(" (", 1)[0]


def _header(dash: ClinicDashboard) -> dict[str, Any]:
    info = dash.clinic_info
    facts = [
        f"{v.count(info.total_doctors)} doctors",
        f"{v.count(info.total_staff)} staff",
        f"{v.count(info.departments)} departments",
    ]
    about = [info.location or "", info.accreditation or "", " · ".join(facts)]
    return {
        "clinic_name": info.name or "Clinic",
        "clinic_about": " · ".join(p for p in about if p),
    }


def _today(dash: ClinicDashboard) -> dict[str, Any]:
    today = dash.operational_metrics.today
    appts, flow = today.appointments, today.patient_flow
    res, staff = today.resource_utilization, today.staff_metrics
    rooms = res.examination_rooms
    cards = [
        v.metric(
            "appointments",
            "Appointments today",
            "calendar",
            v.count(appts.total_scheduled),
            subtitle=v.tally(
                (appts.completed, "completed"),
                (appts.in_progress, "in progress"),
                (appts.cancelled, "cancelled"),
                (appts.no_show, "no-show"),
            ),
            target="Completion rate",
            rate=appts.completion_rate,
        ),
        v.metric(
            "patients",
            "Patients today",
            "users",
            v.count(flow.total_patients),
            subtitle=v.tally((flow.new_patients, "new"), (flow.returning_patients, "returning")),
        ),
        v.metric(
            "wait",
            "Average wait",
            "hourglass",
            v.one(flow.average_wait_time, " min"),
            subtitle=f"Satisfaction {v.one(flow.patient_satisfaction)} / 5",
        ),
        v.metric(
            "rooms",
            "Examination rooms in use",
            "door-open",
            f"{v.count(rooms.occupied)} of {v.count(rooms.total)}",
            target="Utilisation",
            rate=rooms.utilization_rate,
        ),
        v.metric(
            "staff",
            "Staff on duty",
            "stethoscope",
            f"{v.count(staff.doctors_on_duty)} doctors",
            subtitle=v.tally((staff.nurses_on_duty, "nurses"), (staff.support_staff, "support"))
            + f" · efficiency {v.one(staff.efficiency_score)} / 10",
        ),
    ]
    done = [float(n) for n in (appts.completed, appts.in_progress, appts.cancelled, appts.no_show)]
    remaining = max(0.0, float(appts.total_scheduled) - sum(done))
    counts = list(
        zip(
            ["Completed", "In progress", "Cancelled", "No-show", "Still to come"],
            [*done, remaining],
            [charts.GREEN, charts.VIOLET, charts.SLATE, charts.RED, charts.TEAL],
            strict=True,
        )
    )
    equipment = res.equipment
    names = ["Rooms", *(_equipment_label(k) for k in equipment)]
    rates = [float(rooms.utilization_rate), *(float(x) for x in equipment.values())]
    hourly = flow.by_hour
    return {
        **_header(dash),
        "today_label": today.date or "",
        "today_cards": cards,
        "status_fig": charts.statuses(counts),
        "usage_fig": charts.bars(names, [("Utilisation", rates, charts.TEAL)], percent=True),
        "has_hourly": bool(hourly),
        "hourly_fig": charts.hourly(hourly) if hourly else charts.empty(),
        "alerts": _alerts(dash),
    }


def _alerts(dash: ClinicDashboard) -> list[v.Alert]:
    return v.by_urgency(
        [
            v.alert(
                kind=a.type,
                severity=a.severity,
                message=a.message,
                action_required=a.action_required,
                recommendation=a.recommendation,
            )
            for a in dash.alerts_and_notifications
        ]
    )


def _week(dash: ClinicDashboard) -> dict[str, Any]:
    week = dash.operational_metrics.weekly_performance
    appts, rev, pm = week.appointments, week.revenue, week.patient_metrics
    billing, money = dash.financial_summary.billing, dash.financial_summary.revenue
    peak = " ".join(x for x in (appts.peak_day, appts.peak_time) if x)
    direction = v.trend(rev.trend)
    cards = [
        v.metric(
            "week-appointments",
            "Appointments",
            "calendar-check",
            v.count(appts.total),
            subtitle=f"{v.one(appts.average_per_day)} a day" + (f" · busiest {peak}" if peak else ""),
            target="Completion rate",
            rate=appts.completion_rate,
        ),
        v.metric(
            "week-revenue",
            "Revenue",
            "banknote",
            v.cash(rev.total),
            subtitle=f"{v.cash(rev.daily_average)} a day",
            change="vs last week" if direction else "",
            direction=direction,
            target="Weekly target" if rev.vs_target is not None else "",
            rate=rev.vs_target,
        ),
        v.metric(
            "week-patients",
            "Patients",
            "users",
            v.count(pm.unique_patients),
            subtitle=f"{v.count(pm.new_patients)} new · retention {v.pct(pm.retention_rate)}"
            f" · satisfaction {v.one(pm.satisfaction_score)} / 5",
        ),
        v.metric(
            "outstanding",
            "Outstanding",
            "receipt",
            v.cash(billing.total_outstanding),
            subtitle=f"{v.count(billing.outstanding_invoices)} invoices · paid in"
            f" {v.one(billing.average_collection_time, ' days')} on average",
            target="Collection rate",
            rate=billing.collection_rate,
        ),
        v.metric(
            "revenue-month",
            "Revenue this month",
            "wallet",
            v.cash(money.month),
            subtitle=f"Today {v.cash(money.today)} · year to date {v.cash(money.year_to_date)}",
        ),
    ]
    departments = dash.department_metrics
    return {
        "week_label": week.period or "",
        "week_cards": cards,
        "payment_fig": charts.payment_methods(dash.financial_summary.payment_methods),
        "doctors": [t.doctor(d) for d in dash.doctor_performance],
        "departments": [t.department(d) for d in departments],
        "department_fig": charts.bars(
            [d.department or "" for d in departments],
            [
                ("Today", [float(d.appointments.today) for d in departments], charts.TEAL),
                ("This week", [float(d.appointments.week) for d in departments], charts.AMBER),
            ],
        ),
        "events": [t.event(e) for e in dash.upcoming_events],
    }


def _history(dash: ClinicDashboard) -> dict[str, Any]:
    money = dash.financial_summary.revenue
    periods = [
        ("Today", money.today),
        ("This week", money.week),
        ("This month", money.month),
        ("Year to date", money.year_to_date),
    ]
    return {
        "revenue_fig": charts.bars(
            [label for label, _ in periods],
            [("Revenue", [v.num(amount) or 0.0 for _, amount in periods], charts.TEAL)],
        ),
    }


def _insights(dash: ClinicDashboard) -> dict[str, Any]:
    return {"insights": v.insights(dash.trends_and_insights)}


BUILDERS: dict[str, Callable[[ClinicDashboard], dict[str, Any]]] = {
    refresh.CRITICAL: _today,
    refresh.STANDARD: _week,
    refresh.HISTORICAL: _history,
    refresh.ANALYTICS: _insights,
}


def sections(dash: ClinicDashboard, tiers: list[str]) -> dict[str, Any]:
    return v.by_tier(BUILDERS, dash, tiers)
