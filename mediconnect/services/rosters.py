"""Duty rosters: who is on shift at a clinic, and when. Availability reads these shifts to
know which doctors and radiographers can take a booking, so a shift may only name someone who
works at that clinic on that day (clinic staff assigned to it, or a doctor affiliated with
it), must end after it starts, and may not overlap another live shift of the same person (at
any clinic). Cancelling keeps the row (``cancelled``) for the staffing history.

Times are entered in the clinic's local time (a shift ending at or before its start time ends
the next day: night shifts). Each change is audited and announces ``schedule_changed`` for
each clinic-local day it touches.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any, TypedDict

from sqlmodel import Session, col, select

from mediconnect.core.policy import Principal
from mediconnect.models.clinics import Department, Room
from mediconnect.models.staff import Doctor, DoctorClinicAffiliation, DutyRole, DutyShift, StaffAssignment
from mediconnect.models.users import Role, User
from mediconnect.services.admin_access import in_force
from mediconnect.services.catalog_access import (
    CatalogFormError,
    change,
    days_touched,
    local,
    local_today,
    managed_clinic,
    optional_id,
    parse_day,
    parse_time,
    schedule_changed,
    text,
    to_utc,
)
from mediconnect.services.options import Option

RESOURCE = "duty_shift"
MAX_SHIFT = timedelta(hours=24)


class ShiftRow(TypedDict):
    id: int
    person: str
    duty_role: str
    starts: str  # clinic-local "HH:MM"
    ends: str  # "HH:MM", "+1" appended when it ends the next day
    where: str


class RosterDay(TypedDict):
    day: str  # ISO date
    label: str  # "Mon 23 Nov"
    shifts: list[ShiftRow]


def _short(user: User) -> str:
    """Initial and surname: enough to roster someone, no more of their name than that."""
    name = f"{user.first_name[:1]}. {user.last_name}" if user.first_name else user.last_name
    return f"Dr {name}" if user.role == Role.DOCTOR else name


def this_week(*, session: Session, principal: Principal, clinic_id: int) -> date:
    """Monday of the clinic-local current week."""
    clinic = managed_clinic(session, principal=principal, clinic_id=clinic_id, resource_type=RESOURCE)
    today = local_today(clinic)
    return today - timedelta(days=today.weekday())


def _people(session: Session, clinic_id: int, on: date) -> dict[int, tuple[str, Role]]:
    """Users who work at the clinic on ``on``: user id -> (name, role)."""
    sa_ = StaffAssignment
    staff = session.exec(
        select(User)
        .join(sa_, col(sa_.user_id) == col(User.id))
        .where(
            sa_.clinic_id == clinic_id,
            col(User.role) == Role.CLINIC_STAFF,
            col(User.is_active).is_(True),
            in_force(sa_.starts_on, sa_.ends_on, on),
        )
    ).all()
    aff = DoctorClinicAffiliation
    doctors = session.exec(
        select(User)
        .join(Doctor, col(Doctor.user_id) == col(User.id))
        .join(aff, col(aff.doctor_id) == col(Doctor.id))
        .where(
            aff.clinic_id == clinic_id,
            col(User.is_active).is_(True),
            in_force(aff.started_on, aff.ended_on, on),
        )
    ).all()
    out: dict[int, tuple[str, Role]] = {}
    for u in [*staff, *doctors]:
        if u.id is not None:
            out[u.id] = (_short(u), Role(u.role))
    return out


def staff_options(*, session: Session, principal: Principal, clinic_id: int, on: date) -> list[Option]:
    managed_clinic(session, principal=principal, clinic_id=clinic_id, resource_type=RESOURCE)
    people = _people(session, clinic_id, on)
    return [
        Option(value=str(uid), label=name) for uid, (name, _) in sorted(people.items(), key=lambda p: p[1][0])
    ]


def week_roster(
    *, session: Session, principal: Principal, clinic_id: int, week_start: date
) -> list[RosterDay]:
    """Seven clinic-local days from ``week_start`` with their live shifts, earliest first."""
    clinic = managed_clinic(session, principal=principal, clinic_id=clinic_id, resource_type=RESOURCE)
    first = to_utc(clinic, week_start, datetime.min.time())
    last = to_utc(clinic, week_start + timedelta(days=7), datetime.min.time())
    found = session.exec(
        select(DutyShift, User)
        .join(User, col(User.id) == col(DutyShift.user_id))
        .where(
            DutyShift.clinic_id == clinic_id,
            col(DutyShift.cancelled).is_(False),
            col(DutyShift.starts_at) < last,
            col(DutyShift.ends_at) > first,
        )
        .order_by(col(DutyShift.starts_at), col(User.last_name))
    ).all()
    rooms = {r.id: r.name for r in session.exec(select(Room).where(Room.clinic_id == clinic_id)).all()}
    depts = {
        d.id: d.name for d in session.exec(select(Department).where(Department.clinic_id == clinic_id)).all()
    }
    days: list[RosterDay] = [
        RosterDay(day=d.isoformat(), label=d.strftime("%a %d %b"), shifts=[])
        for d in (week_start + timedelta(days=n) for n in range(7))
    ]
    for shift, user in found:
        start, end = local(clinic, shift.starts_at), local(clinic, shift.ends_at)
        index = (start.date() - week_start).days
        if not 0 <= index < 7:
            continue  # began the evening before the week: listed on that week
        where = (
            rooms.get(shift.room_id, "")
            if shift.room_id
            else depts.get(shift.department_id, "")
            if shift.department_id
            else ""
        )
        days[index]["shifts"].append(
            ShiftRow(
                id=shift.id or 0,
                person=_short(user),
                duty_role=str(shift.duty_role).replace("_", " ").capitalize(),
                starts=start.strftime("%H:%M"),
                ends=end.strftime("%H:%M") + (" +1" if end.date() > start.date() else ""),
                where=where or "",
            )
        )
    return days


def add_shift(*, session: Session, principal: Principal, clinic_id: int, form: Mapping[str, Any]) -> int:
    """``form``: user_id, duty_role, day, starts, ends (clinic-local HH:MM), room_id, department_id."""
    clinic = managed_clinic(session, principal=principal, clinic_id=clinic_id, resource_type=RESOURCE)
    errors: dict[str, str] = {}
    day = parse_day(text(form, "day"))
    if day is None:
        errors["day"] = "Choose the day of the shift."
    user_id = optional_id(text(form, "user_id"))
    people = _people(session, clinic_id, day) if day is not None else {}
    if user_id is None or (day is not None and user_id not in people):
        errors["user_id"] = "Choose someone who works at this clinic on that day."
    try:
        duty_role = DutyRole(text(form, "duty_role"))
    except ValueError:
        errors["duty_role"] = "Choose a duty role."
    else:
        if user_id in people and (people[user_id][1] == Role.DOCTOR) != (
            duty_role in (DutyRole.DOCTOR, DutyRole.RADIOLOGIST)
        ):
            errors["duty_role"] = "Doctors take doctor or radiologist duty; staff take the other roles."
    start_t, end_t = parse_time(text(form, "starts")), parse_time(text(form, "ends"))
    if start_t is None:
        errors["starts"] = "Enter a start time such as 07:30."
    if end_t is None:
        errors["ends"] = "Enter an end time such as 16:00."
    room_id, department_id = optional_id(text(form, "room_id")), optional_id(text(form, "department_id"))
    if room_id is not None:
        room = session.get(Room, room_id)
        if room is None or room.clinic_id != clinic_id:
            errors["room_id"] = "Choose one of this clinic's rooms."
    if department_id is not None:
        dept = session.get(Department, department_id)
        if dept is None or dept.clinic_id != clinic_id:
            errors["department_id"] = "Choose one of this clinic's departments."
    if errors:
        raise CatalogFormError(errors)
    assert day is not None and start_t is not None and end_t is not None and user_id is not None
    starts = to_utc(clinic, day, start_t)
    ends = to_utc(clinic, day + timedelta(days=1) if end_t <= start_t else day, end_t)
    if not starts < ends <= starts + MAX_SHIFT:
        raise CatalogFormError({"ends": "The shift must end after it starts, within 24 hours."})
    clash = session.exec(
        select(DutyShift.id).where(
            DutyShift.user_id == user_id,
            col(DutyShift.cancelled).is_(False),
            col(DutyShift.starts_at) < ends,
            col(DutyShift.ends_at) > starts,
        )
    ).first()
    if clash is not None:
        raise CatalogFormError({"starts": "This person already has a shift overlapping these hours."})
    shift = DutyShift(
        clinic_id=clinic_id,
        user_id=user_id,
        duty_role=duty_role,
        starts_at=starts,
        ends_at=ends,
        room_id=room_id,
        department_id=department_id,
    )
    session.add(shift)
    session.flush()
    change(
        session,
        principal,
        "create",
        resource_type=RESOURCE,
        resource_id=shift.id,
        detail=f"user {user_id} {duty_role} {starts.isoformat()}..{ends.isoformat()}",
    )
    schedule_changed(session, clinic_id, days_touched(clinic, starts, ends))
    return shift.id or 0


def cancel_shift(*, session: Session, principal: Principal, clinic_id: int, shift_id: int) -> None:
    clinic = managed_clinic(session, principal=principal, clinic_id=clinic_id, resource_type=RESOURCE)
    shift = session.get(DutyShift, shift_id)
    if shift is None or shift.clinic_id != clinic_id or shift.cancelled:
        raise CatalogFormError({"form": "No such shift on this clinic's roster. Reload the page."})
    shift.cancelled = True
    session.add(shift)
    session.flush()
    change(session, principal, "cancel", resource_type=RESOURCE, resource_id=shift_id)
    schedule_changed(session, clinic_id, days_touched(clinic, shift.starts_at, shift.ends_at))
