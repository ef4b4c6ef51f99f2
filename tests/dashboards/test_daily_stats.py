"""daily_clinic_stats on both backends equals counts worked out by hand for a small clinic.

The clinic is in Johannesburg (UTC+2): an appointment at 22:30 UTC belongs to the NEXT local
day, which is what the rollup must group by.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlmodel import Session, select

from mediconnect.dashboards.kit import daily_stats
from mediconnect.dashboards.kit.daily_stats import DailyStat
from mediconnect.models.appointments import Appointment, AppointmentStatus, AppointmentType
from mediconnect.models.clinics import Clinic
from mediconnect.models.patients import Patient
from tests.core import factories as f

D1, D2, D3 = date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)
S = AppointmentStatus


def utc(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def book(
    session: Session, clinic: Clinic, patient: Patient, start: datetime, status: S, price: str
) -> Appointment:
    svc = f.service(session)
    a = Appointment(
        patient_id=patient.id,
        clinic_id=clinic.id,
        service_id=svc.id,
        appointment_type=AppointmentType.SCAN,
        status=status,
        scheduled_start=start,
        scheduled_end=start + timedelta(minutes=20),
        price=Decimal(price),
        cancelled_at=start - timedelta(days=1) if status is S.CANCELLED else None,
    )
    session.add(a)
    session.flush()
    return a


@pytest.fixture
def clinics(session: Session) -> tuple[Clinic, Clinic]:
    c, other = f.clinic(session), f.clinic(session)
    assert c.timezone == "Africa/Johannesburg"
    p1, p2, p3, p4 = (f.patient(session)[1] for _ in range(4))
    # D1 (local): p1 completed 500, p2 cancelled, p3 no-show.
    book(session, c, p1, utc(D1, 8), S.COMPLETED, "500.00")
    book(session, c, p2, utc(D1, 9), S.CANCELLED, "300.00")
    book(session, c, p3, utc(D1, 10), S.NO_SHOW, "200.00")
    # 22:30 UTC on D1 is 00:30 on D2 in Johannesburg: p1 again, completed 250.50.
    book(session, c, p1, utc(D1, 22, 30), S.COMPLETED, "250.50")
    # D2: p2's first non-cancelled visit (new), completed 99.99; p4 booked (new).
    book(session, c, p2, utc(D2, 8), S.COMPLETED, "99.99")
    book(session, c, p4, utc(D2, 9), S.BOOKED, "400.00")
    # D3: p3 again (not new: their no-show on D1 counts as a visit), cancelled p4 (not new).
    book(session, c, p3, utc(D3, 8), S.CONFIRMED, "150.00")
    book(session, c, p4, utc(D3, 9), S.CANCELLED, "150.00")
    # Another clinic: p1 is new THERE on D2.
    book(session, other, p1, utc(D2, 12), S.COMPLETED, "80.00")
    daily_stats.refresh(session)
    return c, other


def stat(clinic: Clinic, day: date, *counts: int, revenue: str, unique: int, new: int) -> DailyStat:
    assert clinic.id is not None
    total, completed, cancelled, no_show = counts
    return DailyStat(clinic.id, day, total, completed, cancelled, no_show, Decimal(revenue), unique, new)


def test_rollup_matches_hand_counts(session: Session, clinics: tuple[Clinic, Clinic]) -> None:
    c, other = clinics
    got = daily_stats.read(session, clinic_id=c.id, first=D1, last=D3)
    assert got == [
        stat(c, D1, 3, 1, 1, 1, revenue="500.00", unique=2, new=2),
        stat(c, D2, 3, 2, 0, 0, revenue="350.49", unique=3, new=2),
        stat(c, D3, 2, 0, 1, 0, revenue="0.00", unique=1, new=0),
    ]
    assert daily_stats.read(session, clinic_id=other.id, first=D1, last=D3) == [
        stat(other, D2, 1, 1, 0, 0, revenue="80.00", unique=1, new=1)
    ]
    both = daily_stats.read(session, clinic_id=None, first=D2, last=D2)
    assert [(s.clinic_id, s.day) for s in both] == [(c.id, D2), (other.id, D2)]
    assert daily_stats.read(session, clinic_id=c.id, first=D2, last=D1) == []


def test_refresh_follows_a_change_of_history(session: Session, clinics: tuple[Clinic, Clinic]) -> None:
    c, _ = clinics
    # p1's first visit (D1, completed) is cancelled: D1 loses its revenue and p1 is new on D2.
    q = select(Appointment).where(Appointment.clinic_id == c.id, Appointment.price == Decimal("500.00"))
    first = session.exec(q).one()
    first.status = S.CANCELLED
    first.cancelled_at = first.scheduled_start - timedelta(hours=1)
    session.add(first)
    session.flush()
    daily_stats.refresh(session, clinic_id=c.id)
    got = {s.day: s for s in daily_stats.read(session, clinic_id=c.id, first=D1, last=D3)}
    assert got[D1] == stat(c, D1, 3, 0, 2, 1, revenue="0.00", unique=1, new=1)
    assert got[D2] == stat(c, D2, 3, 2, 0, 0, revenue="350.49", unique=3, new=3)


def test_refresh_is_idempotent(session: Session, clinics: tuple[Clinic, Clinic]) -> None:
    c, _ = clinics
    before = daily_stats.read(session, clinic_id=None, first=D1, last=D3)
    daily_stats.refresh(session)
    daily_stats.refresh(session, clinic_id=c.id, days=[D2])
    assert daily_stats.read(session, clinic_id=None, first=D1, last=D3) == before
