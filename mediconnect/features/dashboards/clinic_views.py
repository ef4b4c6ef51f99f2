"""The clinic dashboard dict (spec: GET /api/clinics/{id}/dashboard/) as the page's state, by tier.

Critical (30 s): today's operations, rooms and equipment, staff on duty, alerts. Standard
(2 min): the week, the money, doctors, departments, upcoming events. Historical (15 min): the
clinic's facts and revenue by period. Analytics (1 h): trends and insights.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mediconnect.features.appointments.common import MODALITY_LABELS
from mediconnect.features.dashboards import charts, refresh
from mediconnect.features.dashboards import clinic_tables as t
from mediconnect.features.dashboards import views as v


def _equipment_label(slug: str) -> str:
    """ "ct" -> "CT", "xray" -> "X-ray": the catalogue's modality names, without their glosses."""
    name = MODALITY_LABELS.get(slug, slug.replace("_", " ").capitalize())
    return name.split(" (", 1)[0]


def _header(data: Mapping[str, Any]) -> dict[str, Any]:
    info = v.get(data, "clinic_info") or {}
    facts = [
        f"{v.count(info.get('total_doctors'))} doctors",
        f"{v.count(info.get('total_staff'))} staff",
        f"{v.count(info.get('departments'))} departments",
    ]
    about = [str(info.get("location") or ""), str(info.get("accreditation") or ""), " · ".join(facts)]
    return {
        "clinic_name": str(info.get("name") or "Clinic"),
        "clinic_about": " · ".join(p for p in about if p),
    }


def _today(data: Mapping[str, Any]) -> dict[str, Any]:
    today = v.get(data, "operational_metrics", "today") or {}
    appts, flow = today.get("appointments") or {}, today.get("patient_flow") or {}
    res, staff = today.get("resource_utilization") or {}, today.get("staff_metrics") or {}
    rooms = res.get("examination_rooms") or {}
    cards = [
        v.metric(
            "appointments",
            "Appointments today",
            "calendar",
            v.count(appts.get("total_scheduled")),
            subtitle=v.tally(
                appts,
                ("completed", "completed"),
                ("in_progress", "in progress"),
                ("cancelled", "cancelled"),
                ("no_show", "no-show"),
            ),
            target="Completion rate",
            rate=appts.get("completion_rate"),
        ),
        v.metric(
            "patients",
            "Patients today",
            "users",
            v.count(flow.get("total_patients")),
            subtitle=v.tally(flow, ("new_patients", "new"), ("returning_patients", "returning")),
        ),
        v.metric(
            "wait",
            "Average wait",
            "hourglass",
            v.one(flow.get("average_wait_time"), " min"),
            subtitle=f"Satisfaction {v.one(flow.get('patient_satisfaction'))} / 5",
        ),
        v.metric(
            "rooms",
            "Examination rooms in use",
            "door-open",
            f"{v.count(rooms.get('occupied'))} of {v.count(rooms.get('total'))}",
            target="Utilisation",
            rate=rooms.get("utilization_rate"),
        ),
        v.metric(
            "staff",
            "Staff on duty",
            "stethoscope",
            f"{v.count(staff.get('doctors_on_duty'))} doctors",
            subtitle=v.tally(staff, ("nurses_on_duty", "nurses"), ("support_staff", "support"))
            + f" · efficiency {v.one(staff.get('efficiency_score'))} / 10",
        ),
    ]
    done = [v.num(appts.get(k)) or 0.0 for k in ("completed", "in_progress", "cancelled", "no_show")]
    remaining = max(0.0, (v.num(appts.get("total_scheduled")) or 0.0) - sum(done))
    counts = list(
        zip(
            ["Completed", "In progress", "Cancelled", "No-show", "Still to come"],
            [*done, remaining],
            [charts.GREEN, charts.VIOLET, charts.SLATE, charts.RED, charts.TEAL],
            strict=True,
        )
    )
    equipment = res.get("equipment") or {}
    names = ["Rooms", *(_equipment_label(str(k)) for k in equipment)]
    rates = [v.num(rooms.get("utilization_rate")) or 0.0, *(v.num(x) or 0.0 for x in equipment.values())]
    hourly = v.rows(flow, "by_hour")
    return {
        **_header(data),
        "today_label": str(today.get("date") or ""),
        "today_cards": cards,
        "status_fig": charts.statuses(counts),
        "usage_fig": charts.bars(names, [("Utilisation", rates, charts.TEAL)], percent=True),
        "has_hourly": bool(hourly),
        "hourly_fig": charts.hourly(hourly) if hourly else charts.empty(),
        "alerts": v.by_urgency([v.alert(a) for a in v.rows(data, "alerts_and_notifications")]),
    }


def _week(data: Mapping[str, Any]) -> dict[str, Any]:
    week = v.get(data, "operational_metrics", "weekly_performance") or {}
    appts, rev, pm = (
        week.get("appointments") or {},
        week.get("revenue") or {},
        week.get("patient_metrics") or {},
    )
    billing = v.get(data, "financial_summary", "billing") or {}
    money = v.get(data, "financial_summary", "revenue") or {}
    peak = " ".join(str(x) for x in (appts.get("peak_day"), appts.get("peak_time")) if x)
    direction = v.trend(rev.get("trend"))
    cards = [
        v.metric(
            "week-appointments",
            "Appointments",
            "calendar-check",
            v.count(appts.get("total")),
            subtitle=f"{v.one(appts.get('average_per_day'))} a day" + (f" · busiest {peak}" if peak else ""),
            target="Completion rate",
            rate=appts.get("completion_rate"),
        ),
        v.metric(
            "week-revenue",
            "Revenue",
            "banknote",
            v.cash(rev.get("total")),
            subtitle=f"{v.cash(rev.get('daily_average'))} a day",
            change="vs last week" if direction else "",
            direction=direction,
            target="Weekly target" if rev.get("vs_target") is not None else "",
            rate=rev.get("vs_target"),
        ),
        v.metric(
            "week-patients",
            "Patients",
            "users",
            v.count(pm.get("unique_patients")),
            subtitle=f"{v.count(pm.get('new_patients'))} new · retention {v.pct(pm.get('retention_rate'))}"
            f" · satisfaction {v.one(pm.get('satisfaction_score'))} / 5",
        ),
        v.metric(
            "outstanding",
            "Outstanding",
            "receipt",
            v.cash(billing.get("total_outstanding")),
            subtitle=f"{v.count(billing.get('outstanding_invoices'))} invoices · paid in"
            f" {v.one(billing.get('average_collection_time'), ' days')} on average",
            target="Collection rate",
            rate=billing.get("collection_rate"),
        ),
        v.metric(
            "revenue-month",
            "Revenue this month",
            "wallet",
            v.cash(money.get("month")),
            subtitle=f"Today {v.cash(money.get('today'))} · year to date {v.cash(money.get('year_to_date'))}",
        ),
    ]
    departments = v.rows(data, "department_metrics")
    return {
        "week_label": str(week.get("period") or ""),
        "week_cards": cards,
        "payment_fig": charts.payment_methods(data),
        "doctors": [t.doctor(d) for d in v.rows(data, "doctor_performance")],
        "departments": [t.department(d) for d in departments],
        "department_fig": charts.bars(
            [str(d.get("department") or "") for d in departments],
            [
                (
                    "Today",
                    [v.num(v.get(d, "appointments", "today")) or 0.0 for d in departments],
                    charts.TEAL,
                ),
                (
                    "This week",
                    [v.num(v.get(d, "appointments", "week")) or 0.0 for d in departments],
                    charts.AMBER,
                ),
            ],
        ),
        "events": [t.event(e) for e in v.rows(data, "upcoming_events")],
    }


def _history(data: Mapping[str, Any]) -> dict[str, Any]:
    money = v.get(data, "financial_summary", "revenue") or {}
    periods = [
        ("Today", "today"),
        ("This week", "week"),
        ("This month", "month"),
        ("Year to date", "year_to_date"),
    ]
    return {
        "revenue_fig": charts.bars(
            [label for label, _ in periods],
            [("Revenue", [v.num(money.get(k)) or 0.0 for _, k in periods], charts.TEAL)],
        ),
    }


def _insights(data: Mapping[str, Any]) -> dict[str, Any]:
    return {"insights": v.insights(v.rows(data, "trends_and_insights"))}


BUILDERS = {
    refresh.CRITICAL: _today,
    refresh.STANDARD: _week,
    refresh.HISTORICAL: _history,
    refresh.ANALYTICS: _insights,
}


def sections(data: Mapping[str, Any], tiers: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for tier in tiers:
        out.update(BUILDERS[tier](data))
    return out
