"""A small, hand-made practice for the doctor-dashboard figure tests, at a fixed ``NOW``.

``NOW`` is Wednesday 2026-11-18 10:30 in Africa/Johannesburg (UTC+2, no DST). Dr. Alice Smith
(Cardiology) works at "Main" (primary, attending) and "North" (consultant); her affiliation
with "Old" ended in June. Dr. Bob Jones also works at Main: his rows (``b*``) must never show in
Smith's figures.

Smith's appointments, by key (times local; offsets in minutes after the scheduled start for
check-in ``ci``, start ``st`` and end ``en``):

* 2025: ``y1`` P6 completed (P6's first visit).
* October: ``o1`` 10-01 P2 completed 500 (P2's first; follow-up due 11-06), ``o2`` 10-05 P4
  cancelled, ``o3`` 10-20 P3 completed 400 (P3's first; follow-up due 11-03), ``o4`` 10-08 P8
  completed 250 (P8's first; follow-up due 10-22, never answered: ``o5`` 10-21 cancelled,
  ``o6`` 10-23 no-show).
* Week before last (11-02..11-08): ``v1`` P3 completed 450 (ci -5 st 0 en 40), ``v2`` P6
  completed 350 (ci -5 st 2 en 32), ``v3`` P2 no-show 200, ``v4`` P9 completed 250 (ci -5 st 0
  en 20; P9's first; follow-up due 11-12, never answered; a plain consultation: owes no report).
* Last week (11-09..11-15): ``w1`` P1 completed 600 (ci -5 st 0 en 30; P1's first; insured
  invoice; follow-up due 11-16), ``w2`` P2 completed 400 (ci -10 st 8 en 38; private invoice;
  follow-up due 11-16), ``w3`` P3 cancelled 300, ``w4`` P5 no-show 200 (P5's first), ``w5`` P6
  completed 500 (ci -2 st 1 en 21; no invoice).
* This week before today: ``m1`` 11-16 P2 completed 300 (ci -5 st 0 en 31).
* Today: ``t1`` 08:00 P1 completed 500 (ci -10 st 0 en 25), ``t2`` 08:30 P2 completed 300
  (ci -5 st 10 en 40), ``t3`` 09:00 P3 completed 400 (ci 0 st 5 en 25), ``t4`` 09:30 P4
  cancelled, ``t5`` 10:00 P5 no-show, ``t6`` 10:15 P6 in progress (ci -16 st 2), ``t7`` 14:00 P1
  booked, ``t8`` 15:00 P4 confirmed (P4's first non-cancelled), ``t9`` 16:00 P3 booked at North.
* Later: ``m2`` 11-20 P6 booked, ``m3`` 11-24 P5 booked, ``m4`` 11-30 P2 confirmed.

Reports (signed relative to the visit's end): v1 +2 h, v2 +30 h, w1 +23 h, m1 +23.5 h, t1 +35
min; w2 a draft; none for the others. Feedback: w1 (5,4,5,5,4; billing 1), w2 (4 only), v1
(3,3,3,3,3), m1 (4,4,4,5,3), t1 (5 only). Clinical data, messages and lab tests are described
where they are made. Every expected figure is worked out by hand in the tests.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from mediconnect.models.appointments import Appointment, AppointmentStatus, AppointmentType
from mediconnect.models.billing import Invoice
from mediconnect.models.catalog import Service, ServiceCategory
from mediconnect.models.clinical import (
    Condition,
    ConditionStatus,
    LabTest,
    LabTestStatus,
    Medication,
    MedicationInteraction,
    Message,
    Prescription,
    PrescriptionStatus,
    VitalSign,
)
from mediconnect.models.clinics import Clinic, Modality, RoomType
from mediconnect.models.patients import Patient
from mediconnect.models.reports import Feedback, Report, ReportStatus
from mediconnect.models.staff import (
    AffiliationRole,
    Doctor,
    DoctorClinicAffiliation,
    RevenueTarget,
    TargetPeriod,
)
from mediconnect.models.users import Role, User

TZ = ZoneInfo("Africa/Johannesburg")
TODAY = date(2026, 11, 18)
NOW = datetime(2026, 11, 18, 10, 30, tzinfo=TZ).astimezone(UTC)
S = AppointmentStatus
_seq = itertools.count(1)


def local(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=TZ).astimezone(UTC)


def d(month: int, day: int, year: int = 2026) -> date:
    return date(year, month, day)


@dataclass
class World:
    session: Session
    main: Clinic
    north: Clinic
    smith_user: User
    smith: Doctor
    jones_user: User
    jones: Doctor
    patients: dict[str, Patient]
    services: dict[str, Service]
    appts: dict[str, Appointment] = field(default_factory=dict)

    def appt(
        self,
        key: str,
        patient: str,
        day: date,
        hh: int,
        mm: int = 0,
        *,
        status: AppointmentStatus,
        price: str,
        minutes: int = 30,
        ci: int | None = None,
        st: int | None = None,
        en: int | None = None,
        doctor: Doctor | None = None,
        clinic: Clinic | None = None,
        service: str = "consult",
        kind: AppointmentType = AppointmentType.CONSULTATION,
        follow_up: date | None = None,
        notes: str | None = None,
    ) -> Appointment:
        start = local(day, hh, mm)
        a = Appointment(
            patient_id=self.patients[patient].id,
            clinic_id=(clinic or self.main).id,
            service_id=self.services[service].id,
            doctor_id=(doctor or self.smith).id,
            appointment_type=kind,
            status=status,
            scheduled_start=start,
            scheduled_end=start + timedelta(minutes=minutes),
            price=Decimal(price),
            notes=notes,
            checked_in_at=start + timedelta(minutes=ci) if ci is not None else None,
            started_at=start + timedelta(minutes=st) if st is not None else None,
            ended_at=start + timedelta(minutes=en) if en is not None else None,
            cancelled_at=start - timedelta(days=1) if status is S.CANCELLED else None,
            no_show_recorded_at=start + timedelta(minutes=30) if status is S.NO_SHOW else None,
            follow_up_due_on=follow_up,
        )
        self.session.add(a)
        self.session.flush()
        self.appts[key] = a
        return a

    def add(self, *rows: object) -> None:
        for row in rows:
            self.session.add(row)
        self.session.flush()


def _user(session: Session, role: Role, first: str, last: str) -> User:
    u = User(email=f"dw{next(_seq)}@example.test", role=role, first_name=first, last_name=last)
    session.add(u)
    session.flush()
    return u


def _clinic(session: Session, name: str) -> Clinic:
    c = Clinic(
        code=f"DW{next(_seq)}",
        name=name,
        address="1 Main Rd",
        city="Cape Town",
        region="Western Cape",
        timezone="Africa/Johannesburg",
    )
    session.add(c)
    session.flush()
    return c


def _service(session: Session, name: str, items: list[str], text: str | None, modality: Modality) -> Service:
    s = Service(
        code=f"DWS{next(_seq)}",
        name=name,
        category=ServiceCategory.CONSULTATION,
        modality=modality,
        department_name="Cardiology",
        duration_minutes=30,
        price=Decimal("500.00"),
        cost=Decimal("50.00"),
        room_type=RoomType.CONSULTATION,
        preparation=text,
        preparation_items=items,
    )
    session.add(s)
    session.flush()
    return s


def _medication(session: Session, name: str) -> Medication:
    found = session.exec(select(Medication).where(Medication.name == name)).first()
    if found is not None:
        return found
    m = Medication(name=name, drug_class="test")
    session.add(m)
    session.flush()
    return m


def _interaction(session: Session, a: Medication, b: Medication, severity: str) -> None:
    lo, hi = sorted((a.id or 0, b.id or 0))
    found = session.exec(
        select(MedicationInteraction).where(
            MedicationInteraction.medication_a_id == lo, MedicationInteraction.medication_b_id == hi
        )
    ).first()
    if found is None:
        session.add(
            MedicationInteraction(
                medication_a_id=lo, medication_b_id=hi, severity=severity, description="test"
            )
        )
    else:
        found.severity = severity
        session.add(found)
    session.flush()


PATIENTS = {
    "P1": ("Ann", "Able", date(1980, 5, 20)),
    "P2": ("Ben", "Brown", date(1990, 12, 1)),
    "P3": ("Cat", "Cole", date(1975, 11, 18)),
    "P4": ("Dan", "Dube", date(2000, 1, 1)),
    "P5": ("Eve", "East", date(1965, 3, 3)),
    "P6": ("Fay", "Fox", date(1955, 7, 7)),
    "P7": ("Gus", "Gray", date(1985, 2, 2)),
    "P8": ("Hal", "Hill", date(1970, 1, 15)),
    "P9": ("Ivy", "Ink", date(1992, 6, 30)),
}


def build(session: Session) -> World:
    main, north, old = _clinic(session, "Main"), _clinic(session, "North"), _clinic(session, "Old")
    smith_user = _user(session, Role.DOCTOR, "Alice", "Smith")
    jones_user = _user(session, Role.DOCTOR, "Bob", "Jones")
    smith = Doctor(user_id=smith_user.id, specialization="Cardiology", license_number=f"DWL{next(_seq)}")
    jones = Doctor(user_id=jones_user.id, specialization="Radiology", license_number=f"DWL{next(_seq)}")
    session.add_all([smith, jones])
    session.flush()
    session.add_all(
        [
            DoctorClinicAffiliation(
                doctor_id=smith.id, clinic_id=north.id, role=AffiliationRole.CONSULTANT, is_primary=False
            ),
            DoctorClinicAffiliation(
                doctor_id=smith.id, clinic_id=main.id, role=AffiliationRole.ATTENDING, is_primary=True
            ),
            DoctorClinicAffiliation(
                doctor_id=smith.id, clinic_id=old.id, role=AffiliationRole.VISITING, ended_on=d(6, 30)
            ),
            DoctorClinicAffiliation(doctor_id=jones.id, clinic_id=main.id, role=AffiliationRole.ATTENDING),
        ]
    )
    patients = {}
    for key, (first, last, born) in PATIENTS.items():
        p = Patient(first_name=first, last_name=last, date_of_birth=born)
        session.add(p)
        patients[key] = p
    session.flush()
    services = {
        # A visit with an ECG ends in a signed report; a plain consultation owes none.
        "consult": _service(
            session, "Cardiology consult with ECG", ["Recent labs", "Blood pressure log"], None, Modality.ECG
        ),
        "echo": _service(
            session, "Echo", [], "Wear loose clothing. Bring previous reports", Modality.ULTRASOUND
        ),
        "plain": _service(session, "Plain visit", [], None, Modality.CONSULTATION),
    }
    w = World(session, main, north, smith_user, smith, jones_user, jones, patients, services)
    _appointments(w)
    _paperwork(w)
    _clinical(w)
    return w


def _appointments(w: World) -> None:
    C, X, N, B = S.COMPLETED, S.CANCELLED, S.NO_SHOW, S.BOOKED
    w.appt(
        "y1",
        "P6",
        date(2025, 6, 10),
        9,
        status=C,
        price="400",
        ci=-5,
        st=0,
        en=30,
        follow_up=date(2025, 7, 1),
    )
    w.appt("o1", "P2", d(10, 1), 9, status=C, price="500", ci=-5, st=0, en=30, follow_up=d(11, 6))
    w.appt("o2", "P4", d(10, 5), 9, status=X, price="200")
    w.appt("o3", "P3", d(10, 20), 9, status=C, price="400", ci=-5, st=0, en=30, follow_up=d(11, 3))
    w.appt("o4", "P8", d(10, 8), 9, status=C, price="250", ci=-5, st=0, en=30, follow_up=d(10, 22))
    w.appt("o5", "P8", d(10, 21), 9, status=X, price="250")
    w.appt("o6", "P8", d(10, 23), 9, status=N, price="250")

    w.appt("v1", "P3", d(11, 2), 9, status=C, price="450", ci=-5, st=0, en=40, minutes=45)
    w.appt("v2", "P6", d(11, 3), 9, status=C, price="350", ci=-5, st=2, en=32)
    w.appt("v3", "P2", d(11, 5), 9, status=N, price="200")
    w.appt(
        "v4",
        "P9",
        d(11, 6),
        9,
        status=C,
        price="250",
        ci=-5,
        st=0,
        en=20,
        follow_up=d(11, 12),
        service="plain",
    )

    w.appt("w1", "P1", d(11, 9), 9, status=C, price="600", ci=-5, st=0, en=30, follow_up=d(11, 16))
    w.appt("w2", "P2", d(11, 10), 10, status=C, price="400", ci=-10, st=8, en=38, follow_up=d(11, 16))
    w.appt("w3", "P3", d(11, 11), 11, status=X, price="300")
    w.appt("w4", "P5", d(11, 12), 9, status=N, price="200")
    w.appt("w5", "P6", d(11, 13), 14, status=C, price="500", ci=-2, st=1, en=21)

    w.appt("m1", "P2", d(11, 16), 9, status=C, price="300", ci=-5, st=0, en=31, follow_up=d(11, 25))

    w.appt("t1", "P1", TODAY, 8, status=C, price="500", ci=-10, st=0, en=25)
    w.appt("t2", "P2", TODAY, 8, 30, status=C, price="300", ci=-5, st=10, en=40)
    w.appt("t3", "P3", TODAY, 9, status=C, price="400", ci=0, st=5, en=25)
    w.appt("t4", "P4", TODAY, 9, 30, status=X, price="200")
    w.appt("t5", "P5", TODAY, 10, status=N, price="250")
    w.appt("t6", "P6", TODAY, 10, 15, status=S.IN_PROGRESS, price="350", ci=-16, st=2, notes="INR review")
    w.appt("t7", "P1", TODAY, 14, status=B, price="500", service="echo", kind=AppointmentType.FOLLOW_UP)
    w.appt(
        "t8",
        "P4",
        TODAY,
        15,
        status=S.CONFIRMED,
        price="200",
        service="plain",
        kind=AppointmentType.NEW_PATIENT,
    )
    w.appt("t9", "P3", TODAY, 16, status=B, price="450", minutes=20, clinic=w.north)

    w.appt("m2", "P6", d(11, 20), 10, status=B, price="350")
    w.appt("m3", "P5", d(11, 24), 9, status=B, price="250")
    w.appt("m4", "P2", d(11, 30), 9, status=S.CONFIRMED, price="300")

    # Jones's rows: same clinic, same days, some of Smith's patients. None may count for Smith.
    jones = w.jones
    w.appt("b1", "P7", TODAY, 8, status=C, price="1000", ci=-30, st=20, en=80, minutes=60, doctor=jones)
    w.appt(
        "b2", "P1", d(11, 10), 9, status=C, price="800", ci=-5, st=0, en=50, doctor=jones, follow_up=d(11, 12)
    )
    w.appt("b3", "P4", d(11, 11), 9, status=C, price="700", ci=-5, st=0, en=30, doctor=jones)
    w.appt("b4", "P7", d(11, 20), 9, status=B, price="900", doctor=jones)


def _paperwork(w: World) -> None:
    a = w.appts
    smith = w.smith

    def end(key: str) -> datetime:
        appt = a[key]
        assert appt.ended_at is not None
        return appt.ended_at

    def report(key: str, signed: datetime | None, status: ReportStatus = ReportStatus.FINAL) -> Report:
        return Report(
            appointment_id=a[key].id,
            patient_id=a[key].patient_id,
            author_doctor_id=a[key].doctor_id,
            status=status,
            signed_by_id=a[key].doctor_id if signed else None,
            signed_at=signed,
        )

    w.add(
        report("v1", end("v1") + timedelta(hours=2)),
        report("v2", end("v2") + timedelta(hours=30)),
        report("w1", end("w1") + timedelta(hours=23)),
        report("w2", None, ReportStatus.DRAFT),
        report("m1", end("m1") + timedelta(hours=23, minutes=30)),
        report("t1", end("t1") + timedelta(minutes=35)),
        report("b1", None, ReportStatus.DRAFT),
    )

    def invoice(key: str, aid: str) -> Invoice:
        appt = a[key]
        total = appt.price
        return Invoice(
            number=f"DWI{next(_seq)}",
            appointment_id=appt.id,
            patient_id=appt.patient_id,
            clinic_id=appt.clinic_id,
            doctor_id=appt.doctor_id,
            subtotal=total,
            medical_aid_portion=Decimal(aid),
            patient_portion=total - Decimal(aid),
            total=total,
            due_date=TODAY,
        )

    w.add(invoice("w1", "400"), invoice("w2", "0"), invoice("t1", "300"), invoice("b2", "800"))

    def feedback(key: str, overall: int, *rest: int | None, billing: int | None = None) -> Feedback:
        wait, staff, comm, facility = (list(rest) + [None] * 4)[:4]
        return Feedback(
            appointment_id=a[key].id,
            patient_id=a[key].patient_id,
            overall_rating=overall,
            wait_time_rating=wait,
            staff_rating=staff,
            communication_rating=comm,
            facility_rating=facility,
            billing_clarity_rating=billing,
        )

    w.add(
        feedback("w1", 5, 4, 5, 5, 4, billing=1),
        feedback("w2", 4),
        feedback("v1", 3, 3, 3, 3, 3),
        feedback("m1", 4, 4, 4, 5, 3),
        feedback("t1", 5),
        feedback("b2", 1, 1, 1, 1, 1),
    )

    w.add(
        RevenueTarget(
            doctor_id=smith.id, period=TargetPeriod.DAY, amount=Decimal("1000"), effective_from=d(1, 1)
        ),
        RevenueTarget(
            doctor_id=smith.id, period=TargetPeriod.DAY, amount=Decimal("1500"), effective_from=d(11, 1)
        ),
        RevenueTarget(
            doctor_id=smith.id, period=TargetPeriod.DAY, amount=Decimal("9999"), effective_from=d(12, 1)
        ),
        RevenueTarget(
            doctor_id=smith.id, period=TargetPeriod.MONTH, amount=Decimal("30000"), effective_from=d(1, 1)
        ),
        RevenueTarget(
            doctor_id=w.jones.id, period=TargetPeriod.DAY, amount=Decimal("500"), effective_from=d(1, 1)
        ),
    )

    # Messages: two unread and one read for Smith; one unread for Jones.
    sender = _user(w.session, Role.PATIENT, "Pat", "Sender")
    w.add(
        *(
            Message(sender_id=sender.id, recipient_id=to.id, subject="s", body="b", read_at=read)
            for to, read in (
                (w.smith_user, None),
                (w.smith_user, None),
                (w.smith_user, NOW - timedelta(hours=1)),
                (w.jones_user, None),
            )
        )
    )

    # Lab tests: Smith's completed-unreviewed twice, one reviewed, one still ordered; Jones's one.
    def lab(doctor: Doctor, status: LabTestStatus, reviewed: bool) -> LabTest:
        return LabTest(
            patient_id=w.patients["P1"].id,
            ordered_by_id=doctor.id,
            test_name="FBC",
            status=status,
            ordered_at=NOW - timedelta(days=3),
            completed_at=NOW - timedelta(days=1) if status is LabTestStatus.COMPLETED else None,
            reviewed_at=NOW - timedelta(hours=2) if reviewed else None,
        )

    w.add(
        lab(smith, LabTestStatus.COMPLETED, False),
        lab(smith, LabTestStatus.COMPLETED, False),
        lab(smith, LabTestStatus.COMPLETED, True),
        lab(smith, LabTestStatus.ORDERED, False),
        lab(w.jones, LabTestStatus.COMPLETED, False),
    )


def _clinical(w: World) -> None:
    p = w.patients
    warfarin, aspirin = _medication(w.session, "Warfarin"), _medication(w.session, "Aspirin")
    ibuprofen = _medication(w.session, "Ibuprofen")
    _interaction(w.session, warfarin, aspirin, "major")
    _interaction(w.session, warfarin, ibuprofen, "major")

    def rx(
        patient: str, med: Medication, status: PrescriptionStatus, ends: date | None = None
    ) -> Prescription:
        return Prescription(
            patient_id=p[patient].id,
            medication_id=med.id,
            doctor_id=w.smith.id,
            dosage="1 tab",
            frequency="daily",
            prescribed_on=d(9, 1),
            ends_on=ends,
            status=status,
        )

    A, STOP = PrescriptionStatus.ACTIVE, PrescriptionStatus.STOPPED
    w.add(
        rx("P6", warfarin, A),  # P6: warfarin + aspirin, both active -> an alert
        rx("P6", aspirin, A),
        rx("P1", warfarin, A),  # P1: aspirin stopped, ibuprofen's course ended -> none
        rx("P1", aspirin, STOP),
        rx("P1", ibuprofen, A, ends=d(11, 10)),
        rx("P7", warfarin, A),  # P7 is Jones's patient only -> none for Smith
        rx("P7", ibuprofen, A),
    )

    def vital(patient: str, at: datetime, sys_: int, dia: int, hr: int, spo2: int, temp: float) -> VitalSign:
        return VitalSign(
            patient_id=p[patient].id,
            recorded_at=at,
            systolic=sys_,
            diastolic=dia,
            heart_rate=hr,
            spo2=spo2,
            temperature_c=temp,
        )

    w.add(
        vital("P3", local(d(11, 1), 9), 150, 95, 70, 98, 36.6),  # older, superseded
        vital("P3", local(d(11, 17), 9), 165, 98, 80, 97, 36.8),  # latest: high BP -> "high"
        vital("P2", local(d(10, 1), 9), 185, 100, 90, 96, 36.7),  # was critical ...
        vital("P2", local(d(11, 10), 9), 120, 80, 72, 98, 36.6),  # ... latest normal -> none
        vital("P5", local(d(11, 12), 9), 118, 76, 88, 85, 36.9),  # SpO2 85 -> "critical"
        vital("P7", local(d(11, 12), 9), 200, 130, 140, 80, 40.5),  # Jones's patient -> none
    )

    w.add(
        Condition(patient_id=p["P6"].id, name="Atrial fibrillation", diagnosed_on=date(2024, 1, 1)),
        Condition(patient_id=p["P6"].id, name="Hypertension", diagnosed_on=date(2025, 5, 1)),
        Condition(
            patient_id=p["P6"].id, name="Influenza", diagnosed_on=d(10, 1), status=ConditionStatus.RESOLVED
        ),
        Condition(patient_id=p["P3"].id, name="Hypertension", diagnosed_on=date(2023, 3, 1)),
    )
