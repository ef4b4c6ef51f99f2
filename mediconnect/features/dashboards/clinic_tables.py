"""The clinic dashboard's table rows: doctors, departments and upcoming events, as shown."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict

from mediconnect.features.dashboards import views as v


class DoctorRow(TypedDict):
    doctor_id: int
    name: str
    specialization: str
    today: str
    week: str
    completion: str
    satisfaction: str
    retention: str
    revenue: str
    per_appointment: str
    punctuality: str
    documentation: str


class DepartmentRow(TypedDict):
    name: str
    today: str
    week: str
    month: str
    revenue: str
    share: str
    utilization: str
    utilization_bar: int
    wait: str
    wait_target: str
    wait_ok: bool


class EventRow(TypedDict):
    kind: str
    title: str
    when: str
    extent: str
    impact: str


def doctor(d: Mapping[str, Any]) -> DoctorRow:
    g = v.get
    return DoctorRow(
        doctor_id=int(v.num(d.get("doctor_id")) or 0),
        name=str(d.get("name") or ""),
        specialization=str(d.get("specialization") or ""),
        today=v.count(g(d, "appointments", "today")),
        week=v.count(g(d, "appointments", "week")),
        completion=v.pct(g(d, "appointments", "completion_rate")),
        satisfaction=v.one(g(d, "patient_metrics", "satisfaction")),
        retention=v.pct(g(d, "patient_metrics", "retention")),
        revenue=v.cash(g(d, "revenue", "week")),
        per_appointment=v.cash(g(d, "revenue", "avg_per_appointment")),
        punctuality=v.pct(g(d, "efficiency", "punctuality")),
        documentation=v.pct(g(d, "efficiency", "documentation")),
    )


def department(d: Mapping[str, Any]) -> DepartmentRow:
    g = v.get
    wait, target = v.num(g(d, "wait_times", "average")), v.num(g(d, "wait_times", "target"))
    return DepartmentRow(
        name=str(d.get("department") or ""),
        today=v.count(g(d, "appointments", "today")),
        week=v.count(g(d, "appointments", "week")),
        month=v.count(g(d, "appointments", "month")),
        revenue=v.cash(g(d, "revenue", "week")),
        share=v.pct(g(d, "revenue", "percentage_of_total")),
        utilization=v.pct(d.get("utilization")),
        utilization_bar=max(0, v.progress(d.get("utilization"))[0]),
        wait=v.one(wait, " min"),
        wait_target=v.one(target, " min"),
        wait_ok=wait is None or target is None or wait <= target,
    )


def event(e: Mapping[str, Any]) -> EventRow:
    attendees = e.get("attendees")
    extent = str(e.get("duration") or "") or (
        f"{v.count(attendees)} attendees" if attendees is not None else ""
    )
    return EventRow(
        kind=str(e.get("type") or "").replace("_", " ").capitalize(),
        title=str(e.get("title") or ""),
        when=v.when(e.get("date")),
        extent=extent,
        impact=str(e.get("impact") or ""),
    )
