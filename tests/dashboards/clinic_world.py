"""A small, hand-made clinic for the clinic-dashboard figure tests, at a fixed ``NOW``.

Clinic "Main" (Africa/Johannesburg, UTC+2, no DST): open Mon-Fri 08:00-17:00 and Sat
08:00-12:00, closed Sundays and on Friday 2026-11-13. ``NOW`` is Wednesday 2026-11-18 10:30
local. Departments Cardiology (rooms R1, R2; wait target 15), Radiology (R3; target 20),
Dermatology (R5; target 15) and an inactive "Old"; R4 is an inactive room. Equipment: CT-1 (in
R3, maintenance overdue), US-1 (a window today 14:00-16:00), US-2 (status maintenance) and a
retired X-ray. Doctors: Alice Smith (Cardiology) and Bob Jones (Radiology), one doctor whose
affiliation ended. Appointments today, this week, last week, the week before, October, earlier
this year and last year, each with a comment naming what it is for. A second clinic "Other"
holds rows that must never show up in Main's figures.

Every expected figure is worked out by hand in ``test_clinic_figures.py`` from these rows.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlmodel import Session

from mediconnect.models.appointments import Appointment, AppointmentStatus, AppointmentType
from mediconnect.models.billing import Invoice, InvoiceStatus, Payment, PaymentMethod, PaymentStatus
from mediconnect.models.clinics import (
    Clinic,
    ClinicClosure,
    ClinicEvent,
    ClinicEventType,
    ClinicOpeningHours,
    Department,
    Equipment,
    EquipmentStatus,
    MaintenanceStatus,
    MaintenanceWindow,
    Modality,
    Room,
    RoomType,
)
from mediconnect.models.patients import Patient
from mediconnect.models.reports import Feedback, Report, ReportStatus
from mediconnect.models.staff import (
    AffiliationRole,
    Doctor,
    DoctorClinicAffiliation,
    DutyRole,
    DutyShift,
    RevenueTarget,
    StaffAssignment,
    StaffingRequirement,
    StaffRole,
    TargetPeriod,
)
from mediconnect.models.users import Role, User
from tests.core import factories

TZ = ZoneInfo("Africa/Johannesburg")
TODAY = date(2026, 11, 18)  # a Wednesday
NOW = datetime(2026, 11, 18, 10, 30, tzinfo=TZ).astimezone(UTC)
_seq = itertools.count(1)

S = AppointmentStatus


def local(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=TZ).astimezone(UTC)


def d(month: int, day: int, year: int = 2026) -> date:
    return date(year, month, day)


@dataclass
class World:
    session: Session
    clinic: Clinic
    other: Clinic
    smith: Doctor
    jones: Doctor
    depts: dict[str, Department]
    rooms: dict[str, Room]
    equipment: dict[str, Equipment]
    patients: dict[str, Patient]
    appts: dict[str, Appointment] = field(default_factory=dict)
    service_id: int = 0

    def appt(
        self,
        key: str,
        *,
        patient: str,
        day: date,
        hh: int,
        mm: int = 0,
        minutes: int = 30,
        status: AppointmentStatus,
        price: str,
        doctor: Doctor | None = None,
        dept: str | None = None,
        room: str | None = None,
        equipment: str | None = None,
        clinic: Clinic | None = None,
        checked_in: int | None = None,
        started: int | None = None,
        ended: int | None = None,
    ) -> Appointment:
        """Offsets are minutes after the scheduled start. Completed visits default to a check-in
        5 min early, a start 3 min late and an end on schedule."""
        start = local(day, hh, mm)
        end = start + timedelta(minutes=minutes)
        if status in (S.COMPLETED, S.IN_PROGRESS):
            checked_in = -5 if checked_in is None else checked_in
            started = 3 if started is None else started
        if status is S.COMPLETED and ended is None:
            ended = minutes
        a = Appointment(
            patient_id=self.patients[patient].id,
            clinic_id=(clinic or self.clinic).id,
            service_id=self.service_id,
            doctor_id=doctor.id if doctor else None,
            department_id=self.depts[dept].id if dept else None,
            room_id=self.rooms[room].id if room else None,
            equipment_id=self.equipment[equipment].id if equipment else None,
            appointment_type=AppointmentType.CONSULTATION,
            status=status,
            scheduled_start=start,
            scheduled_end=end,
            price=Decimal(price),
            checked_in_at=start + timedelta(minutes=checked_in) if checked_in is not None else None,
            started_at=start + timedelta(minutes=started) if started is not None else None,
            ended_at=start + timedelta(minutes=ended) if ended is not None else None,
            cancelled_at=start - timedelta(days=1) if status is S.CANCELLED else None,
            no_show_recorded_at=start + timedelta(minutes=30) if status is S.NO_SHOW else None,
        )
        self.session.add(a)
        self.session.flush()
        self.appts[key] = a
        return a


def _user(session: Session, role: Role, first: str, last: str) -> User:
    u = User(email=f"cw{next(_seq)}@example.test", role=role, first_name=first, last_name=last)
    session.add(u)
    session.flush()
    return u


def _doctor(session: Session, first: str, last: str, specialization: str) -> tuple[User, Doctor]:
    u = _user(session, Role.DOCTOR, first, last)
    doc = Doctor(user_id=u.id, specialization=specialization, license_number=f"CW{next(_seq)}")
    session.add(doc)
    session.flush()
    return u, doc


def _clinic(session: Session, code: str, name: str) -> Clinic:
    c = Clinic(
        code=code,
        name=name,
        address="1 Main Rd",
        city="Cape Town",
        region="Western Cape",
        timezone="Africa/Johannesburg",
        established=date(2015, 3, 1),
        accreditation="JCI Accredited",
    )
    session.add(c)
    session.flush()
    return c


def build(session: Session) -> World:
    s = session
    n = next(_seq)
    clinic = _clinic(s, f"CWM{n}", "Main")
    other = _clinic(s, f"CWO{n}", "Other")
    for c in (clinic, other):
        for wd in range(5):
            s.add(ClinicOpeningHours(clinic_id=c.id, weekday=wd, opens_at=time(8), closes_at=time(17)))
        s.add(ClinicOpeningHours(clinic_id=c.id, weekday=5, opens_at=time(8), closes_at=time(12)))
    s.add(ClinicClosure(clinic_id=clinic.id, closed_on=d(11, 13), reason="Training day"))

    depts = {
        "card": Department(clinic_id=clinic.id, name="Cardiology", wait_time_target_minutes=15.0),
        "rad": Department(clinic_id=clinic.id, name="Radiology", wait_time_target_minutes=20.0),
        "derm": Department(clinic_id=clinic.id, name="Dermatology", wait_time_target_minutes=15.0),
        "old": Department(clinic_id=clinic.id, name="Old", is_active=False),
        "o_card": Department(clinic_id=other.id, name="Cardiology"),
    }
    s.add_all(depts.values())
    s.flush()
    rooms = {
        "R1": Room(
            clinic_id=clinic.id, department_id=depts["card"].id, name="R1", room_type=RoomType.EXAMINATION
        ),
        "R2": Room(
            clinic_id=clinic.id, department_id=depts["card"].id, name="R2", room_type=RoomType.CONSULTATION
        ),
        "R3": Room(clinic_id=clinic.id, department_id=depts["rad"].id, name="R3", room_type=RoomType.IMAGING),
        "R4": Room(
            clinic_id=clinic.id,
            department_id=depts["card"].id,
            name="R4",
            room_type=RoomType.EXAMINATION,
            is_active=False,
        ),
        "R5": Room(
            clinic_id=clinic.id, department_id=depts["derm"].id, name="R5", room_type=RoomType.EXAMINATION
        ),
        "O1": Room(
            clinic_id=other.id, department_id=depts["o_card"].id, name="O1", room_type=RoomType.EXAMINATION
        ),
    }
    s.add_all(rooms.values())
    s.flush()
    equipment = {
        "CT-1": Equipment(
            clinic_id=clinic.id,
            room_id=rooms["R3"].id,
            name="CT-1",
            modality=Modality.CT,
            last_maintenance_at=local(d(8, 10), 10),  # + 90 days = 2026-11-08: overdue by 10
            maintenance_interval_days=90,
        ),
        "US-1": Equipment(
            clinic_id=clinic.id,
            name="US-1",
            modality=Modality.ULTRASOUND,
            last_maintenance_at=local(d(11, 1), 10),
            maintenance_interval_days=90,
        ),
        "US-2": Equipment(
            clinic_id=clinic.id,
            name="US-2",
            modality=Modality.ULTRASOUND,
            status=EquipmentStatus.MAINTENANCE,
            last_maintenance_at=local(d(11, 1), 10),
        ),
        "XR-old": Equipment(
            clinic_id=clinic.id,
            name="XR-old",
            modality=Modality.XRAY,
            status=EquipmentStatus.RETIRED,
            last_maintenance_at=local(d(1, 1), 10),
        ),
        "O-CT": Equipment(
            clinic_id=other.id, name="O-CT", modality=Modality.CT, last_maintenance_at=local(d(1, 1), 10)
        ),
    }
    s.add_all(equipment.values())
    s.flush()

    def window(title: str, start: datetime, end: datetime, **kw: object) -> None:
        s.add(
            MaintenanceWindow(
                clinic_id=kw.pop("clinic_id", clinic.id), title=title, starts_at=start, ends_at=end, **kw
            )
        )

    window("US-1 service", local(TODAY, 14), local(TODAY, 16), equipment_id=equipment["US-1"].id)
    window(
        "HVAC System Maintenance",
        local(d(11, 21), 6),
        local(d(11, 21), 10),
        impact="Minimal - backup systems available",
    )
    window("R2 repaint", local(TODAY, 8), local(TODAY, 9), room_id=rooms["R2"].id)  # already under way
    window("Cancelled", local(d(11, 19), 8), local(d(11, 19), 17), status=MaintenanceStatus.CANCELLED)
    window("Other clinic", local(d(11, 19), 8), local(d(11, 19), 17), clinic_id=other.id)
    for c, title, start, end, kind in (
        (
            clinic,
            "Nursing Education Session",
            local(d(11, 23), 14),
            local(d(11, 23), 16, 30),
            ClinicEventType.STAFF_SESSION,
        ),
        (clinic, "Too far ahead", local(d(12, 10), 9), local(d(12, 10), 10), ClinicEventType.TRAINING),
        (clinic, "Already past", local(d(11, 17), 9), local(d(11, 17), 10), ClinicEventType.TRAINING),
        (other, "Other clinic event", local(d(11, 20), 9), local(d(11, 20), 10), ClinicEventType.INSPECTION),
    ):
        s.add(
            ClinicEvent(
                clinic_id=c.id,
                event_type=kind,
                title=title,
                starts_at=start,
                ends_at=end,
                attendees=15,
                capacity_reduction=0.3,
            )
        )

    smith_user, smith = _doctor(s, "Alice", "Smith", "Cardiology")
    jones_user, jones = _doctor(s, "Bob", "Jones", "Radiology")
    _, former = _doctor(s, "Carl", "Former", "Radiology")
    s.add_all(
        [
            DoctorClinicAffiliation(
                doctor_id=smith.id,
                clinic_id=clinic.id,
                department_id=depts["card"].id,
                role=AffiliationRole.ATTENDING,
            ),
            DoctorClinicAffiliation(
                doctor_id=jones.id,
                clinic_id=clinic.id,
                department_id=depts["rad"].id,
                role=AffiliationRole.RADIOLOGIST,
            ),
            DoctorClinicAffiliation(
                doctor_id=former.id, clinic_id=clinic.id, role=AffiliationRole.VISITING, ended_on=d(10, 1)
            ),
            DoctorClinicAffiliation(doctor_id=smith.id, clinic_id=other.id, role=AffiliationRole.VISITING),
        ]
    )
    nurse = _user(s, Role.CLINIC_STAFF, "Nia", "Nurse")
    clerk = _user(s, Role.CLINIC_STAFF, "Rae", "Reception")
    gone = _user(s, Role.CLINIC_STAFF, "Gus", "Gone")
    later = _user(s, Role.CLINIC_STAFF, "Liv", "Later")
    spare = _user(s, Role.CLINIC_STAFF, "Sam", "Spare")
    other_clerk = _user(s, Role.CLINIC_STAFF, "Oli", "Other")
    s.add_all(
        [
            StaffAssignment(user_id=nurse.id, clinic_id=clinic.id, staff_role=StaffRole.NURSE),
            StaffAssignment(user_id=clerk.id, clinic_id=clinic.id, staff_role=StaffRole.RECEPTIONIST),
            StaffAssignment(user_id=smith_user.id, clinic_id=clinic.id, staff_role=StaffRole.MANAGER),
            StaffAssignment(
                user_id=gone.id, clinic_id=clinic.id, staff_role=StaffRole.SUPPORT, ends_on=d(11, 1)
            ),
            StaffAssignment(
                user_id=later.id, clinic_id=clinic.id, staff_role=StaffRole.SUPPORT, starts_on=d(12, 1)
            ),
            StaffAssignment(user_id=other_clerk.id, clinic_id=other.id, staff_role=StaffRole.RECEPTIONIST),
        ]
    )

    def shift(user: User, role: DutyRole, day: date, start: int, end: int, **kw: object) -> None:
        s.add(
            DutyShift(
                clinic_id=kw.pop("clinic_id", clinic.id),
                user_id=user.id,
                duty_role=role,
                starts_at=local(day, start),
                ends_at=local(day, end),
                **kw,
            )
        )

    shift(smith_user, DutyRole.DOCTOR, TODAY, 8, 17)
    shift(nurse, DutyRole.NURSE, TODAY, 8, 17)
    shift(clerk, DutyRole.RECEPTION, TODAY, 8, 12)
    shift(jones_user, DutyRole.RADIOLOGIST, TODAY, 12, 17)  # not yet on duty at 10:30
    shift(spare, DutyRole.NURSE, TODAY, 8, 17, cancelled=True)
    shift(other_clerk, DutyRole.RECEPTION, TODAY, 8, 17, clinic_id=other.id)
    shift(smith_user, DutyRole.DOCTOR, d(11, 19), 8, 17)  # Thursday's doctor requirement is met
    shift(nurse, DutyRole.NURSE, d(11, 24), 8, 17)  # Tuesday: 1 of the 2 nurses required
    shift(other_clerk, DutyRole.RECEPTION, d(11, 20), 8, 17, clinic_id=other.id)  # not Main's
    s.add_all(
        [
            StaffingRequirement(clinic_id=clinic.id, weekday=3, duty_role=DutyRole.DOCTOR, min_count=1),
            StaffingRequirement(clinic_id=clinic.id, weekday=4, duty_role=DutyRole.RECEPTION, min_count=1),
            StaffingRequirement(clinic_id=clinic.id, weekday=1, duty_role=DutyRole.NURSE, min_count=2),
            StaffingRequirement(clinic_id=other.id, weekday=0, duty_role=DutyRole.NURSE, min_count=5),
        ]
    )
    s.add_all(
        [
            RevenueTarget(
                clinic_id=clinic.id, period=TargetPeriod.WEEK, amount=Decimal("5000"), effective_from=d(1, 1)
            ),
            RevenueTarget(
                clinic_id=clinic.id,
                period=TargetPeriod.WEEK,
                amount=Decimal("9999"),
                effective_from=d(11, 16),
            ),
            RevenueTarget(
                clinic_id=clinic.id,
                period=TargetPeriod.MONTH,
                amount=Decimal("20000"),
                effective_from=d(1, 1),
            ),
            RevenueTarget(
                clinic_id=other.id, period=TargetPeriod.WEEK, amount=Decimal("1"), effective_from=d(1, 1)
            ),
        ]
    )

    patients = {}
    for key in ("P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9"):
        _, patients[key] = factories.patient(s)
    svc = factories.service(s)
    w = World(s, clinic, other, smith, jones, depts, rooms, equipment, patients, service_id=svc.id or 0)
    _appointments(w)
    _money_and_feedback(w)
    s.flush()
    return w


def _appointments(w: World) -> None:
    sm, jo = w.smith, w.jones
    card = {"doctor": sm, "dept": "card"}
    rad = {"doctor": jo, "dept": "rad"}
    # Today, Wednesday 2026-11-18 (NOW 10:30).
    w.appt(
        "a1",
        patient="P1",
        day=TODAY,
        hh=8,
        status=S.COMPLETED,
        price="500",
        room="R1",
        checked_in=-5,
        started=2,
        **card,
    )
    w.appt(
        "a2",
        patient="P2",
        day=TODAY,
        hh=9,
        status=S.COMPLETED,
        price="500",
        room="R1",
        checked_in=-10,
        started=10,
        ended=35,
        **card,
    )
    w.appt(
        "a3",
        patient="P3",
        day=TODAY,
        hh=10,
        minutes=60,
        status=S.IN_PROGRESS,
        price="2000",
        room="R3",
        equipment="CT-1",
        started=5,
        **rad,
    )
    w.appt(
        "a4",
        patient="P4",
        day=TODAY,
        hh=10,
        mm=15,
        status=S.CHECKED_IN,
        price="500",
        room="R2",
        checked_in=-5,
        **card,
    )
    w.appt(
        "a5", patient="P5", day=TODAY, hh=11, status=S.BOOKED, price="800", room="R3", equipment="US-1", **rad
    )
    w.appt("a6", patient="P6", day=TODAY, hh=8, mm=30, status=S.NO_SHOW, price="500", room="R1", **card)
    w.appt("a7", patient="P1", day=TODAY, hh=12, status=S.CANCELLED, price="500", room="R2", **card)
    w.appt(
        "a8",
        patient="P9",
        day=TODAY,
        hh=8,
        minutes=540,
        status=S.CONFIRMED,
        price="300",
        room="R5",
        dept="derm",
    )
    w.appt("x1", patient="P1", day=TODAY, hh=13, status=S.COMPLETED, price="999", clinic=w.other, doctor=sm)
    # The rest of this week (Monday 16 .. Sunday 22).
    w.appt(
        "d1",
        patient="P3",
        day=d(11, 16),
        hh=9,
        minutes=60,
        status=S.COMPLETED,
        price="1500",
        room="R3",
        equipment="CT-1",
        **rad,
    )
    w.appt("d2", patient="P6", day=d(11, 19), hh=9, status=S.BOOKED, price="500", room="R1", **card)
    w.appt("d3", patient="P8", day=d(11, 17), hh=9, status=S.CANCELLED, price="500", room="R2", **card)
    # Last week (Monday 9 .. Sunday 15; closed Friday 13).
    w.appt("b1", patient="P1", day=d(11, 9), hh=10, status=S.COMPLETED, price="500", room="R1", **card)
    w.appt(
        "b2",
        patient="P6",
        day=d(11, 9),
        hh=10,
        mm=30,
        status=S.COMPLETED,
        price="500",
        room="R1",
        started=8,
        **card,
    )
    w.appt(
        "b3",
        patient="P7",
        day=d(11, 10),
        hh=14,
        minutes=60,
        status=S.COMPLETED,
        price="2000",
        room="R3",
        **rad,
    )
    w.appt("b4", patient="P5", day=d(11, 9), hh=11, status=S.CANCELLED, price="800", room="R3", **rad)
    w.appt("b5", patient="P8", day=d(11, 11), hh=10, status=S.NO_SHOW, price="500", room="R2", **card)
    w.appt("b6", patient="P1", day=d(11, 9), hh=15, status=S.COMPLETED, price="500", room="R1", **card)
    w.appt(
        "x2", patient="P7", day=d(11, 10), hh=10, status=S.COMPLETED, price="777", clinic=w.other, doctor=jo
    )
    # The week before (2 .. 8 November).
    w.appt(
        "c1", patient="P3", day=d(11, 3), hh=9, minutes=60, status=S.COMPLETED, price="1000", room="R3", **rad
    )
    # October.
    w.appt(
        "o1",
        patient="P3",
        day=d(10, 5),
        hh=10,
        minutes=60,
        status=S.COMPLETED,
        price="1200",
        room="R3",
        **rad,
    )
    w.appt("o2", patient="P6", day=d(10, 6), hh=10, status=S.NO_SHOW, price="500", room="R1", **card)
    w.appt("o3", patient="P1", day=d(10, 26), hh=10, status=S.COMPLETED, price="500", room="R1", **card)
    # Earlier this year, and last year.
    w.appt("y1", patient="P1", day=d(3, 10), hh=10, status=S.COMPLETED, price="500", room="R1", **card)
    w.appt("y2", patient="P6", day=d(6, 15), hh=10, status=S.COMPLETED, price="600", room="R1", **card)
    w.appt("z1", patient="P1", day=d(12, 1, 2025), hh=10, status=S.COMPLETED, price="700", room="R1", **card)


def _money_and_feedback(w: World) -> None:
    s, a = w.session, w.appts
    for key, rating in (
        ("a1", 5),
        ("a2", 4),
        ("b1", 3),
        ("b3", 4),
        ("d1", 5),
        ("c1", 2),
        ("o1", 3),
        ("o3", 4),
        ("x1", 1),
        ("x2", 1),
    ):
        s.add(Feedback(appointment_id=a[key].id, patient_id=a[key].patient_id, overall_rating=rating))
    for key, signed_after in (
        ("b1", timedelta(hours=2)),
        ("b6", timedelta(hours=30)),
        ("a1", None),
        ("b3", timedelta(hours=5)),
        ("d1", timedelta(hours=1)),
        ("c1", None),
    ):
        appt = a[key]
        assert appt.ended_at is not None
        s.add(
            Report(
                appointment_id=appt.id,
                patient_id=appt.patient_id,
                author_doctor_id=appt.doctor_id,
                status=ReportStatus.FINAL if signed_after else ReportStatus.DRAFT,
                signed_at=appt.ended_at + signed_after if signed_after else None,
            )
        )

    def invoice(
        key: str | None,
        total: str,
        paid: str,
        status: InvoiceStatus,
        issued: datetime,
        paid_at: datetime | None = None,
        clinic: Clinic | None = None,
    ) -> Invoice:
        appt = a[key] if key else None
        inv = Invoice(
            number=f"CW-{next(_seq):06d}",
            appointment_id=appt.id if appt else None,
            patient_id=appt.patient_id if appt else w.patients["P9"].id,
            clinic_id=(clinic or w.clinic).id,
            status=status,
            subtotal=Decimal(total),
            patient_portion=Decimal(total),
            total=Decimal(total),
            amount_paid=Decimal(paid),
            issued_at=issued,
            due_date=issued.date() + timedelta(days=30),
            paid_at=paid_at,
        )
        s.add(inv)
        s.flush()
        return inv

    inv1 = invoice(
        "b1",
        "500",
        "500",
        InvoiceStatus.PAID,
        datetime(2026, 11, 9, 12, tzinfo=UTC),
        datetime(2026, 11, 12, 12, tzinfo=UTC),
    )
    inv2 = invoice("b3", "2000", "500", InvoiceStatus.PARTIALLY_PAID, datetime(2026, 11, 10, 14, tzinfo=UTC))
    inv3 = invoice("b6", "500", "0", InvoiceStatus.SENT, datetime(2026, 11, 9, 14, tzinfo=UTC))
    inv4 = invoice(
        "y1",
        "500",
        "500",
        InvoiceStatus.PAID,
        datetime(2026, 3, 10, 12, tzinfo=UTC),
        datetime(2026, 9, 1, 12, tzinfo=UTC),
    )
    invoice("y2", "600", "0", InvoiceStatus.OVERDUE, datetime(2026, 6, 15, 12, tzinfo=UTC))
    invoice("a8", "300", "0", InvoiceStatus.DRAFT, datetime(2026, 11, 18, 7, tzinfo=UTC))
    invoice(None, "400", "0", InvoiceStatus.CANCELLED, datetime(2026, 11, 2, 7, tzinfo=UTC))
    inv8 = invoice(
        "d1",
        "1500",
        "1500",
        InvoiceStatus.PAID,
        datetime(2026, 11, 16, 10, tzinfo=UTC),
        datetime(2026, 11, 16, 12, tzinfo=UTC),
    )
    other_inv = invoice(
        "x2",
        "9999",
        "999",
        InvoiceStatus.PARTIALLY_PAID,
        datetime(2026, 11, 10, 12, tzinfo=UTC),
        clinic=w.other,
    )

    def pay(
        inv: Invoice, amount: str, method: PaymentMethod, status: PaymentStatus = PaymentStatus.COMPLETED
    ) -> None:
        s.add(
            Payment(
                invoice_id=inv.id,
                amount=Decimal(amount),
                method=method,
                status=status,
                completed_at=inv.issued_at + timedelta(hours=1)
                if status is PaymentStatus.COMPLETED
                else None,
            )
        )

    pay(inv1, "500", PaymentMethod.CARD)
    pay(inv2, "500", PaymentMethod.INSURANCE)
    pay(inv8, "1000", PaymentMethod.INSURANCE)
    pay(inv8, "500", PaymentMethod.CASH)
    pay(inv3, "200", PaymentMethod.CARD, PaymentStatus.FAILED)
    pay(inv4, "500", PaymentMethod.BANK_TRANSFER)
    pay(other_inv, "999", PaymentMethod.CASH)
