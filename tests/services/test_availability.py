"""Availability: hours, closures, maintenance, rooms/equipment/shift coverage, bookings, lead time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Session

from mediconnect.models.appointments import Appointment, AppointmentStatus, AppointmentType
from mediconnect.models.clinics import EquipmentStatus, MaintenanceStatus, MaintenanceWindow, Room, RoomType
from mediconnect.services import availability
from mediconnect.services.availability import Slot, day_slots, nearest_free
from tests.services import scheduling_world as sw


def _starts(slots: list[Slot]) -> list[str]:
    return [s.start.astimezone(sw.TZ).strftime("%H:%M") for s in slots]


def _book(
    w: sw.World, slot: Slot, patient_id: int | None = None, status=AppointmentStatus.BOOKED
) -> Appointment:
    a = Appointment(
        patient_id=patient_id or w.patient.id,
        clinic_id=w.clinic.id,
        service_id=w.ct.id,
        room_id=slot.room_id,
        equipment_id=slot.equipment_id,
        doctor_id=slot.doctor_id,
        appointment_type=AppointmentType.SCAN,
        scheduled_start=slot.start,
        scheduled_end=slot.end,
        price=Decimal("1.00"),
        status=status,
        cancelled_at=datetime.now(UTC) if status is AppointmentStatus.CANCELLED else None,
    )
    w.session.add(a)
    w.session.flush()
    return a


def test_grid_follows_opening_hours_and_duration(session: Session) -> None:
    w = sw.build(session)
    slots = day_slots(session=session, clinic_id=w.clinic.id, service_id=w.ct.id, day=w.day)
    starts = _starts(slots)
    assert starts[0] == "08:00" and starts[-1] == "16:30"  # a 30-minute scan must end by 17:00
    assert len(starts) == 35  # every 15 minutes from 08:00 to 16:30
    assert all(s.room_id == w.ct_room.id and s.equipment_id == w.scanner.id for s in slots)
    assert all(s.doctor_id is None for s in slots)
    assert all(s.end - s.start == timedelta(minutes=30) for s in slots)
    assert all(s.start.tzinfo is not None for s in slots)


def test_closed_day_and_missing_hours_give_nothing(session: Session) -> None:
    w = sw.build(session)
    sw.close_on(session, w.clinic, w.day)
    assert day_slots(session=session, clinic_id=w.clinic.id, service_id=w.ct.id, day=w.day) == []
    # A day without any shift: nobody to scan.
    assert (
        day_slots(session=session, clinic_id=w.clinic.id, service_id=w.ct.id, day=w.day + timedelta(days=30))
        == []
    )


def test_inactive_service_and_equipment_down(session: Session) -> None:
    w = sw.build(session)
    w.scanner.status = EquipmentStatus.OUT_OF_SERVICE
    session.flush()
    assert day_slots(session=session, clinic_id=w.clinic.id, service_id=w.ct.id, day=w.day) == []
    w.scanner.status = EquipmentStatus.OPERATIONAL
    w.ct.is_active = False
    session.flush()
    assert day_slots(session=session, clinic_id=w.clinic.id, service_id=w.ct.id, day=w.day) == []


def test_maintenance_on_equipment_room_and_clinic(session: Session) -> None:
    w = sw.build(session)
    session.add(
        MaintenanceWindow(
            clinic_id=w.clinic.id,
            equipment_id=w.scanner.id,
            title="Service",
            starts_at=sw.local(w.day, 9),
            ends_at=sw.local(w.day, 10),
        )
    )
    session.add(
        MaintenanceWindow(
            clinic_id=w.clinic.id,
            room_id=w.ct_room.id,
            title="Paint",
            starts_at=sw.local(w.day, 12),
            ends_at=sw.local(w.day, 12, 30),
        )
    )
    session.add(
        MaintenanceWindow(
            clinic_id=w.clinic.id, title="Power", starts_at=sw.local(w.day, 15), ends_at=sw.local(w.day, 16)
        )
    )
    session.add(
        MaintenanceWindow(
            clinic_id=w.clinic.id,
            title="Done",
            status=MaintenanceStatus.CANCELLED,
            starts_at=sw.local(w.day, 8),
            ends_at=sw.local(w.day, 9),
        )
    )
    session.flush()
    starts = _starts(day_slots(session=session, clinic_id=w.clinic.id, service_id=w.ct.id, day=w.day))
    assert "08:00" in starts and "08:30" in starts  # the cancelled window blocks nothing
    for blocked in ("08:45", "09:00", "09:45", "11:45", "12:00", "12:15", "14:45", "15:00", "15:45"):
        assert blocked not in starts, blocked
    for ok in ("10:00", "11:30", "12:30", "14:30", "16:00"):
        assert ok in starts, ok
    # The clinic-wide window also stops consultations.
    consult = _starts(day_slots(session=session, clinic_id=w.clinic.id, service_id=w.consult.id, day=w.day))
    assert "15:00" not in consult and "14:45" in consult and "16:00" in consult


def test_shift_coverage_per_role(session: Session) -> None:
    w = sw.build(session)
    # The sonographer works 08:00-12:00: ultrasound only in the morning.
    us = _starts(day_slots(session=session, clinic_id=w.clinic.id, service_id=w.us.id, day=w.day))
    assert us[0] == "08:00" and us[-1] == "11:30"
    # Consultations: doctor A all day in Consult 1, doctor B from 13:00 in any room.
    slots = day_slots(session=session, clinic_id=w.clinic.id, service_id=w.consult.id, day=w.day)
    first = slots[0]
    assert first.doctor_id == w.doctor_a.id and first.room_id == w.consult_rooms[0].id
    assert _starts(slots)[-1] == "16:45"


def test_existing_bookings_take_resources(session: Session) -> None:
    w = sw.build(session)
    slots = day_slots(session=session, clinic_id=w.clinic.id, service_id=w.ct.id, day=w.day)
    nine = next(s for s in slots if _starts([s]) == ["09:00"])
    _book(w, nine)
    starts = _starts(day_slots(session=session, clinic_id=w.clinic.id, service_id=w.ct.id, day=w.day))
    assert "09:00" not in starts and "08:45" not in starts and "09:15" not in starts
    assert "08:30" in starts and "09:30" in starts
    # A cancelled booking frees its time again.
    ten = next(s for s in slots if _starts([s]) == ["10:00"])
    _book(w, ten, status=AppointmentStatus.CANCELLED)
    assert "10:00" in _starts(
        day_slots(session=session, clinic_id=w.clinic.id, service_id=w.ct.id, day=w.day)
    )


def test_doctor_busy_moves_consult_to_other_doctor(session: Session) -> None:
    w = sw.build(session)
    slots = day_slots(session=session, clinic_id=w.clinic.id, service_id=w.consult.id, day=w.day)
    two = next(s for s in slots if _starts([s]) == ["14:00"])
    assert two.doctor_id == w.doctor_a.id
    _book(w, two)
    again = day_slots(session=session, clinic_id=w.clinic.id, service_id=w.consult.id, day=w.day)
    two_b = next(s for s in again if _starts([s]) == ["14:00"])
    assert two_b.doctor_id == w.doctor_b.id and two_b.room_id == w.consult_rooms[1].id
    # Morning: only doctor A; once booked at 09:00 that start is gone.
    nine = next(s for s in again if _starts([s]) == ["09:00"])
    _book(w, nine, patient_id=w.other_patient.id)
    assert "09:00" not in _starts(
        day_slots(session=session, clinic_id=w.clinic.id, service_id=w.consult.id, day=w.day)
    )


def test_past_and_lead_time(session: Session) -> None:
    w = sw.build(session)
    now = sw.local(w.day, 10, 5)
    starts = _starts(
        day_slots(session=session, clinic_id=w.clinic.id, service_id=w.ct.id, day=w.day, now=now)
    )
    assert starts[0] == "11:15"  # 10:05 + 1 hour lead time, on the 15-minute grid
    late = sw.local(w.day, 18)
    assert day_slots(session=session, clinic_id=w.clinic.id, service_id=w.ct.id, day=w.day, now=late) == []


def test_nearest_free_prefers_closest(session: Session) -> None:
    w = sw.build(session)
    slots = day_slots(session=session, clinic_id=w.clinic.id, service_id=w.ct.id, day=w.day)
    nine = next(s for s in slots if _starts([s]) == ["09:00"])
    _book(w, nine)
    near = nearest_free(session=session, clinic_id=w.clinic.id, service_id=w.ct.id, around=nine.start)
    assert sorted(_starts(near)) == ["08:15", "08:30", "09:30"]  # ties: the earlier first
    # Nothing free that day: the next days are searched.
    sw.close_on(session, w.clinic, w.day)
    later = nearest_free(session=session, clinic_id=w.clinic.id, service_id=w.ct.id, around=nine.start)
    assert later and all(s.start.astimezone(sw.TZ).date() > w.day for s in later)


def test_a_day_grid_is_a_fixed_number_of_queries(session: Session) -> None:
    """Speed is measured in bench/; here the shape that makes it fast: a day's grid costs the same
    few statements however many slots, rooms and bookings it weighs (no query per slot)."""
    w = sw.build(session)
    engine = session.connection().engine
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    def grid_queries() -> int:
        statements.clear()
        sa.event.listen(engine, "before_cursor_execute", count)
        try:
            slots = day_slots(session=session, clinic_id=w.clinic.id, service_id=w.consult.id, day=w.day)
        finally:
            sa.event.remove(engine, "before_cursor_execute", count)
        assert slots
        return len(statements)

    empty = grid_queries()
    for slot in day_slots(session=session, clinic_id=w.clinic.id, service_id=w.consult.id, day=w.day)[:3]:
        _book(w, slot)
    assert grid_queries() == empty <= 12, statements
    assert timedelta(hours=1) == availability.LEAD_TIME


def test_fixed_scanner_serves_its_room_and_probes_travel(session: Session) -> None:
    w = sw.build(session)
    spare = Room(clinic_id=w.clinic.id, name="Imaging 2", room_type=RoomType.IMAGING)
    exam2 = Room(clinic_id=w.clinic.id, name="Exam 2", room_type=RoomType.EXAMINATION)
    session.add_all([spare, exam2])
    session.flush()
    # Book the CT room at 09:00: the spare imaging room has no scanner, so 09:00 is gone.
    slots = day_slots(session=session, clinic_id=w.clinic.id, service_id=w.ct.id, day=w.day)
    _book(w, next(s for s in slots if _starts([s]) == ["09:00"]))
    assert "09:00" not in _starts(
        day_slots(session=session, clinic_id=w.clinic.id, service_id=w.ct.id, day=w.day)
    )
    # The ultrasound probe belongs to a room yet is portable: with US 1 taken, it goes to Exam 2.
    w.probe.room_id = w.us_room.id
    session.flush()
    us = day_slots(session=session, clinic_id=w.clinic.id, service_id=w.us.id, day=w.day)
    assert us[0].room_id == w.us_room.id
    session.add(
        MaintenanceWindow(
            clinic_id=w.clinic.id,
            room_id=w.us_room.id,
            title="Leak",
            starts_at=sw.local(w.day, 8),
            ends_at=sw.local(w.day, 12),
        )
    )
    session.flush()
    moved = day_slots(session=session, clinic_id=w.clinic.id, service_id=w.us.id, day=w.day)
    assert moved and moved[0].room_id == exam2.id and moved[0].equipment_id == w.probe.id
