"""Free, bookable times for a service at a clinic on a clinic-local day.

A start time is offered when, for the whole of ``[start, start + duration)``:

* the clinic is active, open that weekday (``ClinicOpeningHours``) and not closed that date
  (``ClinicClosure``); the slot ends by closing time;
* the service is active; a room of its ``room_type`` at the clinic is active and free; when
  ``requires_equipment``, an *operational* piece of its modality is free too (equipment that
  stands in a room is booked with that room; equipment with no room, or of a portable modality
  (ultrasound, ECG), also goes with any other room of the type);
* no maintenance window (scheduled or in progress) covers the room, the equipment, or the
  clinic as a whole (a window with neither room nor equipment);
* the right person is on duty (``DutyShift``, not cancelled, covering the whole slot):
  consultations and ECGs need a doctor (duty role ``doctor``), procedures a radiologist (role
  ``radiologist``; both must be a ``Doctor``, who becomes the appointment's doctor and must be
  free); scans need a sonographer (ultrasound) or a radiographer (other modalities) on shift.
  Technologists are a presence check, not booked per appointment (appointments do not name
  them). A doctor's shift that names a room ties the doctor to that room;
* no live appointment (not cancelled / no-show) holds the room, the equipment or the doctor;
* it starts no earlier than ``now + LEAD_TIME`` (online booking needs notice).

Grid: starts every ``STEP`` (15 minutes) from opening time, whatever the duration, so a
45-minute MRI can start at 08:00, 08:15, ...; the slot ends ``duration_minutes`` later. One
``Slot`` per start time, with the first free combination in id order (rooms, then equipment,
then doctors), so the same data always gives the same answer.

Cost: six small indexed queries per day (service, clinic + hours + closure, rooms, equipment,
maintenance, shifts, appointments), then O(resources x starts) in Python. ClinicEvent
capacity reductions are ignored here on purpose (they thin the desk, not the rooms).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from mediconnect.models.appointments import Appointment, AppointmentStatus
from mediconnect.models.catalog import Service
from mediconnect.models.clinics import (
    Clinic,
    ClinicClosure,
    ClinicOpeningHours,
    ClinicStatus,
    Equipment,
    EquipmentStatus,
    MaintenanceStatus,
    MaintenanceWindow,
    Modality,
    Room,
    RoomType,
)
from mediconnect.models.staff import Doctor, DutyRole, DutyShift
from mediconnect.services.zones import clinic_zone  # the clinic's zone, else Settings.TIMEZONE

STEP = timedelta(minutes=15)
LEAD_TIME = timedelta(hours=1)
NEAREST_HORIZON_DAYS = 14
# How many other free times are suggested: with a refused start time (the page and the API's
# ``alternatives``), and for a chosen day that has no free time at all (the booking page).
NEAREST_AFTER_REFUSAL = 3
NEAREST_FOR_EMPTY_DAY = 4
FREED_STATUSES = (AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW)
_DOCTOR_MODALITIES = frozenset({Modality.CONSULTATION, Modality.ECG})
# Carts and probes: wheeled to any room of the service's type (an ultrasound-guided biopsy in
# the procedure room); fixed scanners only serve the room they stand in.
PORTABLE_MODALITIES = frozenset({Modality.ULTRASOUND, Modality.ECG})

Interval = tuple[datetime, datetime]


@dataclass(frozen=True, slots=True)
class Slot:
    start: datetime  # UTC
    end: datetime  # UTC
    room_id: int | None
    equipment_id: int | None
    doctor_id: int | None


@dataclass(frozen=True, slots=True)
class DayPlan:
    """The day's opening grid (every start within hours and lead time) and the free slots."""

    grid: tuple[datetime, ...]
    free: tuple[Slot, ...]


def local_day(clinic: Clinic, moment: datetime) -> date:
    """The clinic-local date of a UTC moment."""
    return moment.astimezone(clinic_zone(clinic)).date()


def staff_role_for(service: Service) -> DutyRole:
    """The duty role a service needs on shift (see the module docstring)."""
    if service.room_type is RoomType.PROCEDURE:
        return DutyRole.RADIOLOGIST
    if service.modality in _DOCTOR_MODALITIES:
        return DutyRole.DOCTOR
    return DutyRole.SONOGRAPHER if service.modality is Modality.ULTRASOUND else DutyRole.RADIOGRAPHER


def needs_doctor(service: Service) -> bool:
    return staff_role_for(service) in (DutyRole.DOCTOR, DutyRole.RADIOLOGIST)


def _overlaps(intervals: Iterable[Interval], start: datetime, end: datetime) -> bool:
    return any(s < end and e > start for s, e in intervals)


def _covered(intervals: Iterable[Interval], start: datetime, end: datetime) -> bool:
    return any(s <= start and e >= end for s, e in intervals)


def _day_bounds(clinic: Clinic, day: date, opens: time, closes: time) -> Interval:
    tz = clinic_zone(clinic)
    return (
        datetime.combine(day, opens, tzinfo=tz).astimezone(UTC),
        datetime.combine(day, closes, tzinfo=tz).astimezone(UTC),
    )


def day_plan(
    *,
    session: Session,
    clinic_id: int,
    service_id: int,
    day: date,
    now: datetime | None = None,
    ignore_appointment_id: int | None = None,
) -> DayPlan:
    """The grid of that day and its free slots (``day_slots`` is ``day_plan(...).free``).

    ``ignore_appointment_id``: an appointment being rescheduled, whose resources count as free.
    """
    empty = DayPlan((), ())
    service = session.get(Service, service_id)
    clinic = session.get(Clinic, clinic_id)
    if service is None or clinic is None or not service.is_active or clinic.status is not ClinicStatus.ACTIVE:
        return empty
    hours = session.execute(
        sa.select(col(ClinicOpeningHours.opens_at), col(ClinicOpeningHours.closes_at)).where(
            col(ClinicOpeningHours.clinic_id) == clinic_id,
            col(ClinicOpeningHours.weekday) == day.weekday(),
            ~sa.exists().where(
                col(ClinicClosure.clinic_id) == clinic_id, col(ClinicClosure.closed_on) == day
            ),
        )
    ).first()
    if hours is None:
        return empty
    open_at, close_at = _day_bounds(clinic, day, hours[0], hours[1])
    duration = timedelta(minutes=service.duration_minutes)
    earliest = (now or datetime.now(UTC)) + LEAD_TIME
    grid: list[datetime] = []
    t = open_at
    while t + duration <= close_at:
        if t >= earliest:
            grid.append(t)
        t += STEP
    if not grid:
        return empty
    free = _free_slots(session, clinic_id, service, grid, duration, open_at, close_at, ignore_appointment_id)
    return DayPlan(tuple(grid), tuple(free))


def _free_slots(
    session: Session,
    clinic_id: int,
    service: Service,
    grid: list[datetime],
    duration: timedelta,
    open_at: datetime,
    close_at: datetime,
    ignore_appointment_id: int | None = None,
) -> list[Slot]:
    pairs = _room_equipment_pairs(session, clinic_id, service)
    if not pairs:
        return []
    busy: dict[tuple[str, int], list[Interval]] = {}
    clinic_down = _maintenance(session, clinic_id, open_at, close_at, busy)
    on_shift = _shifts(session, clinic_id, service, open_at, close_at)
    if on_shift is None:
        return []
    tech_shifts, doctor_shifts = on_shift
    doctor_ids = sorted(doctor_shifts) if needs_doctor(service) else []
    _appointments(session, clinic_id, doctor_ids, open_at, close_at, ignore_appointment_id, busy)

    none: list[Interval] = []
    slots: list[Slot] = []
    for start in grid:
        end = start + duration
        if _overlaps(clinic_down, start, end):
            continue
        if not needs_doctor(service) and not _covered(tech_shifts, start, end):
            continue
        chosen = _choose(pairs, doctor_ids, doctor_shifts, busy, none, start, end)
        if chosen is not None:
            slots.append(Slot(start, end, *chosen))
    return slots


def _room_equipment_pairs(session: Session, clinic_id: int, service: Service) -> list[tuple[int, int | None]]:
    """The (room, equipment) combinations that can hold the service, in a fixed order."""
    rooms = session.exec(
        select(Room.id)
        .where(
            Room.clinic_id == clinic_id, Room.room_type == service.room_type, col(Room.is_active).is_(True)
        )
        .order_by(col(Room.id))
    ).all()
    room_ids = [r for r in rooms if r is not None]
    if not room_ids or not service.requires_equipment:
        return [(r, None) for r in room_ids]
    equipment = session.exec(
        select(Equipment.id, Equipment.room_id)
        .where(
            Equipment.clinic_id == clinic_id,
            Equipment.modality == service.modality,
            Equipment.status == EquipmentStatus.OPERATIONAL,
        )
        .order_by(col(Equipment.id))
    ).all()
    pairs: list[tuple[int, int | None]] = []
    portable = service.modality in PORTABLE_MODALITIES
    for eq_id, eq_room in equipment:
        if eq_room in room_ids:
            pairs.append((eq_room, eq_id))  # its own room first
        if eq_room is None or portable:
            pairs.extend((r, eq_id) for r in room_ids if r != eq_room)
    return pairs


def _maintenance(
    session: Session,
    clinic_id: int,
    open_at: datetime,
    close_at: datetime,
    busy: dict[tuple[str, int], list[Interval]],
) -> list[Interval]:
    """Adds the day's maintenance windows to ``busy``; returns those that close the whole clinic."""
    clinic_down: list[Interval] = []
    for room_id, eq_id, s, e in session.exec(
        select(
            MaintenanceWindow.room_id,
            MaintenanceWindow.equipment_id,
            MaintenanceWindow.starts_at,
            MaintenanceWindow.ends_at,
        ).where(
            MaintenanceWindow.clinic_id == clinic_id,
            col(MaintenanceWindow.status).in_([MaintenanceStatus.SCHEDULED, MaintenanceStatus.IN_PROGRESS]),
            col(MaintenanceWindow.starts_at) < close_at,
            col(MaintenanceWindow.ends_at) > open_at,
        )
    ).all():
        if room_id is None and eq_id is None:
            clinic_down.append((s, e))
        if room_id is not None:
            busy.setdefault(("room", room_id), []).append((s, e))
        if eq_id is not None:
            busy.setdefault(("equipment", eq_id), []).append((s, e))
    return clinic_down


DoctorShifts = dict[int, list[tuple[int | None, datetime, datetime]]]


def _shifts(
    session: Session, clinic_id: int, service: Service, open_at: datetime, close_at: datetime
) -> tuple[list[Interval], DoctorShifts] | None:
    """The day's shifts of the duty role the service needs (all of them, and per doctor with
    the room a shift ties the doctor to), or None when nobody is on duty."""
    shift_q = sa.select(
        col(DutyShift.user_id),
        col(DutyShift.room_id),
        col(DutyShift.starts_at),
        col(DutyShift.ends_at),
        col(Doctor.id),
    )
    if needs_doctor(service):
        shift_q = shift_q.join(Doctor, col(Doctor.user_id) == col(DutyShift.user_id))
    else:
        shift_q = shift_q.outerjoin(Doctor, col(Doctor.user_id) == col(DutyShift.user_id))
    shifts = session.execute(
        shift_q.where(
            col(DutyShift.clinic_id) == clinic_id,
            col(DutyShift.duty_role) == staff_role_for(service),
            col(DutyShift.cancelled).is_(False),
            col(DutyShift.starts_at) < close_at,
            col(DutyShift.ends_at) > open_at,
        ).order_by(col(Doctor.id), col(DutyShift.starts_at))
    ).all()
    if not shifts:
        return None
    doctor_shifts: DoctorShifts = {}
    tech_shifts: list[Interval] = []
    for _user, shift_room, s, e, doctor_id in shifts:
        tech_shifts.append((s, e))
        if doctor_id is not None:
            doctor_shifts.setdefault(doctor_id, []).append((shift_room, s, e))
    return tech_shifts, doctor_shifts


def _appointments(
    session: Session,
    clinic_id: int,
    doctor_ids: list[int],
    open_at: datetime,
    close_at: datetime,
    ignore_appointment_id: int | None,
    busy: dict[tuple[str, int], list[Interval]],
) -> None:
    """Adds the rooms, equipment and doctors that live appointments hold that day to ``busy``."""
    holders = [col(Appointment.clinic_id) == clinic_id]
    ignore = [col(Appointment.id) != ignore_appointment_id] if ignore_appointment_id is not None else []
    if doctor_ids:  # a doctor booked at another clinic is busy here too
        holders.append(col(Appointment.doctor_id).in_(doctor_ids))
    for room_id, eq_id, doc_id, s, e in session.execute(
        sa.select(
            col(Appointment.room_id),
            col(Appointment.equipment_id),
            col(Appointment.doctor_id),
            col(Appointment.scheduled_start),
            col(Appointment.scheduled_end),
        ).where(
            sa.or_(*holders),
            *ignore,
            col(Appointment.status).not_in(FREED_STATUSES),
            col(Appointment.scheduled_start) < close_at,
            col(Appointment.scheduled_end) > open_at,
        )
    ).all():
        for kind, rid in (("room", room_id), ("equipment", eq_id), ("doctor", doc_id)):
            if rid is not None:
                busy.setdefault((kind, rid), []).append((s, e))


def _choose(
    pairs: list[tuple[int, int | None]],
    doctor_ids: list[int],
    doctor_shifts: DoctorShifts,
    busy: dict[tuple[str, int], list[Interval]],
    none: list[Interval],
    start: datetime,
    end: datetime,
) -> tuple[int, int | None, int | None] | None:
    """The first free (room, equipment, doctor) for ``[start, end)``, or None."""
    for room_id, eq_id in pairs:
        if _overlaps(busy.get(("room", room_id), none), start, end):
            continue
        if eq_id is not None and _overlaps(busy.get(("equipment", eq_id), none), start, end):
            continue
        if not doctor_ids:
            return room_id, eq_id, None
        for doctor_id in doctor_ids:
            on_duty = any(
                (r is None or r == room_id) and s <= start and e >= end
                for r, s, e in doctor_shifts[doctor_id]
            )
            if on_duty and not _overlaps(busy.get(("doctor", doctor_id), none), start, end):
                return room_id, eq_id, doctor_id
    return None


def day_slots(
    *, session: Session, clinic_id: int, service_id: int, day: date, now: datetime | None = None
) -> list[Slot]:
    """Free, bookable slots of that clinic-local day, ordered by start."""
    return list(day_plan(session=session, clinic_id=clinic_id, service_id=service_id, day=day, now=now).free)


def nearest_free(
    *,
    session: Session,
    clinic_id: int,
    service_id: int,
    around: datetime,
    limit: int = 3,
    now: datetime | None = None,
) -> list[Slot]:
    """Up to ``limit`` free slots closest in time to ``around`` (its day first, then later days)."""
    clinic = session.get(Clinic, clinic_id)
    if clinic is None or limit <= 0:
        return []
    first = local_day(clinic, around)
    found: list[Slot] = []
    for offset in range(NEAREST_HORIZON_DAYS):
        found += day_slots(
            session=session,
            clinic_id=clinic_id,
            service_id=service_id,
            day=first + timedelta(days=offset),
            now=now,
        )
        if len(found) >= limit:
            break
    found.sort(key=lambda s: (abs((s.start - around).total_seconds()), s.start))
    return found[:limit]


def nearest_free_times(
    *,
    session: Session,
    clinic_id: int,
    service_id: int,
    instead_of: datetime | date,
    now: datetime | None = None,
) -> list[Slot]:
    """The free times to suggest instead of one that cannot be had: the ``NEAREST_AFTER_REFUSAL``
    closest to a refused start time (a UTC ``datetime``), or, for a clinic-local day with no
    free time (a ``date``), the ``NEAREST_FOR_EMPTY_DAY`` closest to that day's local noon, so
    the day before and the days after compete fairly. The one rule for the booking page and for
    the alternatives a refusal carries (``BookingError.alternatives``, sent by the JSON API)."""
    if isinstance(instead_of, datetime):  # a datetime is also a date: test it first
        around, limit = instead_of, NEAREST_AFTER_REFUSAL
    else:
        clinic = session.get(Clinic, clinic_id)
        if clinic is None:
            return []
        noon = datetime.combine(instead_of, time(12), tzinfo=clinic_zone(clinic))
        around, limit = noon.astimezone(UTC), NEAREST_FOR_EMPTY_DAY
    return nearest_free(
        session=session, clinic_id=clinic_id, service_id=service_id, around=around, limit=limit, now=now
    )
