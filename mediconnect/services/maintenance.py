"""Maintenance windows: when a piece of equipment, a room, or (neither) the whole clinic is
down. Times are entered in the clinic's local time and stored in UTC.

A window over live appointments (booked, confirmed, checked in, in progress) on what it takes
down is refused, naming how many and which; the manager may resubmit with ``force`` once they
have seen the list (rebooking those patients is the front desk's work). Each change is
audited and announces ``schedule_changed`` for every clinic-local day it touches.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, TypedDict

import sqlalchemy as sa
from sqlmodel import Session, col, select

from mediconnect.core.policy import Principal
from mediconnect.models.appointments import OPEN_STATUSES, Appointment
from mediconnect.models.clinics import Clinic, Equipment, MaintenanceStatus, MaintenanceWindow, Room
from mediconnect.services.catalog_access import (
    CatalogFormError,
    change,
    days_touched,
    flag,
    local,
    managed_clinic,
    optional_id,
    parse_day,
    parse_time,
    schedule_changed,
    text,
    to_utc,
)

RESOURCE = "maintenance"
MAX_LENGTH = timedelta(days=31)


class MaintenanceRow(TypedDict):
    id: int
    title: str
    target: str  # "Equipment: CT 1", "Room: X-ray 2", "Whole clinic"
    starts: str  # clinic-local "YYYY-MM-DD HH:MM"
    ends: str
    status: str


def _target(session: Session, w: MaintenanceWindow) -> str:
    if w.equipment_id:
        e = session.get(Equipment, w.equipment_id)
        return f"Equipment: {e.name}" if e else "Equipment"
    if w.room_id:
        r = session.get(Room, w.room_id)
        return f"Room: {r.name}" if r else "Room"
    return "Whole clinic"


def _row(session: Session, clinic: Clinic, w: MaintenanceWindow) -> MaintenanceRow:
    return MaintenanceRow(
        id=w.id or 0,
        title=w.title,
        target=_target(session, w),
        starts=local(clinic, w.starts_at).strftime("%Y-%m-%d %H:%M"),
        ends=local(clinic, w.ends_at).strftime("%Y-%m-%d %H:%M"),
        status=str(w.status),
    )


def list_maintenance(
    *, session: Session, principal: Principal, clinic_id: int, now: datetime | None = None
) -> list[MaintenanceRow]:
    """Windows not yet over (and the last week's), soonest first."""
    clinic = managed_clinic(session, principal=principal, clinic_id=clinic_id, resource_type=RESOURCE)
    since = (now or datetime.now(UTC)) - timedelta(days=7)
    found = session.exec(
        select(MaintenanceWindow)
        .where(MaintenanceWindow.clinic_id == clinic_id, col(MaintenanceWindow.ends_at) >= since)
        .order_by(col(MaintenanceWindow.starts_at))
        .limit(200)
    ).all()
    return [_row(session, clinic, w) for w in found]


def affected_appointments(
    session: Session,
    *,
    clinic_id: int,
    starts: datetime,
    ends: datetime,
    equipment_id: int | None,
    room_id: int | None,
) -> list[int]:
    """Live appointments the window would take the resource away from (ids only)."""
    query = select(Appointment.id).where(
        Appointment.clinic_id == clinic_id,
        col(Appointment.status).in_(OPEN_STATUSES),
        col(Appointment.scheduled_start) < ends,
        col(Appointment.scheduled_end) > starts,
    )
    if equipment_id is not None:
        query = query.where(Appointment.equipment_id == equipment_id)
    elif room_id is not None:
        # The room, and any machine standing in it.
        in_room = select(Equipment.id).where(Equipment.room_id == room_id)
        query = query.where(
            sa.or_(col(Appointment.room_id) == room_id, col(Appointment.equipment_id).in_(in_room))
        )
    return [i for i in session.exec(query.order_by(col(Appointment.scheduled_start))).all() if i is not None]


def _when(clinic: Clinic, form: Mapping[str, Any], prefix: str, errors: dict[str, str]) -> datetime | None:
    day, at = parse_day(text(form, f"{prefix}_day")), parse_time(text(form, f"{prefix}_time"))
    if day is None or at is None:
        errors[f"{prefix}_time"] = "Enter a date and a time (clinic time)."
        return None
    return to_utc(clinic, day, at)


def add_maintenance(
    *,
    session: Session,
    principal: Principal,
    clinic_id: int,
    form: Mapping[str, Any],
    now: datetime | None = None,
) -> MaintenanceRow:
    """``form``: title, target ("clinic", "equipment:<id>", "room:<id>"), starts_day,
    starts_time, ends_day, ends_time (clinic-local), impact, force."""
    clinic = managed_clinic(session, principal=principal, clinic_id=clinic_id, resource_type=RESOURCE)
    errors: dict[str, str] = {}
    title = text(form, "title")
    if not title or len(title) > 120:
        errors["title"] = "Enter a title of up to 120 characters."
    impact = text(form, "impact")
    if len(impact) > 200:
        errors["impact"] = "Keep the impact note under 200 characters."
    kind, _, raw_id = text(form, "target").partition(":")
    equipment_id = room_id = None
    if kind == "equipment":
        equipment_id = optional_id(raw_id)
        item = session.get(Equipment, equipment_id) if equipment_id else None
        if item is None or item.clinic_id != clinic_id:
            errors["target"] = "Choose this clinic's equipment, a room, or the whole clinic."
    elif kind == "room":
        room_id = optional_id(raw_id)
        room = session.get(Room, room_id) if room_id else None
        if room is None or room.clinic_id != clinic_id:
            errors["target"] = "Choose this clinic's equipment, a room, or the whole clinic."
    elif kind != "clinic":
        errors["target"] = "Choose what is down: equipment, a room, or the whole clinic."
    starts = _when(clinic, form, "starts", errors)
    ends = _when(clinic, form, "ends", errors)
    if starts is not None and ends is not None:
        if ends <= starts:
            errors["ends_time"] = "The window must end after it starts."
        elif ends - starts > MAX_LENGTH:
            errors["ends_time"] = "Keep a window under 31 days; add another for longer."
        elif ends <= (now or datetime.now(UTC)):
            errors["ends_time"] = "This window is already over."
    if errors:
        raise CatalogFormError(errors)
    assert starts is not None and ends is not None
    affected = affected_appointments(
        session, clinic_id=clinic_id, starts=starts, ends=ends, equipment_id=equipment_id, room_id=room_id
    )
    if affected and not flag(form, "force"):
        n = len(affected)
        raise CatalogFormError(
            {
                "force": f"{n} live appointment{'s' if n != 1 else ''} fall{'s' if n == 1 else ''} in this "
                "window (ids " + ", ".join(str(a) for a in affected[:20]) + ("…" if n > 20 else "") + "). "
                "Tick 'Schedule anyway' to confirm; the front desk must then rebook them."
            },
            affected=affected,
        )
    window = MaintenanceWindow(
        clinic_id=clinic_id,
        equipment_id=equipment_id,
        room_id=room_id,
        title=title,
        starts_at=starts,
        ends_at=ends,
        impact=impact or None,
    )
    session.add(window)
    session.flush()
    detail = f"{kind} {raw_id} {starts.isoformat()}..{ends.isoformat()}".replace("  ", " ")
    if affected:
        detail += f"; forced over {len(affected)} appointment(s): " + ",".join(map(str, affected))
    change(session, principal, "create", resource_type=RESOURCE, resource_id=window.id, detail=detail)
    schedule_changed(session, clinic_id, days_touched(clinic, starts, ends))
    return _row(session, clinic, window)


def cancel_maintenance(*, session: Session, principal: Principal, clinic_id: int, window_id: int) -> None:
    clinic = managed_clinic(session, principal=principal, clinic_id=clinic_id, resource_type=RESOURCE)
    window = session.get(MaintenanceWindow, window_id)
    if window is None or window.clinic_id != clinic_id:
        raise CatalogFormError({"form": "No such maintenance window at this clinic. Reload the page."})
    if window.status in (MaintenanceStatus.CANCELLED, MaintenanceStatus.COMPLETED):
        raise CatalogFormError({"form": f"This window is already {window.status}."})
    window.status = MaintenanceStatus.CANCELLED
    session.add(window)
    session.flush()
    change(session, principal, "cancel", resource_type=RESOURCE, resource_id=window_id)
    schedule_changed(session, clinic_id, days_touched(clinic, window.starts_at, window.ends_at))
