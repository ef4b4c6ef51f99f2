"""The doctor dashboard (``DoctorDashboard``, spec: GET /api/dashboard/doctor/) as the page's
state, by refresh tier.

``sections(dash, tiers)`` returns {state var: value} for the tiers asked for; the state
assigns them. Today's figures, the upcoming list, alerts and quick actions are critical (30 s);
the week standard (2 min); the month's trends historical (15 min); insights analytics (1 h).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypedDict

from mediconnect.dashboards.doctor.schema import (
    DoctorDashboard,
    DoctorPatientAlert,
    DoctorUpcomingAppointment,
)
from mediconnect.features.dashboards import charts, refresh
from mediconnect.features.dashboards import views as v


class Upcoming(TypedDict):
    id: int
    href: str
    time: str
    patient: str
    about: str  # "45 y · Hypertension"
    last_visit: str
    kind: str
    duration: str
    notes: str
    preparation: str


def _header(dash: DoctorDashboard) -> dict[str, Any]:
    info = dash.doctor_info
    clinics = info.clinic_affiliations
    primary = next((c for c in clinics if c.is_primary), clinics[0] if clinics else None)
    parts = [info.specialization or "", primary.clinic_name if primary else ""]
    if len(clinics) > 1:
        parts.append(f"+{len(clinics) - 1} more clinic{'s' if len(clinics) > 2 else ''}")
    return {
        "doctor_name": info.name or "Doctor",
        "doctor_about": " · ".join(p for p in parts if p),
    }


def _today(dash: DoctorDashboard) -> dict[str, Any]:
    today = dash.today_metrics
    appts, patients, revenue, eff = today.appointments, today.patients, today.revenue, today.efficiency
    target = revenue.target
    cards = [
        v.metric(
            "appointments",
            "Appointments today",
            "calendar",
            v.count(appts.total),
            subtitle=v.tally(
                (appts.completed, "completed"),
                (appts.upcoming, "upcoming"),
                (appts.cancelled, "cancelled"),
                (appts.no_show, "no-show"),
            ),
        ),
        v.metric(
            "patients",
            "Patients seen",
            "users",
            v.count(patients.total_seen),
            subtitle=v.tally((patients.new, "new"), (patients.returning, "returning")),
        ),
        v.metric(
            "revenue",
            "Revenue today",
            "banknote",
            v.cash(revenue.generated),
            target=f"Target {v.cash(target)}" if target else "",
            rate=revenue.achievement_rate if target else None,
        ),
        v.metric(
            "efficiency",
            "Average appointment",
            "timer",
            v.one(eff.avg_appointment_duration, " min"),
            subtitle=f"On time {v.one(eff.on_time_percentage, '%')} · wait"
            f" {v.one(eff.patient_wait_time, ' min')}",
        ),
    ]
    counts = [
        ("Completed", v.num(appts.completed) or 0.0, charts.GREEN),
        ("Upcoming", v.num(appts.upcoming) or 0.0, charts.TEAL),
        ("Cancelled", v.num(appts.cancelled) or 0.0, charts.SLATE),
        ("No-show", v.num(appts.no_show) or 0.0, charts.RED),
    ]
    return {
        **_header(dash),
        "today_label": today.date or "",
        "today_cards": cards,
        "status_fig": charts.statuses(counts),
        "upcoming": [_upcoming(a) for a in dash.upcoming_appointments],
        "alerts": v.by_urgency([_alert(a) for a in dash.patient_alerts]),
        "actions": v.quick_actions(dash.quick_actions),
    }


def _upcoming(a: DoctorUpcomingAppointment) -> Upcoming:
    patient = a.patient
    about = [f"{patient.age} y" if patient.age is not None else "", patient.condition or ""]
    return Upcoming(
        id=a.id,
        href=f"/appointments/{a.id}/" if a.id else "",
        time=v.when(a.scheduled_time),
        patient=patient.name or "",
        about=" · ".join(p for p in about if p),
        last_visit=patient.last_visit or "",
        kind=(a.type or "").replace("_", " ").capitalize(),
        duration=f"{v.count(a.duration_minutes)} min",
        notes=a.notes or "",
        preparation=", ".join(a.preparation_required),
    )


def _alert(a: DoctorPatientAlert) -> v.Alert:
    facts = " + ".join(a.medications) if a.medications else ""
    if not facts and a.last_visit:
        facts = f"Last visit {a.last_visit}"
    return v.alert(kind=a.type, severity=a.priority, message=a.message, who=a.patient_name or "", facts=facts)


def _week(dash: DoctorDashboard) -> dict[str, Any]:
    week = dash.weekly_summary
    appts, pm, rev = week.appointments, week.patient_metrics, week.revenue
    split = rev.insurance_vs_private
    cards = [
        v.metric(
            "week-appointments",
            "Appointments",
            "calendar-check",
            v.count(appts.total),
            subtitle=f"Cancelled {v.pct(appts.cancellation_rate)} · no-show {v.pct(appts.no_show_rate)}",
            target="Completion rate",
            rate=appts.completion_rate,
        ),
        v.metric(
            "week-patients",
            "Patients",
            "users",
            v.count(pm.total_patients),
            subtitle=f"{v.count(pm.new_patients)} new · retention {v.pct(pm.retention_rate)}",
        ),
        v.metric(
            "week-satisfaction",
            "Satisfaction",
            "star",
            f"{v.one(pm.satisfaction_avg)} / 5",
            target="Average rating",
            rate=pm.satisfaction_avg / 5,
        ),
        v.metric(
            "week-revenue",
            "Revenue",
            "banknote",
            v.cash(rev.weekly_total),
            subtitle=f"{v.cash(rev.avg_per_appointment)} per appointment · medical aid"
            f" {v.pct(split.insurance)}",
        ),
    ]
    return {
        "week_label": week.period or "",
        "week_cards": cards,
        "split_fig": charts.insurance_private(split),
    }


def _month(dash: DoctorDashboard) -> dict[str, Any]:
    month = dash.monthly_trends
    growth, perf = month.patient_growth, month.performance_indicators
    vs_last = v.signed_pct(growth.vs_last_month)
    cards = [
        v.metric(
            "new-patients",
            "New patients this month",
            "user-plus",
            v.count(growth.new_patients),
            change=f"{vs_last} vs last month" if vs_last else "",
            direction=v.trend(growth.trend),
        ),
        v.metric("punctuality", "Punctuality", "clock", v.pct(perf.punctuality), rate=perf.punctuality),
        v.metric(
            "documentation",
            "Reports signed in time",
            "file-check",
            v.pct(perf.documentation_completeness),
            rate=perf.documentation_completeness,
        ),
        v.metric(
            "follow-up",
            "Follow-up compliance",
            "repeat",
            v.pct(perf.follow_up_compliance),
            rate=perf.follow_up_compliance,
        ),
    ]
    return {
        "month_label": month.current_month or "",
        "month_cards": cards,
        "weekly_fig": charts.weekly_appointments_revenue(month.appointments),
    }


def _insights(dash: DoctorDashboard) -> dict[str, Any]:
    return {"insights": v.insights(dash.performance_insights)}


BUILDERS: dict[str, Callable[[DoctorDashboard], dict[str, Any]]] = {
    refresh.CRITICAL: _today,
    refresh.STANDARD: _week,
    refresh.HISTORICAL: _month,
    refresh.ANALYTICS: _insights,
}


def sections(dash: DoctorDashboard, tiers: list[str]) -> dict[str, Any]:
    return v.by_tier(BUILDERS, dash, tiers)
