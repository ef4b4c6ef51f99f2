"""The clinic dashboard's table rows: doctors, departments and upcoming events, as shown."""

from __future__ import annotations

from typing import TypedDict

from mediconnect.dashboards.clinic.schema import (
    ClinicDepartmentMetrics,
    ClinicDoctorPerformance,
    ClinicUpcomingEvent,
)
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


def doctor(d: ClinicDoctorPerformance) -> DoctorRow:
    return DoctorRow(
        doctor_id=d.doctor_id,
        name=d.name or "",
        specialization=d.specialization or "",
        today=v.count(d.appointments.today),
        week=v.count(d.appointments.week),
        completion=v.pct(d.appointments.completion_rate),
        satisfaction=v.one(d.patient_metrics.satisfaction),
        retention=v.pct(d.patient_metrics.retention),
        revenue=v.cash(d.revenue.week),
        per_appointment=v.cash(d.revenue.avg_per_appointment),
        punctuality=v.pct(d.efficiency.punctuality),
        documentation=v.pct(d.efficiency.documentation),
    )


def department(d: ClinicDepartmentMetrics) -> DepartmentRow:
    wait, target = d.wait_times.average, d.wait_times.target
    return DepartmentRow(
        name=d.department or "",
        today=v.count(d.appointments.today),
        week=v.count(d.appointments.week),
        month=v.count(d.appointments.month),
        revenue=v.cash(d.revenue.week),
        share=v.pct(d.revenue.percentage_of_total),
        utilization=v.pct(d.utilization),
        utilization_bar=max(0, v.progress(d.utilization)[0]),
        wait=v.one(wait, " min"),
        wait_target=v.one(target, " min"),
        wait_ok=wait <= target,
    )


def event(e: ClinicUpcomingEvent) -> EventRow:
    extent = e.duration or (f"{v.count(e.attendees)} attendees" if e.attendees is not None else "")
    return EventRow(
        kind=(e.type or "").replace("_", " ").capitalize(),
        title=e.title or "",
        when=v.when(e.date),
        extent=extent,
        impact=e.impact or "",
    )
