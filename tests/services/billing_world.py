"""A small billing world: a clinic, services, schemes, tariffs, memberships, patients, staff.

Each builder flushes and returns. Numbers are chosen so every expected figure in the tests can
be worked out by hand.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlmodel import Session

from mediconnect.core.policy import Principal, principal_for
from mediconnect.models.appointments import Appointment, AppointmentType
from mediconnect.models.billing import Claim, ClaimStatus, Invoice
from mediconnect.models.catalog import SchemeTariff, Service, ServiceCategory
from mediconnect.models.clinics import Clinic, Modality, RoomType
from mediconnect.models.patients import (
    MedicalAidMembership,
    MedicalAidScheme,
    MembershipStatus,
    Patient,
    PreAuthorisation,
    PreAuthStatus,
)
from mediconnect.models.users import Role, User
from mediconnect.services import billing, pricing
from tests.core import factories

_seq = itertools.count(1)
_slot = itertools.count()
ON = date(2026, 6, 15)


def _n() -> int:
    return next(_seq)


def service(session: Session, *, price: str = "1250.00", name: str = "MRI knee") -> Service:
    n = _n()
    s = Service(
        code=f"BW{n}",
        name=name,
        category=ServiceCategory.DIAGNOSTICS,
        modality=Modality.MRI,
        department_name="Radiology",
        duration_minutes=30,
        price=Decimal(price),
        cost=Decimal("100.00"),
        room_type=RoomType.IMAGING,
    )
    session.add(s)
    session.flush()
    return s


def scheme(
    session: Session,
    *,
    coverage: str = "80",
    annual_limit: str = "20000.00",
    threshold: str | None = None,
    is_active: bool = True,
) -> MedicalAidScheme:
    n = _n()
    s = MedicalAidScheme(
        code=f"SCH{n}",
        name=f"Scheme{n}",
        coverage_percent=Decimal(coverage),
        annual_limit=Decimal(annual_limit),
        authorisation_threshold=Decimal(threshold) if threshold is not None else None,
        is_active=is_active,
    )
    session.add(s)
    session.flush()
    return s


def tariff(
    session: Session,
    *,
    scheme: MedicalAidScheme,
    service: Service,
    cap: str,
    coverage: str | None = None,
    requires_authorisation: bool = False,
    covered: bool = True,
) -> SchemeTariff:
    t = SchemeTariff(
        scheme_id=scheme.id,
        service_id=service.id,
        tariff_cap=Decimal(cap),
        coverage_percent=Decimal(coverage) if coverage is not None else None,
        requires_authorisation=requires_authorisation,
        covered=covered,
    )
    session.add(t)
    session.flush()
    return t


def patient(
    session: Session, *, with_user: bool = True, clinic: Clinic | None = None
) -> tuple[User | None, Patient]:
    return factories.patient(session, with_user=with_user, home_clinic=clinic)


def membership(
    session: Session,
    *,
    patient: Patient,
    scheme: MedicalAidScheme,
    status: MembershipStatus = MembershipStatus.ACTIVE,
    valid_from: date = date(2025, 1, 1),
    valid_to: date | None = None,
) -> MedicalAidMembership:
    m = MedicalAidMembership(
        patient_id=patient.id,
        scheme_id=scheme.id,
        policy_number=f"POL{_n()}",
        status=status,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    session.add(m)
    session.flush()
    return m


def preauth(
    session: Session,
    *,
    membership: MedicalAidMembership,
    service: Service,
    status: PreAuthStatus = PreAuthStatus.APPROVED,
    valid_until: date | None = date(2026, 12, 31),
) -> PreAuthorisation:
    p = PreAuthorisation(
        membership_id=membership.id,
        service_id=service.id,
        reference=f"PA{_n()}",
        status=status,
        valid_until=valid_until,
    )
    session.add(p)
    session.flush()
    return p


def used_claim(
    session: Session,
    *,
    membership: MedicalAidMembership,
    patient: Patient,
    clinic: Clinic,
    claimed: str,
    approved: str | None = None,
    status: ClaimStatus = ClaimStatus.SUBMITTED,
    submitted_at: datetime = datetime(2026, 3, 1, 10, 0, tzinfo=UTC),
) -> Claim:
    """A claim already made this year against the membership (on its own invoice)."""
    inv = factories.invoice(session, patient=patient, clinic=clinic)
    c = Claim(
        claim_number=f"CLM-T{_n()}",
        invoice_id=inv.id,
        membership_id=membership.id,
        scheme_id=membership.scheme_id,
        status=status,
        claimed_amount=Decimal(claimed),
        approved_amount=Decimal(approved) if approved is not None else None,
        submitted_at=submitted_at,
    )
    session.add(c)
    session.flush()
    return c


def appointment(
    session: Session, *, patient: Patient, clinic: Clinic, service: Service, start: datetime | None = None
) -> Appointment:
    # Consecutive 30-minute slots over 04:00-22:00 UTC: always 15 June in Johannesburg, and
    # never overlapping (the database refuses a patient's overlapping appointments).
    start = start or datetime(2026, 6, 15, 4, 0, tzinfo=UTC) + timedelta(minutes=30 * (next(_slot) % 36))
    a = Appointment(
        patient_id=patient.id,
        clinic_id=clinic.id,
        service_id=service.id,
        appointment_type=AppointmentType.SCAN,
        scheduled_start=start,
        scheduled_end=start + timedelta(minutes=service.duration_minutes),
        price=service.price,
    )
    session.add(a)
    session.flush()
    return a


def principal(session: Session, user: User | None) -> Principal:
    assert user is not None
    return principal_for(session, user=user, today=ON)


@dataclass
class World:
    clinic: Clinic
    other_clinic: Clinic
    service: Service
    scheme: MedicalAidScheme
    patient_user: User
    patient: Patient
    other_user: User
    other_patient: Patient
    private_user: User
    private_patient: Patient
    billing_user: User
    other_billing_user: User
    desk_user: User
    other_desk_user: User
    admin_user: User


def world(session: Session) -> World:
    """Clinic + R1 250 service; an 80 % scheme (cap R1 000); an insured, a second insured and a
    private patient; billing and desk staff for this clinic and for another; an admin."""
    clinic, other = factories.clinic(session), factories.clinic(session)
    svc = service(session)
    sch = scheme(session, coverage="80", annual_limit="20000.00")
    tariff(session, scheme=sch, service=svc, cap="1000.00")
    pu, p = patient(session, clinic=clinic)
    ou, o = patient(session, clinic=clinic)
    vu, v = patient(session, clinic=clinic)
    membership(session, patient=p, scheme=sch)
    membership(session, patient=o, scheme=sch)
    assert pu and ou and vu
    return World(
        clinic=clinic,
        other_clinic=other,
        service=svc,
        scheme=sch,
        patient_user=pu,
        patient=p,
        other_user=ou,
        other_patient=o,
        private_user=vu,
        private_patient=v,
        billing_user=factories.staff(session, Role.BILLING_STAFF, clinics=(clinic,)),
        other_billing_user=factories.staff(session, Role.BILLING_STAFF, clinics=(other,)),
        desk_user=factories.staff(session, Role.CLINIC_STAFF, clinics=(clinic,)),
        other_desk_user=factories.staff(session, Role.CLINIC_STAFF, clinics=(other,)),
        admin_user=factories.user(session, Role.ADMIN),
    )


def booked(
    session: Session, w: World, *, patient: Patient | None = None, on: date = ON
) -> tuple[Appointment, Invoice]:
    """An appointment for ``patient`` (default the insured one) with its invoice, as booking makes."""
    pat = patient or w.patient
    assert pat.id is not None and w.service.id is not None
    appt = appointment(session, patient=pat, clinic=w.clinic, service=w.service)
    q = pricing.quote(session=session, service_id=w.service.id, patient_id=pat.id, on=on)
    return appt, billing.create_invoice_for_appointment(session=session, appointment=appt, quote=q)
