"""A small, hand-made clinic for the scheduling tests: hours, rooms, equipment, shifts, services.

Clinic "SCH" (Africa/Johannesburg, UTC+2, no DST) opens 08:00-17:00 every day except on the
closure date; rooms: CT room (with the CT scanner), an ultrasound room (portable probe, no
room), two consultation rooms. Shifts on ``days``: a radiographer 08:00-17:00, a sonographer
08:00-12:00, doctor A 08:00-17:00 in consultation room 1 and doctor B 13:00-17:00 in any room.
Services: CT (30 min, scanner, referral + preparation), ultrasound (30 min, probe), GP consult
(15 min, doctor). Patients: two with logins, one with a medical aid.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlmodel import Session

from mediconnect.core.policy import Principal, principal_for
from mediconnect.models.catalog import Service, ServiceCategory
from mediconnect.models.clinics import (
    Clinic,
    ClinicClosure,
    ClinicOpeningHours,
    Equipment,
    Modality,
    Room,
    RoomType,
)
from mediconnect.models.patients import MedicalAidMembership, MedicalAidScheme, Patient
from mediconnect.models.staff import Doctor, DutyRole, DutyShift
from mediconnect.models.users import Role, User
from tests.core import factories

TZ = ZoneInfo("Africa/Johannesburg")
_seq = itertools.count(1)


def local(day: date, hh: int, mm: int = 0) -> datetime:
    """A clinic-local wall time as UTC."""
    return datetime.combine(day, time(hh, mm), tzinfo=TZ).astimezone(UTC)


def future_day(offset: int = 7) -> date:
    return datetime.now(TZ).date() + timedelta(days=offset)


@dataclass
class World:
    session: Session
    day: date
    clinic: Clinic
    ct: Service
    us: Service
    consult: Service
    ct_room: Room
    us_room: Room
    consult_rooms: list[Room]
    scanner: Equipment
    probe: Equipment
    doctor_a: Doctor
    doctor_b: Doctor
    radiographer: User
    sonographer: User
    staff_user: User
    patient_user: User
    patient: Patient
    other_patient_user: User
    other_patient: Patient
    admin: User
    extra: dict[str, object] = field(default_factory=dict)

    def principal(self, user: User) -> Principal:
        return principal_for(self.session, user=user)


def _service(session: Session, n: int, code: str, **kw: object) -> Service:
    s = Service(
        code=f"{code}{n}",
        department_name="Radiology",
        price=Decimal("1000.00"),
        cost=Decimal("100.00"),
        **kw,  # type: ignore[arg-type]
    )
    session.add(s)
    return s


def shift(
    session: Session,
    clinic: Clinic,
    user: User,
    role: DutyRole,
    day: date,
    h0: int,
    h1: int,
    room: Room | None = None,
) -> DutyShift:
    s = DutyShift(
        clinic_id=clinic.id,
        user_id=user.id,
        duty_role=role,
        starts_at=local(day, h0),
        ends_at=local(day, h1),
        room_id=room.id if room else None,
    )
    session.add(s)
    return s


def build(session: Session, *, day: date | None = None, extra_days: int = 2) -> World:
    n = next(_seq) * 1000 + factories._n()
    day = day or future_day()
    clinic = Clinic(
        code=f"SCH{n}",
        name=f"Scheduling {n}",
        address="1 Main Rd",
        city="Cape Town",
        region="Western Cape",
        timezone="Africa/Johannesburg",
    )
    session.add(clinic)
    session.flush()
    for wd in range(7):
        session.add(ClinicOpeningHours(clinic_id=clinic.id, weekday=wd, opens_at=time(8), closes_at=time(17)))
    ct_room = Room(clinic_id=clinic.id, name="CT 1", room_type=RoomType.IMAGING)
    us_room = Room(clinic_id=clinic.id, name="US 1", room_type=RoomType.EXAMINATION)
    c1 = Room(clinic_id=clinic.id, name="Consult 1", room_type=RoomType.CONSULTATION)
    c2 = Room(clinic_id=clinic.id, name="Consult 2", room_type=RoomType.CONSULTATION)
    session.add_all([ct_room, us_room, c1, c2])
    session.flush()
    scanner = Equipment(
        clinic_id=clinic.id,
        room_id=ct_room.id,
        name="CT scanner",
        modality=Modality.CT,
        serial_number=f"CT-{n}",
    )
    probe = Equipment(
        clinic_id=clinic.id,
        room_id=None,
        name="US probe",
        modality=Modality.ULTRASOUND,
        serial_number=f"US-{n}",
    )
    ct = _service(
        session,
        n,
        "CT",
        name="CT head",
        category=ServiceCategory.DIAGNOSTICS,
        modality=Modality.CT,
        duration_minutes=30,
        room_type=RoomType.IMAGING,
        requires_equipment=True,
        referral_required=True,
        preparation="No food for 4 hours before the scan.",
    )
    us = _service(
        session,
        n,
        "US",
        name="Abdominal ultrasound",
        category=ServiceCategory.DIAGNOSTICS,
        modality=Modality.ULTRASOUND,
        duration_minutes=30,
        room_type=RoomType.EXAMINATION,
        requires_equipment=True,
    )
    consult = _service(
        session,
        n,
        "GP",
        name="GP consultation",
        category=ServiceCategory.CONSULTATION,
        modality=Modality.CONSULTATION,
        duration_minutes=15,
        room_type=RoomType.CONSULTATION,
    )
    session.add_all([scanner, probe])
    session.flush()

    ua, doctor_a = factories.doctor(session, clinics=(clinic,))
    ub, doctor_b = factories.doctor(session, clinics=(clinic,))
    radiographer = factories.user(session, Role.CLINIC_STAFF)
    sonographer = factories.user(session, Role.CLINIC_STAFF)
    staff_user = factories.staff(session, Role.CLINIC_STAFF, clinics=(clinic,))
    admin = factories.user(session, Role.ADMIN)
    for d in range(extra_days + 1):
        dd = day + timedelta(days=d)
        shift(session, clinic, radiographer, DutyRole.RADIOGRAPHER, dd, 8, 17)
        shift(session, clinic, sonographer, DutyRole.SONOGRAPHER, dd, 8, 12)
        shift(session, clinic, ua, DutyRole.DOCTOR, dd, 8, 17, room=c1)
        shift(session, clinic, ub, DutyRole.DOCTOR, dd, 13, 17)
    pu, patient = factories.patient(session, with_user=True, home_clinic=clinic)
    opu, other = factories.patient(session, with_user=True)
    scheme = MedicalAidScheme(
        code=f"SC{n}", name=f"Scheme {n}", coverage_percent=Decimal("80.00"), annual_limit=Decimal("50000.00")
    )
    session.add(scheme)
    session.flush()
    session.add(
        MedicalAidMembership(
            patient_id=patient.id, scheme_id=scheme.id, policy_number=f"P{n}", valid_from=date(2020, 1, 1)
        )
    )
    session.flush()
    assert pu is not None and opu is not None
    return World(
        session,
        day,
        clinic,
        ct,
        us,
        consult,
        ct_room,
        us_room,
        [c1, c2],
        scanner,
        probe,
        doctor_a,
        doctor_b,
        radiographer,
        sonographer,
        staff_user,
        pu,
        patient,
        opu,
        other,
        admin,
    )


def close_on(session: Session, clinic: Clinic, day: date) -> None:
    session.add(ClinicClosure(clinic_id=clinic.id, closed_on=day, reason="Public holiday"))
    session.flush()


def wait_for(seen: list, name: str, timeout: float = 300.0) -> list:  # type: ignore[type-arg]
    """The events named ``name`` received so far, waiting up to ``timeout`` for the first (with
    Redis the bus delivers on its listener thread, a moment after the commit). The deadline only
    bounds a hang: a loaded machine makes the wait longer, never the test fail."""
    import time as _time

    deadline = _time.monotonic() + timeout
    while _time.monotonic() < deadline:
        found = [e for e in seen if e.name == name]
        if found:
            return found
        _time.sleep(0.02)
    return []
