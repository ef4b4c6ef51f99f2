"""Money stays exact, time stays UTC-aware, and the database refuses data that breaks its rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from mediconnect.models.appointments import Appointment, AppointmentStatus, AppointmentType
from mediconnect.models.billing import Invoice, InvoiceStatus
from mediconnect.models.catalog import Service, ServiceCategory
from mediconnect.models.clinics import Clinic, Modality, RoomType
from mediconnect.models.patients import Patient
from mediconnect.models.reports import Feedback
from mediconnect.models.users import Role, User


def _clinic(session: Session) -> Clinic:
    clinic = Clinic(
        code="C1", name="Test Clinic", address="1 Main Rd", city="Cape Town", region="Western Cape"
    )
    session.add(clinic)
    session.flush()
    return clinic


def _patient(session: Session) -> Patient:
    patient = Patient(first_name="Thandi", last_name="Mokoena", date_of_birth=date(1980, 5, 17))
    session.add(patient)
    session.flush()
    return patient


def _service(session: Session, price: str = "1250.00") -> Service:
    service = Service(
        code="XR-CHEST",
        name="Chest X-ray",
        category=ServiceCategory.DIAGNOSTICS,
        modality=Modality.XRAY,
        department_name="Radiology",
        duration_minutes=15,
        price=Decimal(price),
        cost=Decimal("310.55"),
        room_type=RoomType.IMAGING,
    )
    session.add(service)
    session.flush()
    return service


def test_money_round_trips_exactly(session: Session) -> None:
    service = _service(session, "1234567.89")
    session.expire_all()
    loaded = session.get(Service, service.id)
    assert loaded is not None
    assert loaded.price == Decimal("1234567.89")
    assert isinstance(loaded.price, Decimal)
    total = session.exec(select(sa.func.sum(Service.cost))).one()
    assert Decimal(str(total)).quantize(Decimal("0.01")) == Decimal("310.55")


def test_datetimes_come_back_utc_aware(session: Session) -> None:
    clinic, patient, service = _clinic(session), _patient(session), _service(session)
    start = datetime(2026, 3, 2, 9, 30, tzinfo=timezone(timedelta(hours=2)))
    appt = Appointment(
        patient_id=patient.id,
        clinic_id=clinic.id,
        service_id=service.id,
        appointment_type=AppointmentType.SCAN,
        scheduled_start=start,
        scheduled_end=start + timedelta(minutes=15),
        price=service.price,
    )
    session.add(appt)
    session.flush()
    session.expire_all()
    loaded = session.get(Appointment, appt.id)
    assert loaded is not None
    assert loaded.scheduled_start.tzinfo is not None
    assert loaded.scheduled_start == start
    assert loaded.scheduled_start.astimezone(UTC).hour == 7
    assert loaded.status == AppointmentStatus.BOOKED


def test_naive_datetime_is_refused(session: Session) -> None:
    clinic, patient, service = _clinic(session), _patient(session), _service(session)
    appt = Appointment(
        patient_id=patient.id,
        clinic_id=clinic.id,
        service_id=service.id,
        appointment_type=AppointmentType.SCAN,
        scheduled_start=datetime(2026, 3, 2, 9, 30),
        scheduled_end=datetime(2026, 3, 2, 9, 45),
    )
    session.add(appt)
    with pytest.raises(sa.exc.StatementError, match="naive datetime"):
        session.flush()


@pytest.mark.parametrize(
    "bad",
    [
        {"scheduled_end_offset": -5},  # ends before it starts
        {"status": "cancelled"},  # cancelled without cancelled_at
    ],
)
def test_appointment_checks(session: Session, bad: dict[str, object]) -> None:
    clinic, patient, service = _clinic(session), _patient(session), _service(session)
    start = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    offset = int(bad.get("scheduled_end_offset", 15))  # type: ignore[call-overload]
    appt = Appointment(
        patient_id=patient.id,
        clinic_id=clinic.id,
        service_id=service.id,
        appointment_type=AppointmentType.SCAN,
        scheduled_start=start,
        scheduled_end=start + timedelta(minutes=offset),
        status=AppointmentStatus(bad.get("status", "booked")),
    )
    session.add(appt)
    with pytest.raises(sa.exc.IntegrityError):
        session.flush()


def test_enum_values_are_checked_by_the_database(session: Session) -> None:
    session.add(User(email="a@example.org", role=Role.ADMIN, first_name="A", last_name="B"))
    session.flush()
    with pytest.raises(sa.exc.IntegrityError):
        session.execute(sa.text("UPDATE users SET role = 'superuser' WHERE email = 'a@example.org'"))


def test_email_is_unique(session: Session) -> None:
    session.add(User(email="dup@example.org", role=Role.PATIENT, first_name="A", last_name="B"))
    session.flush()
    session.add(User(email="dup@example.org", role=Role.PATIENT, first_name="C", last_name="D"))
    with pytest.raises(sa.exc.IntegrityError):
        session.flush()


def test_invoice_portions_must_add_up(session: Session) -> None:
    clinic, patient = _clinic(session), _patient(session)
    session.add(
        Invoice(
            number="INV-1",
            patient_id=patient.id,
            clinic_id=clinic.id,
            status=InvoiceStatus.SENT,
            subtotal=Decimal("100.00"),
            medical_aid_portion=Decimal("80.00"),
            patient_portion=Decimal("30.00"),
            total=Decimal("100.00"),
            due_date=date(2026, 4, 1),
        )
    )
    with pytest.raises(sa.exc.IntegrityError):
        session.flush()


def test_feedback_ratings_in_range(session: Session) -> None:
    patient = _patient(session)
    session.add(Feedback(patient_id=patient.id, overall_rating=6, nps_score=5))
    with pytest.raises(sa.exc.IntegrityError):
        session.flush()


def test_rollback_isolates_tests(session: Session) -> None:
    # The fixture rolls back: no user leaked in from the tests above.
    assert session.exec(select(sa.func.count()).select_from(User)).one() == 0
