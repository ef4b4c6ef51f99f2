"""``alerts_and_notifications``: rules over today's capacity, the equipment and next week's roster.

Capacity: the clinic's rooms, and each active department's rooms, booked today at 90% or more
of their available minutes. Severity: >= 100% high, >= 95% medium, else low.

Equipment (non-retired), at most one status-or-due alert each plus one per imminent window:
* out of service: high; in maintenance: medium;
* maintenance due: (last maintenance, else installation) + interval on or before tomorrow;
  high when already past, medium when due today or tomorrow. No history at all counts as due;
* a maintenance window for it (or its room) starting within 24 h: low.

Staffing: each (day, role) of the next 7 days rostered below ``StaffingRequirement.min_count``.
Severity: high when nobody is rostered or, within 2 days, half or more are missing; medium
when half or more are missing or it is within 2 days; low otherwise.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from mediconnect.dashboards.clinic.capacity import Capacity, EquipmentRow
from mediconnect.dashboards.clinic.context import ClinicContext
from mediconnect.dashboards.clinic.rows import TodayRow
from mediconnect.dashboards.clinic.schema import ClinicAlert
from mediconnect.dashboards.clinic.staffing import Shortage
from mediconnect.dashboards.clinic.today import room_utilization
from mediconnect.models.clinics import EquipmentStatus

CAPACITY_THRESHOLD = 0.9
ROLE_LABELS = {
    "doctor": "Doctor",
    "radiologist": "Radiologist",
    "radiographer": "Radiographer",
    "sonographer": "Sonographer",
    "nurse": "Nurse",
    "reception": "Reception staff",
    "support": "Support staff",
}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _capacity_alert(subject: str, used: float) -> dict[str, Any] | None:
    if used < CAPACITY_THRESHOLD:
        return None
    severity = "high" if used >= 1.0 else "medium" if used >= 0.95 else "low"
    return {
        "type": "capacity",
        "severity": severity,
        "message": f"{subject} at {round(used * 100)}% capacity today",
        "recommendation": (
            "Move non-urgent bookings to another day or open additional rooms"
            if severity == "high"
            else "Consider scheduling overflow to other time slots"
        ),
    }


def capacity(cap: Capacity, rows: list[TodayRow], departments: list[Any]) -> list[dict[str, Any]]:
    alerts = [_capacity_alert("Clinic", room_utilization(cap, rows, {r.id for r in cap.rooms}))]
    for dept_id, name, _target in departments:
        rooms = {r.id for r in cap.rooms if r.department_id == dept_id}
        if rooms:
            alerts.append(_capacity_alert(f"{name} department", room_utilization(cap, rows, rooms)))
    return [a for a in alerts if a is not None]


def _due_on(item: EquipmentRow, tz: Any) -> date | None:
    if item.last_maintenance_at is not None:
        base: date | None = item.last_maintenance_at.astimezone(tz).date()
    else:
        base = item.installed_on
    return None if base is None else base + timedelta(days=item.interval_days)


def _equipment_status_alert(ctx: ClinicContext, item: EquipmentRow) -> dict[str, Any] | None:
    if item.status == EquipmentStatus.OUT_OF_SERVICE.value:
        return {
            "type": "equipment",
            "severity": "high",
            "message": f"{item.name} is out of service",
            "action_required": "Repair or replace before further bookings",
        }
    if item.status == EquipmentStatus.MAINTENANCE.value:
        return {
            "type": "equipment",
            "severity": "medium",
            "message": f"{item.name} is under maintenance",
            "action_required": "Confirm its return to service before booking it",
        }
    due = _due_on(item, ctx.tz)
    if due is not None and due > ctx.today + timedelta(days=1):
        return None
    if due is None:
        detail, severity = "no maintenance on record", "high"
    elif due < ctx.today:
        detail, severity = f"overdue by {(ctx.today - due).days} days", "high"
    else:
        detail, severity = f"due {due.isoformat()}", "medium"
    return {
        "type": "equipment",
        "severity": severity,
        "message": f"{item.name} requires maintenance ({detail})",
        "action_required": "Schedule maintenance within 24 hours",
    }


def equipment(ctx: ClinicContext, cap: Capacity) -> list[dict[str, Any]]:
    alerts = []
    soon = ctx.now + timedelta(hours=24)
    for item in cap.equipment:
        status_alert = _equipment_status_alert(ctx, item)
        if status_alert:
            alerts.append(status_alert)
        for w in cap.windows:
            mine = w.equipment_id == item.id or (
                w.equipment_id is None and item.room_id is not None and w.room_id == item.room_id
            )
            if mine and ctx.now <= w.starts_at < soon:
                local = w.starts_at.astimezone(ctx.tz)
                alerts.append(
                    {
                        "type": "equipment",
                        "severity": "low",
                        "message": f"{item.name} down for maintenance from {local:%Y-%m-%d %H:%M}",
                        "action_required": "Reschedule bookings that fall inside the maintenance window",
                    }
                )
    return alerts


def _when(ctx: ClinicContext, day: date) -> str:
    if day == ctx.today + timedelta(days=1):
        return "tomorrow"
    return f"on {WEEKDAYS[day.weekday()]} {day.isoformat()}"


def staffing(ctx: ClinicContext, shortages: list[Shortage]) -> list[dict[str, Any]]:
    alerts = []
    for s in shortages:
        missing_share = (s.required - s.rostered) / s.required
        soon = (s.day - ctx.today).days <= 2
        if s.rostered == 0 or (soon and missing_share >= 0.5):
            severity = "high"
        elif soon or missing_share >= 0.5:
            severity = "medium"
        else:
            severity = "low"
        label = ROLE_LABELS.get(s.role, s.role.title())
        alerts.append(
            {
                "type": "staffing",
                "severity": severity,
                "message": (
                    f"{label} shortage expected {_when(ctx, s.day)}: {s.rostered} of {s.required} rostered"
                ),
                "recommendation": (
                    "Arrange locum or temporary staff now"
                    if severity == "high"
                    else "Consider temporary staffing solutions"
                ),
            }
        )
    return alerts


def build(
    ctx: ClinicContext,
    cap: Capacity,
    rows: list[TodayRow],
    departments: list[Any],
    shortages: list[Shortage],
) -> list[ClinicAlert]:
    found = capacity(cap, rows, departments) + equipment(ctx, cap) + staffing(ctx, shortages)
    # Each kind carries either a recommendation or an action: only the keys given are set.
    return [ClinicAlert.model_validate(a) for a in found]
