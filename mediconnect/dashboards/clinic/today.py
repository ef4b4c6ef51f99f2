"""``operational_metrics.today``: the day so far, from today's rows, the capacity and the roster.

Definitions:

* ``total_scheduled``: every appointment scheduled today, any status (the rollup's count).
  ``in_progress``: checked in or in progress (in the building, not yet done).
  ``completion_rate``: completed / (completed + cancelled + no-show): of the appointments whose
  outcome is settled, the share that happened.
* ``total_patients``: distinct patients with a non-cancelled appointment today; ``new``: those
  whose first-ever non-cancelled appointment at this clinic is today; ``returning`` the rest.
* ``average_wait_time``: mean minutes from check-in to start, over today's started visits.
* ``patient_satisfaction``: mean rating of today's visits; with no feedback yet today, of last
  week's visits.
* Rooms: ``total`` active rooms; ``occupied`` rooms with an appointment in progress, or checked
  in with its slot covering ``now``; ``utilization_rate`` booked (non-cancelled) room-minutes
  today / available room-minutes today (see ``clinic.capacity``).
* Equipment: per modality slug, booked minutes today / available minutes today of that
  modality's equipment.
* ``efficiency_score`` (0-10) = 10 x weighted mean of the components that have data today:
  punctuality (share of started visits begun within 5 min of schedule, weight 0.4),
  completion_rate (weight 0.4) and wait score = min(1, target / average wait) (weight 0.2,
  target = mean ``wait_time_target_minutes`` of active departments, 1.0 if nobody waited).
  0.0 before anything has happened.
"""

from __future__ import annotations

from mediconnect.dashboards.clinic.capacity import Capacity
from mediconnect.dashboards.clinic.context import ClinicContext
from mediconnect.dashboards.clinic.rows import TodayRow
from mediconnect.dashboards.clinic.schema import ClinicHourFlow, ClinicToday
from mediconnect.dashboards.clinic.staffing import Staffing
from mediconnect.dashboards.kit.conventions import one_place, rate
from mediconnect.dashboards.kit.sql import CANCELLED, CHECKED_IN, COMPLETED, IN_PROGRESS, NO_SHOW

GRACE_MINUTES = 5.0


def completion_rate(rows: list[TodayRow]) -> float:
    done = sum(r.status == COMPLETED for r in rows)
    settled = sum(r.status in (COMPLETED, CANCELLED, NO_SHOW) for r in rows)
    return rate(done, settled)


def mean_wait(rows: list[TodayRow]) -> float | None:
    waits = [w for r in rows if (w := r.wait_minutes) is not None]
    return sum(waits) / len(waits) if waits else None


def punctuality(rows: list[TodayRow]) -> tuple[int, int]:
    started = [r for r in rows if r.started_at is not None]
    on_time = sum(
        (r.started_at - r.scheduled_start).total_seconds() <= GRACE_MINUTES * 60
        for r in started
        if r.started_at is not None
    )
    return on_time, len(started)


def room_utilization(cap: Capacity, rows: list[TodayRow], room_ids: set[int]) -> float:
    booked = sum(r.minutes for r in rows if r.status != CANCELLED and r.room_id in room_ids)
    available = sum(cap.room_minutes(rid, cap.ctx.today, cap.ctx.today) for rid in room_ids)
    return rate(booked, available)


def efficiency_score(rows: list[TodayRow], wait_target: float) -> float:
    parts: list[tuple[float, float]] = []
    on_time, started = punctuality(rows)
    if started:
        parts.append((0.4, on_time / started))
    if any(r.status in (COMPLETED, CANCELLED, NO_SHOW) for r in rows):
        parts.append((0.4, completion_rate(rows)))
    wait = mean_wait(rows)
    if wait is not None:
        parts.append((0.2, 1.0 if wait <= 0 else min(1.0, wait_target / wait)))
    if not parts:
        return 0.0
    return one_place(10 * sum(w * v for w, v in parts) / sum(w for w, _ in parts))


def flow_by_hour(ctx: ClinicContext, rows: list[TodayRow]) -> list[ClinicHourFlow]:
    """Beyond the spec: today's patient flow per clinic-local hour, for the wall screen's chart.

    ``booked``: live (non-cancelled) appointments starting in that hour; ``arrived``: patients
    checked in during that hour. Hours run from the first to the last with either.
    """
    booked: dict[int, int] = {}
    arrived: dict[int, int] = {}
    for r in rows:
        if r.status != CANCELLED:
            hour = r.scheduled_start.astimezone(ctx.tz).hour
            booked[hour] = booked.get(hour, 0) + 1
        if r.checked_in_at is not None:
            hour = r.checked_in_at.astimezone(ctx.tz).hour
            arrived[hour] = arrived.get(hour, 0) + 1
    hours = set(booked) | set(arrived)
    if not hours:
        return []
    return [
        ClinicHourFlow(hour=f"{h:02d}:00", booked=booked.get(h, 0), arrived=arrived.get(h, 0))
        for h in range(min(hours), max(hours) + 1)
    ]


def build(
    ctx: ClinicContext,
    rows: list[TodayRow],
    cap: Capacity,
    staffing: Staffing,
    satisfaction: float | None,
    wait_target: float,
) -> ClinicToday:
    count = {s: sum(r.status == s for r in rows) for s in (COMPLETED, CANCELLED, NO_SHOW)}
    present = {r.patient_id for r in rows if r.status != CANCELLED}
    new = {r.patient_id for r in rows if r.status != CANCELLED and not r.has_prior}
    room_ids = {room.id for room in cap.rooms}
    occupied = {
        r.room_id
        for r in rows
        if r.room_id in room_ids
        and (
            r.status == IN_PROGRESS
            or (r.status == CHECKED_IN and r.scheduled_start <= ctx.now < r.scheduled_end)
        )
    }
    return ClinicToday.model_validate(
        {
            "date": ctx.today.isoformat(),
            "appointments": {
                "total_scheduled": len(rows),
                "completed": count[COMPLETED],
                "in_progress": sum(r.status in (CHECKED_IN, IN_PROGRESS) for r in rows),
                "cancelled": count[CANCELLED],
                "no_show": count[NO_SHOW],
                "completion_rate": completion_rate(rows),
            },
            "patient_flow": {
                "total_patients": len(present),
                "new_patients": len(new),
                "returning_patients": len(present - new),
                "average_wait_time": one_place(mean_wait(rows)),
                "patient_satisfaction": one_place(satisfaction),
                "by_hour": flow_by_hour(ctx, rows),
            },
            "resource_utilization": {
                "examination_rooms": {
                    "total": len(room_ids),
                    "occupied": len(occupied),
                    "utilization_rate": room_utilization(cap, rows, room_ids),
                },
                "equipment": equipment_utilization(cap, rows),
            },
            "staff_metrics": {
                "doctors_on_duty": staffing.doctors_on_duty,
                "nurses_on_duty": staffing.nurses_on_duty,
                "support_staff": staffing.support_staff,
                "efficiency_score": efficiency_score(rows, wait_target),
            },
        }
    )


def equipment_utilization(cap: Capacity, rows: list[TodayRow]) -> dict[str, float]:
    today = cap.ctx.today
    booked: dict[str, float] = {}
    available: dict[str, float] = {}
    modality_of = {e.id: e.modality for e in cap.equipment}
    for item in cap.equipment:
        available[item.modality] = available.get(item.modality, 0.0) + cap.equipment_minutes(
            item, today, today
        )
        booked.setdefault(item.modality, 0.0)
    for r in rows:
        if r.status != CANCELLED and r.equipment_id in modality_of:
            booked[modality_of[r.equipment_id]] += r.minutes
    return {m: rate(booked[m], available[m]) for m in sorted(available)}
