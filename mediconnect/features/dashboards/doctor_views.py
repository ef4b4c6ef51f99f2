"""The doctor dashboard dict (spec: GET /api/dashboard/doctor/) as the page's state, by refresh tier.

``sections(data, tiers)`` returns {state var: value} for the tiers asked for; the state
assigns them. Today's figures, the upcoming list, alerts and quick actions are critical (30 s);
the week standard (2 min); the month's trends historical (15 min); insights analytics (1 h).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict

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


def _header(data: Mapping[str, Any]) -> dict[str, Any]:
    info = v.get(data, "doctor_info") or {}
    clinics = v.rows(info, "clinic_affiliations")
    primary = next((c for c in clinics if c.get("is_primary")), clinics[0] if clinics else {})
    parts = [str(info.get("specialization") or ""), str(primary.get("clinic_name") or "")]
    if len(clinics) > 1:
        parts.append(f"+{len(clinics) - 1} more clinic{'s' if len(clinics) > 2 else ''}")
    return {
        "doctor_name": str(info.get("name") or "Doctor"),
        "doctor_about": " · ".join(p for p in parts if p),
    }


def _today(data: Mapping[str, Any]) -> dict[str, Any]:
    today = v.get(data, "today_metrics") or {}
    appts, patients = today.get("appointments") or {}, today.get("patients") or {}
    revenue, eff = today.get("revenue") or {}, today.get("efficiency") or {}
    target = revenue.get("target")
    cards = [
        v.metric(
            "appointments",
            "Appointments today",
            "calendar",
            v.count(appts.get("total")),
            subtitle=v.tally(
                appts,
                ("completed", "completed"),
                ("upcoming", "upcoming"),
                ("cancelled", "cancelled"),
                ("no_show", "no-show"),
            ),
        ),
        v.metric(
            "patients",
            "Patients seen",
            "users",
            v.count(patients.get("total_seen")),
            subtitle=v.tally(patients, ("new", "new"), ("returning", "returning")),
        ),
        v.metric(
            "revenue",
            "Revenue today",
            "banknote",
            v.cash(revenue.get("generated")),
            target=f"Target {v.cash(target)}" if target not in (None, "") else "",
            rate=revenue.get("achievement_rate") if target not in (None, "") else None,
        ),
        v.metric(
            "efficiency",
            "Average appointment",
            "timer",
            v.one(eff.get("avg_appointment_duration"), " min"),
            subtitle=f"On time {v.one(eff.get('on_time_percentage'), '%')} · wait"
            f" {v.one(eff.get('patient_wait_time'), ' min')}",
        ),
    ]
    counts = [
        ("Completed", v.num(appts.get("completed")) or 0.0, charts.GREEN),
        ("Upcoming", v.num(appts.get("upcoming")) or 0.0, charts.TEAL),
        ("Cancelled", v.num(appts.get("cancelled")) or 0.0, charts.SLATE),
        ("No-show", v.num(appts.get("no_show")) or 0.0, charts.RED),
    ]
    return {
        **_header(data),
        "today_label": str(today.get("date") or ""),
        "today_cards": cards,
        "status_fig": charts.statuses(counts),
        "upcoming": [_upcoming(a) for a in v.rows(data, "upcoming_appointments")],
        "alerts": v.by_urgency([_alert(a) for a in v.rows(data, "patient_alerts")]),
        "actions": v.quick_actions(v.rows(data, "quick_actions")),
    }


def _upcoming(a: Mapping[str, Any]) -> Upcoming:
    patient = a.get("patient") or {}
    age = patient.get("age")
    about = [f"{age} y" if age is not None else "", str(patient.get("condition") or "")]
    prep = a.get("preparation_required") or []
    aid = int(v.num(a.get("id")) or 0)
    return Upcoming(
        id=aid,
        href=f"/appointments/{aid}/" if aid else "",
        time=v.when(a.get("scheduled_time")),
        patient=str(patient.get("name") or ""),
        about=" · ".join(p for p in about if p),
        last_visit=str(patient.get("last_visit") or ""),
        kind=str(a.get("type") or "").replace("_", " ").capitalize(),
        duration=f"{v.count(a.get('duration_minutes'))} min",
        notes=str(a.get("notes") or ""),
        preparation=", ".join(str(p) for p in prep) if isinstance(prep, list) else str(prep),
    )


def _alert(a: Mapping[str, Any]) -> v.Alert:
    meds = a.get("medications")
    facts = " + ".join(str(m) for m in meds) if isinstance(meds, list) and meds else ""
    if not facts and a.get("last_visit"):
        facts = f"Last visit {a.get('last_visit')}"
    return v.alert(a, who=str(a.get("patient_name") or ""), facts=facts)


def _week(data: Mapping[str, Any]) -> dict[str, Any]:
    week = v.get(data, "weekly_summary") or {}
    appts, pm, rev = (
        week.get("appointments") or {},
        week.get("patient_metrics") or {},
        week.get("revenue") or {},
    )
    split = rev.get("insurance_vs_private") or {}
    cards = [
        v.metric(
            "week-appointments",
            "Appointments",
            "calendar-check",
            v.count(appts.get("total")),
            subtitle=f"Cancelled {v.pct(appts.get('cancellation_rate'))}"
            f" · no-show {v.pct(appts.get('no_show_rate'))}",
            target="Completion rate",
            rate=appts.get("completion_rate"),
        ),
        v.metric(
            "week-patients",
            "Patients",
            "users",
            v.count(pm.get("total_patients")),
            subtitle=f"{v.count(pm.get('new_patients'))} new · retention {v.pct(pm.get('retention_rate'))}",
        ),
        v.metric(
            "week-satisfaction",
            "Satisfaction",
            "star",
            f"{v.one(pm.get('satisfaction_avg'))} / 5",
            target="Average rating",
            rate=(v.num(pm.get("satisfaction_avg")) or 0) / 5
            if pm.get("satisfaction_avg") is not None
            else None,
        ),
        v.metric(
            "week-revenue",
            "Revenue",
            "banknote",
            v.cash(rev.get("weekly_total")),
            subtitle=f"{v.cash(rev.get('avg_per_appointment'))} per appointment · medical aid"
            f" {v.pct(split.get('insurance'))}",
        ),
    ]
    return {
        "week_label": str(week.get("period") or ""),
        "week_cards": cards,
        "split_fig": charts.insurance_private(data),
    }


def _month(data: Mapping[str, Any]) -> dict[str, Any]:
    month = v.get(data, "monthly_trends") or {}
    growth, perf = month.get("patient_growth") or {}, month.get("performance_indicators") or {}
    vs_last = v.signed_pct(growth.get("vs_last_month"))
    cards = [
        v.metric(
            "new-patients",
            "New patients this month",
            "user-plus",
            v.count(growth.get("new_patients")),
            change=f"{vs_last} vs last month" if vs_last else "",
            direction=v.trend(growth.get("trend")),
        ),
        v.metric(
            "punctuality",
            "Punctuality",
            "clock",
            v.pct(perf.get("punctuality")),
            rate=perf.get("punctuality"),
        ),
        v.metric(
            "documentation",
            "Reports signed in time",
            "file-check",
            v.pct(perf.get("documentation_completeness")),
            rate=perf.get("documentation_completeness"),
        ),
        v.metric(
            "follow-up",
            "Follow-up compliance",
            "repeat",
            v.pct(perf.get("follow_up_compliance")),
            rate=perf.get("follow_up_compliance"),
        ),
    ]
    return {
        "month_label": str(month.get("current_month") or ""),
        "month_cards": cards,
        "weekly_fig": charts.weekly_appointments_revenue(data),
    }


def _insights(data: Mapping[str, Any]) -> dict[str, Any]:
    return {"insights": v.insights(v.rows(data, "performance_insights"))}


BUILDERS = {
    refresh.CRITICAL: _today,
    refresh.STANDARD: _week,
    refresh.HISTORICAL: _month,
    refresh.ANALYTICS: _insights,
}


def sections(data: Mapping[str, Any], tiers: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for tier in tiers:
        out.update(BUILDERS[tier](data))
    return out
