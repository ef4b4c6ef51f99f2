"""Small builders for the objects the access-control tests need. Each flushes and returns."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlmodel import Session

from mediconnect.models.appointments import Appointment, AppointmentType
from mediconnect.models.billing import Invoice
from mediconnect.models.catalog import Service, ServiceCategory
from mediconnect.models.clinics import Clinic, Modality, RoomType
from mediconnect.models.patients import Patient
from mediconnect.models.referrals import Referral
from mediconnect.models.reports import Report, ReportStatus
from mediconnect.models.staff import (
    AffiliationRole,
    Doctor,
    DoctorClinicAffiliation,
    ReferringDoctor,
    StaffAssignment,
    StaffRole,
)
from mediconnect.models.users import Role, User

_seq = itertools.count(1)


def _n() -> int:
    return next(_seq)


def user(session: Session, role: Role, *, email: str | None = None, is_active: bool = True) -> User:
    n = _n()
    u = User(
        email=email or f"user{n}@example.test",
        role=role,
        first_name="Test",
        last_name=f"User{n}",
        is_active=is_active,
    )
    session.add(u)
    session.flush()
    return u


def clinic(session: Session) -> Clinic:
    n = _n()
    c = Clinic(code=f"C{n}", name=f"Clinic {n}", address="1 Main Rd", city="Cape Town", region="Western Cape")
    session.add(c)
    session.flush()
    return c


def service(session: Session) -> Service:
    n = _n()
    s = Service(
        code=f"XR{n}",
        name="Chest X-ray",
        category=ServiceCategory.DIAGNOSTICS,
        modality=Modality.XRAY,
        department_name="Radiology",
        duration_minutes=15,
        price=Decimal("500.00"),
        cost=Decimal("100.00"),
        room_type=RoomType.IMAGING,
    )
    session.add(s)
    session.flush()
    return s


def doctor(
    session: Session,
    *,
    clinics: tuple[Clinic, ...] = (),
    ended: tuple[Clinic, ...] = (),
) -> tuple[User, Doctor]:
    """A doctor user, affiliated with ``clinics`` and formerly (ended) with ``ended``."""
    n = _n()
    u = user(session, Role.DOCTOR)
    d = Doctor(user_id=u.id, specialization="Radiology", license_number=f"MP{n}")
    session.add(d)
    session.flush()
    for c in clinics:
        session.add(DoctorClinicAffiliation(doctor_id=d.id, clinic_id=c.id, role=AffiliationRole.ATTENDING))
    for c in ended:
        session.add(
            DoctorClinicAffiliation(
                doctor_id=d.id,
                clinic_id=c.id,
                role=AffiliationRole.VISITING,
                ended_on=date.today() - timedelta(days=30),
            )
        )
    session.flush()
    return u, d


def referring_doctor(session: Session) -> tuple[User, ReferringDoctor]:
    n = _n()
    u = user(session, Role.REFERRING_DOCTOR)
    rd = ReferringDoctor(user_id=u.id, practice_name=f"Practice {n}", practice_number=f"PR{n}")
    session.add(rd)
    session.flush()
    return u, rd


def staff(
    session: Session,
    role: Role,
    *,
    clinics: tuple[Clinic, ...] = (),
    doctors: tuple[Doctor, ...] = (),
    ended_clinics: tuple[Clinic, ...] = (),
) -> User:
    u = user(session, role)
    staff_role = {Role.BILLING_STAFF: StaffRole.BILLING_CLERK, Role.ANALYTICS_STAFF: StaffRole.ANALYST}.get(
        role, StaffRole.RECEPTIONIST
    )
    for c in clinics:
        session.add(StaffAssignment(user_id=u.id, clinic_id=c.id, staff_role=staff_role))
    for d in doctors:
        session.add(StaffAssignment(user_id=u.id, doctor_id=d.id, staff_role=staff_role))
    for c in ended_clinics:
        session.add(
            StaffAssignment(
                user_id=u.id, clinic_id=c.id, staff_role=staff_role, ends_on=date.today() - timedelta(days=1)
            )
        )
    session.flush()
    return u


def patient(
    session: Session,
    *,
    with_user: bool = False,
    primary_doctor: Doctor | None = None,
    home_clinic: Clinic | None = None,
) -> tuple[User | None, Patient]:
    n = _n()
    u = user(session, Role.PATIENT) if with_user else None
    p = Patient(
        user_id=u.id if u else None,
        first_name="Pat",
        last_name=f"Ient{n}",
        date_of_birth=date(1980, 1, 1),
        primary_doctor_id=primary_doctor.id if primary_doctor else None,
        home_clinic_id=home_clinic.id if home_clinic else None,
    )
    session.add(p)
    session.flush()
    return u, p


def appointment(
    session: Session, *, patient: Patient, clinic: Clinic, doctor: Doctor | None = None
) -> Appointment:
    svc = service(session)
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC) + timedelta(minutes=15 * _n())
    a = Appointment(
        patient_id=patient.id,
        clinic_id=clinic.id,
        service_id=svc.id,
        doctor_id=doctor.id if doctor else None,
        appointment_type=AppointmentType.SCAN,
        scheduled_start=start,
        scheduled_end=start + timedelta(minutes=15),
        price=svc.price,
    )
    session.add(a)
    session.flush()
    return a


def report(
    session: Session,
    *,
    appointment: Appointment,
    author: Doctor | None = None,
    status: ReportStatus = ReportStatus.FINAL,
) -> Report:
    r = Report(
        appointment_id=appointment.id,
        patient_id=appointment.patient_id,
        author_doctor_id=author.id if author else None,
        status=status,
    )
    session.add(r)
    session.flush()
    return r


def invoice(session: Session, *, patient: Patient, clinic: Clinic, doctor: Doctor | None = None) -> Invoice:
    n = _n()
    inv = Invoice(
        number=f"INV-{n:06d}",
        patient_id=patient.id,
        clinic_id=clinic.id,
        doctor_id=doctor.id if doctor else None,
        subtotal=Decimal("500.00"),
        medical_aid_portion=Decimal("400.00"),
        patient_portion=Decimal("100.00"),
        total=Decimal("500.00"),
        due_date=date(2026, 4, 1),
    )
    session.add(inv)
    session.flush()
    return inv


def referral(session: Session, *, patient: Patient, by: ReferringDoctor) -> Referral:
    r = Referral(patient_id=patient.id, referring_doctor_id=by.id)
    session.add(r)
    session.flush()
    return r
