"""A clinic's set-up as its managers keep it: opening hours per weekday (a closed day has no
row), closures, rooms and equipment. Admins manage every clinic, clinic staff their own
(``catalog_access.managed_clinic``). Each change is audited and announces, after commit,
``catalog_changed`` for the clinic and ``schedule_changed`` for each clinic-local day whose
bookable slots it moves (for a weekday's hours: its next ``HOURS_HORIZON_WEEKS`` occurrences,
the days a booking page can be showing).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any, TypedDict

from sqlmodel import Session, col, select

from mediconnect.core.errors import DashboardError, DashErrorCode
from mediconnect.core.permissions import Principal
from mediconnect.models.clinics import (
    Clinic,
    ClinicClosure,
    ClinicOpeningHours,
    Department,
    Equipment,
    EquipmentStatus,
    Modality,
    Room,
    RoomType,
)
from mediconnect.models.users import Role
from mediconnect.services.catalog_access import (
    CatalogFormError,
    catalog_changed,
    change,
    local,
    local_today,
    managed_clinic,
    optional_id,
    parse_day,
    parse_time,
    schedule_changed,
    text,
)

HOURS_HORIZON_WEEKS = 8
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class ClinicRow(TypedDict):
    id: int
    name: str
    city: str
    timezone: str


class HoursRow(TypedDict):
    weekday: int
    day: str
    opens: str  # "HH:MM", "" when closed
    closes: str


class ClosureRow(TypedDict):
    id: int
    day: str
    reason: str


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


class Option(TypedDict):
    value: str
    label: str


def manageable_clinics(*, session: Session, principal: Principal) -> list[ClinicRow]:
    """The clinics whose set-up the caller may manage (admin: all; staff: their own)."""
    if principal.role not in (Role.ADMIN, Role.CLINIC_STAFF):
        raise DashboardError(DashErrorCode.DASH_002, f"role {principal.role.value} may not manage clinics")
    query = select(Clinic).order_by(col(Clinic.name))
    if not principal.is_admin:
        query = query.where(col(Clinic.id).in_(sorted(principal.clinic_ids) or [-1]))
    return [
        ClinicRow(id=c.id or 0, name=c.name, city=c.city, timezone=c.timezone)
        for c in session.exec(query).all()
    ]


def clinic_header(*, session: Session, principal: Principal, clinic_id: int) -> ClinicRow:
    c = managed_clinic(session, principal=principal, clinic_id=clinic_id, resource_type="clinic")
    return ClinicRow(id=clinic_id, name=c.name, city=c.city, timezone=c.timezone)


# ------------------------------------------------------------------ hours and closures


def opening_hours(*, session: Session, principal: Principal, clinic_id: int) -> list[HoursRow]:
    managed_clinic(session, principal=principal, clinic_id=clinic_id, resource_type="clinic_hours")
    rows = {
        h.weekday: h
        for h in session.exec(
            select(ClinicOpeningHours).where(ClinicOpeningHours.clinic_id == clinic_id)
        ).all()
    }
    out = []
    for weekday, name in enumerate(WEEKDAYS):
        h = rows.get(weekday)
        out.append(
            HoursRow(
                weekday=weekday,
                day=name,
                opens=h.opens_at.strftime("%H:%M") if h else "",
                closes=h.closes_at.strftime("%H:%M") if h else "",
            )
        )
    return out


def _next_weekdays(clinic: Clinic, weekday: int) -> list[date]:
    today = local_today(clinic)
    first = today + timedelta(days=(weekday - today.weekday()) % 7)
    return [first + timedelta(weeks=n) for n in range(HOURS_HORIZON_WEEKS)]


def set_opening_hours(
    *, session: Session, principal: Principal, clinic_id: int, weekday: int, opens: str, closes: str
) -> list[HoursRow]:
    """Set one weekday's hours; both empty closes that weekday (its row is removed)."""
    clinic = managed_clinic(session, principal=principal, clinic_id=clinic_id, resource_type="clinic_hours")
    if not 0 <= weekday <= 6:
        raise CatalogFormError({"weekday": "Choose a day of the week."})
    existing = session.exec(
        select(ClinicOpeningHours).where(
            ClinicOpeningHours.clinic_id == clinic_id, ClinicOpeningHours.weekday == weekday
        )
    ).first()
    if not opens.strip() and not closes.strip():
        if existing is not None:
            session.delete(existing)
        detail = f"{WEEKDAYS[weekday]}: closed"
    else:
        errors: dict[str, str] = {}
        opens_at, closes_at = parse_time(opens.strip()), parse_time(closes.strip())
        if opens_at is None:
            errors["opens"] = "Enter an opening time such as 07:30."
        if closes_at is None:
            errors["closes"] = "Enter a closing time such as 17:00."
        if opens_at is not None and closes_at is not None and closes_at <= opens_at:
            errors["closes"] = "The clinic must close after it opens."
        if errors:
            raise CatalogFormError(errors)
        assert opens_at is not None and closes_at is not None
        row = existing or ClinicOpeningHours(
            clinic_id=clinic_id, weekday=weekday, opens_at=opens_at, closes_at=closes_at
        )
        row.opens_at, row.closes_at = opens_at, closes_at
        session.add(row)
        detail = f"{WEEKDAYS[weekday]}: {opens_at:%H:%M}-{closes_at:%H:%M}"
    session.flush()
    change(session, principal, "update", resource_type="clinic_hours", resource_id=clinic_id, detail=detail)
    catalog_changed(session, clinic_id)
    schedule_changed(session, clinic_id, _next_weekdays(clinic, weekday))
    return opening_hours(session=session, principal=principal, clinic_id=clinic_id)


def closures(*, session: Session, principal: Principal, clinic_id: int) -> list[ClosureRow]:
    """Closures from today (clinic-local) on."""
    clinic = managed_clinic(session, principal=principal, clinic_id=clinic_id, resource_type="clinic_closure")
    found = session.exec(
        select(ClinicClosure)
        .where(ClinicClosure.clinic_id == clinic_id, col(ClinicClosure.closed_on) >= local_today(clinic))
        .order_by(col(ClinicClosure.closed_on))
        .limit(100)
    ).all()
    return [ClosureRow(id=c.id or 0, day=c.closed_on.isoformat(), reason=c.reason) for c in found]


def add_closure(
    *, session: Session, principal: Principal, clinic_id: int, form: Mapping[str, Any]
) -> ClosureRow:
    clinic = managed_clinic(session, principal=principal, clinic_id=clinic_id, resource_type="clinic_closure")
    errors: dict[str, str] = {}
    day, reason = parse_day(text(form, "day")), text(form, "reason")
    if day is None:
        errors["day"] = "Choose the day the clinic is closed."
    elif day < local_today(clinic):
        errors["day"] = "Choose today or a later day."
    elif session.exec(
        select(ClinicClosure.id).where(ClinicClosure.clinic_id == clinic_id, ClinicClosure.closed_on == day)
    ).first():
        errors["day"] = "The clinic is already closed that day."
    if not reason or len(reason) > 120:
        errors["reason"] = "Say why (up to 120 characters), e.g. Public holiday."
    if errors:
        raise CatalogFormError(errors)
    assert day is not None
    closure = ClinicClosure(clinic_id=clinic_id, closed_on=day, reason=reason)
    session.add(closure)
    session.flush()
    change(
        session,
        principal,
        "create",
        resource_type="clinic_closure",
        resource_id=closure.id,
        detail=f"{day} {reason}",
    )
    schedule_changed(session, clinic_id, [day])
    return ClosureRow(id=closure.id or 0, day=day.isoformat(), reason=reason)


def remove_closure(*, session: Session, principal: Principal, clinic_id: int, closure_id: int) -> None:
    managed_clinic(session, principal=principal, clinic_id=clinic_id, resource_type="clinic_closure")
    closure = session.get(ClinicClosure, closure_id)
    if closure is None or closure.clinic_id != clinic_id:
        raise CatalogFormError({"form": "No such closure at this clinic. Reload the page."})
    day = closure.closed_on
    session.delete(closure)
    session.flush()
    change(
        session, principal, "delete", resource_type="clinic_closure", resource_id=closure_id, detail=str(day)
    )
    schedule_changed(session, clinic_id, [day])


# ------------------------------------------------------------------ rooms and equipment


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
    schedule_changed(session, clinic_id, [local_today(clinic) + timedelta(days=n) for n in range(14)])


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
    schedule_changed(session, clinic_id, [local_today(clinic) + timedelta(days=n) for n in range(14)])
