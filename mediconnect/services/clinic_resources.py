"""A clinic's rooms and equipment as its managers keep them (admins: every clinic; clinic
staff: their own, see ``catalog_access.managed_clinic``). A room taken out of use or a machine
out of service is no longer offered for bookings, so those changes announce
``schedule_changed`` for the next ``RESOURCE_HORIZON_DAYS`` clinic-local days, and every
change ``catalog_changed`` for the clinic, after commit. Every change is audited.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any, TypedDict

from sqlmodel import Session, col, select

from mediconnect.core.policy import Principal
from mediconnect.models.clinics import Department, Equipment, EquipmentStatus, Modality, Room, RoomType
from mediconnect.services.catalog_access import (
    CatalogFormError,
    catalog_changed,
    change,
    local,
    local_today,
    managed_clinic,
    optional_id,
    schedule_changed,
    text,
)
from mediconnect.services.options import Option

RESOURCE_HORIZON_DAYS = 14


def _upcoming(today: date) -> list[date]:
    return [today + timedelta(days=n) for n in range(RESOURCE_HORIZON_DAYS)]


class RoomRow(TypedDict):
    id: int
    name: str
    room_type: str
    department: str
    is_active: bool


class EquipmentRow(TypedDict):
    id: int
    name: str
    modality: str
    room: str
    status: str
    serial_number: str
    interval_days: int
    last_maintenance: str


def _departments(session: Session, clinic_id: int) -> dict[int, str]:
    rows = session.exec(select(Department).where(Department.clinic_id == clinic_id)).all()
    return {d.id: d.name for d in rows if d.id is not None}


def department_options(*, session: Session, principal: Principal, clinic_id: int) -> list[Option]:
    managed_clinic(session, principal=principal, clinic_id=clinic_id, resource_type="room")
    return [
        Option(value=str(i), label=n)
        for i, n in sorted(_departments(session, clinic_id).items(), key=lambda x: x[1])
    ]


def rooms(*, session: Session, principal: Principal, clinic_id: int) -> list[RoomRow]:
    managed_clinic(session, principal=principal, clinic_id=clinic_id, resource_type="room")
    depts = _departments(session, clinic_id)
    found = session.exec(select(Room).where(Room.clinic_id == clinic_id).order_by(col(Room.name))).all()
    return [
        RoomRow(
            id=r.id or 0,
            name=r.name,
            room_type=str(r.room_type),
            department=depts.get(r.department_id or 0, ""),
            is_active=r.is_active,
        )
        for r in found
    ]


def add_room(*, session: Session, principal: Principal, clinic_id: int, form: Mapping[str, Any]) -> RoomRow:
    managed_clinic(session, principal=principal, clinic_id=clinic_id, resource_type="room")
    errors: dict[str, str] = {}
    name = text(form, "name")
    if not name or len(name) > 60:
        errors["name"] = "Enter a room name of up to 60 characters."
    elif session.exec(select(Room.id).where(Room.clinic_id == clinic_id, Room.name == name)).first():
        errors["name"] = "This clinic already has a room with that name."
    try:
        room_type = RoomType(text(form, "room_type"))
    except ValueError:
        errors["room_type"] = "Choose a room type."
    department_id = optional_id(text(form, "department_id"))
    if department_id is not None and department_id not in _departments(session, clinic_id):
        errors["department_id"] = "Choose one of this clinic's departments."
    if errors:
        raise CatalogFormError(errors)
    room = Room(clinic_id=clinic_id, name=name, room_type=room_type, department_id=department_id)
    session.add(room)
    session.flush()
    change(session, principal, "create", resource_type="room", resource_id=room.id, detail=name)
    catalog_changed(session, clinic_id)
    return RoomRow(
        id=room.id or 0,
        name=name,
        room_type=str(room_type),
        department=_departments(session, clinic_id).get(department_id or 0, ""),
        is_active=True,
    )


def _own(session: Session, model: Any, object_id: int, clinic_id: int, what: str) -> Any:
    found = session.get(model, object_id)
    if found is None or found.clinic_id != clinic_id:
        raise CatalogFormError({"form": f"No such {what} at this clinic. Reload the page."})
    return found


def set_room_active(
    *, session: Session, principal: Principal, clinic_id: int, room_id: int, active: bool
) -> None:
    clinic = managed_clinic(session, principal=principal, clinic_id=clinic_id, resource_type="room")
    room = _own(session, Room, room_id, clinic_id, "room")
    if room.is_active == active:
        return
    room.is_active = active
    session.add(room)
    session.flush()
    change(
        session,
        principal,
        "reactivate" if active else "deactivate",
        resource_type="room",
        resource_id=room_id,
    )
    catalog_changed(session, clinic_id)
    schedule_changed(
        session, clinic_id, [local_today(clinic) + timedelta(days=n) for n in range(RESOURCE_HORIZON_DAYS)]
    )


def equipment(*, session: Session, principal: Principal, clinic_id: int) -> list[EquipmentRow]:
    clinic = managed_clinic(session, principal=principal, clinic_id=clinic_id, resource_type="equipment")
    names = {r.id: r.name for r in session.exec(select(Room).where(Room.clinic_id == clinic_id)).all()}
    found = session.exec(
        select(Equipment).where(Equipment.clinic_id == clinic_id).order_by(col(Equipment.name))
    ).all()

    def when(value: datetime | None) -> str:
        return local(clinic, value).strftime("%Y-%m-%d") if value else ""

    return [
        EquipmentRow(
            id=e.id or 0,
            name=e.name,
            modality=str(e.modality),
            room=names.get(e.room_id, "") if e.room_id else "",
            status=str(e.status),
            serial_number=e.serial_number or "",
            interval_days=e.maintenance_interval_days,
            last_maintenance=when(e.last_maintenance_at),
        )
        for e in found
    ]


def room_options(*, session: Session, principal: Principal, clinic_id: int) -> list[Option]:
    managed_clinic(session, principal=principal, clinic_id=clinic_id, resource_type="room")
    found = session.exec(
        select(Room)
        .where(Room.clinic_id == clinic_id, col(Room.is_active).is_(True))
        .order_by(col(Room.name))
    ).all()
    return [Option(value=str(r.id), label=r.name) for r in found]


def add_equipment(*, session: Session, principal: Principal, clinic_id: int, form: Mapping[str, Any]) -> int:
    managed_clinic(session, principal=principal, clinic_id=clinic_id, resource_type="equipment")
    errors: dict[str, str] = {}
    name, serial = text(form, "name"), text(form, "serial_number")
    if not name or len(name) > 80:
        errors["name"] = "Enter a name of up to 80 characters."
    elif session.exec(
        select(Equipment.id).where(Equipment.clinic_id == clinic_id, Equipment.name == name)
    ).first():
        errors["name"] = "This clinic already has equipment with that name."
    if len(serial) > 80:
        errors["serial_number"] = "Keep the serial number under 80 characters."
    elif serial and session.exec(select(Equipment.id).where(Equipment.serial_number == serial)).first():
        errors["serial_number"] = "Another machine has this serial number."
    try:
        modality = Modality(text(form, "modality"))
    except ValueError:
        errors["modality"] = "Choose a modality."
    interval_raw = text(form, "interval_days") or "90"
    interval = int(interval_raw) if interval_raw.isdigit() else 0
    if not 1 <= interval <= 3650:
        errors["interval_days"] = "Enter a maintenance interval between 1 and 3650 days."
    room_id = optional_id(text(form, "room_id"))
    if room_id is not None:
        room = session.get(Room, room_id)
        if room is None or room.clinic_id != clinic_id:
            errors["room_id"] = "Choose one of this clinic's rooms."
    if errors:
        raise CatalogFormError(errors)
    item = Equipment(
        clinic_id=clinic_id,
        room_id=room_id,
        name=name,
        modality=modality,
        serial_number=serial or None,
        maintenance_interval_days=interval,
    )
    session.add(item)
    session.flush()
    change(session, principal, "create", resource_type="equipment", resource_id=item.id, detail=name)
    catalog_changed(session, clinic_id)
    return item.id or 0


def set_equipment_status(
    *, session: Session, principal: Principal, clinic_id: int, equipment_id: int, status: str
) -> None:
    clinic = managed_clinic(session, principal=principal, clinic_id=clinic_id, resource_type="equipment")
    item = _own(session, Equipment, equipment_id, clinic_id, "equipment")
    try:
        new = EquipmentStatus(status)
    except ValueError:
        raise CatalogFormError({"status": "Choose a status."}) from None
    if item.status == new:
        return
    old, item.status = item.status, new
    session.add(item)
    session.flush()
    change(
        session,
        principal,
        "update",
        resource_type="equipment",
        resource_id=equipment_id,
        detail=f"status {old} -> {new}",
    )
    catalog_changed(session, clinic_id)
    schedule_changed(
        session, clinic_id, [local_today(clinic) + timedelta(days=n) for n in range(RESOURCE_HORIZON_DAYS)]
    )
