"""What the booking and front-desk screens offer to choose from: bookable services, the clinics
that can perform one, the clinics a caller may run a desk for, a clinic's local today, and (for
staff booking on a patient's behalf) the patients the caller may book for.

Read-only and public catalogue data, except ``find_patients``, which is scoped by the policy
(``patient_scope`` WRITE) and audited like every other read of patient data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TypedDict

import sqlalchemy as sa
from sqlmodel import Session, col, select

from mediconnect.core import audit
from mediconnect.core.errors import AccessDenied
from mediconnect.core.policy import Action, Principal, patient_scope
from mediconnect.models.catalog import Service
from mediconnect.models.clinics import Clinic, ClinicStatus, Equipment, EquipmentStatus, Room
from mediconnect.models.patients import Patient
from mediconnect.models.users import Role
from mediconnect.services import availability
from mediconnect.services.availability import Slot
from mediconnect.services.zones import clinic_zone

# How many days ahead (after the clinic's today) the booking page and a reschedule offer days.
# The pages' offer only: the booking service itself takes any future time (as the JSON API does).
BOOKING_HORIZON_DAYS = 30
# Who may book on a patient's behalf (the desk, admins).
STAFF_BOOKERS = frozenset({Role.ADMIN, Role.CLINIC_STAFF})
DESK_ROLES = frozenset({Role.ADMIN, Role.CLINIC_STAFF})


class ServiceChoice(TypedDict):
    id: int
    name: str
    modality: str
    duration_minutes: int
    price: str  # "1250.00"
    preparation: str
    preparation_items: list[str]
    fasting_hours: int
    referral_required: bool


class ClinicChoice(TypedDict):
    id: int
    name: str
    city: str
    address: str
    timezone: str


class PatientChoice(TypedDict):
    id: int
    name: str
    born: str


def _zone_name(clinic: Clinic) -> str:
    """The zone the clinic's times are shown in (its own, else Settings.TIMEZONE), by name."""
    return clinic_zone(clinic).key


def clinic_today(*, session: Session, clinic_id: int, now: datetime | None = None) -> date:
    clinic = session.get(Clinic, clinic_id)
    return (now or datetime.now(UTC)).astimezone(clinic_zone(clinic)).date()


@dataclass(frozen=True, slots=True)
class ClinicDay:
    """A clinic's local today and the name of its time zone ("" for an unknown clinic)."""

    today: date
    timezone: str


def clinic_day(*, session: Session, clinic_id: int) -> ClinicDay:
    clinic = session.get(Clinic, clinic_id)
    return ClinicDay(
        today=clinic_today(session=session, clinic_id=clinic_id), timezone=clinic.timezone if clinic else ""
    )


@dataclass(frozen=True, slots=True)
class DayGrid:
    """A day's free slots; whether the clinic books that day at all (it has a grid of start
    times); and, when the day has no free time, the nearest free times elsewhere."""

    free: list[Slot]
    open: bool
    nearest: list[Slot]


def day_grid(*, session: Session, clinic_id: int, service_id: int, day: date) -> DayGrid:
    """Public availability, the same for every caller (so a live refresh computes it once)."""
    plan = availability.day_plan(session=session, clinic_id=clinic_id, service_id=service_id, day=day)
    nearest: list[Slot] = []
    if not plan.free:
        nearest = availability.nearest_free_times(
            session=session, clinic_id=clinic_id, service_id=service_id, instead_of=day
        )
    return DayGrid(free=list(plan.free), open=bool(plan.grid), nearest=nearest)


def bookable_services(*, session: Session) -> list[ServiceChoice]:
    rows = session.exec(
        select(Service)
        .where(col(Service.is_active).is_(True))
        .order_by(col(Service.modality), col(Service.name))
    ).all()
    return [
        ServiceChoice(
            id=int(s.id or 0),
            name=s.name,
            modality=str(s.modality),
            duration_minutes=s.duration_minutes,
            price=f"{s.price:.2f}",
            preparation=s.preparation or "",
            preparation_items=list(s.preparation_items or []),
            fasting_hours=s.fasting_hours,
            referral_required=bool(s.referral_required),
        )
        for s in rows
    ]


def _clinic_choice(c: Clinic) -> ClinicChoice:
    return ClinicChoice(
        id=int(c.id or 0), name=c.name, city=c.city, address=c.address, timezone=_zone_name(c)
    )


def clinics_for_service(*, session: Session, service_id: int) -> list[ClinicChoice]:
    """Active clinics with an active room of the service's type (and working equipment of its
    modality when it needs some): where the service can be booked at all."""
    service = session.get(Service, service_id)
    if service is None or not service.is_active:
        return []
    has_room = sa.exists().where(
        col(Room.clinic_id) == col(Clinic.id),
        col(Room.room_type) == service.room_type,
        col(Room.is_active).is_(True),
    )
    query = select(Clinic).where(Clinic.status == ClinicStatus.ACTIVE, has_room)
    if service.requires_equipment:
        query = query.where(
            sa.exists().where(
                col(Equipment.clinic_id) == col(Clinic.id),
                col(Equipment.modality) == service.modality,
                col(Equipment.status) == EquipmentStatus.OPERATIONAL,
            )
        )
    return [_clinic_choice(c) for c in session.exec(query.order_by(col(Clinic.name))).all()]


def desk_clinics(*, session: Session, principal: Principal) -> list[ClinicChoice]:
    """The clinics whose day the caller may run: an admin every active clinic, staff theirs."""
    if principal.role not in DESK_ROLES:
        raise AccessDenied.not_allowed(f"role {principal.role.value} has no front desk")
    query = select(Clinic).order_by(col(Clinic.name))
    if not principal.is_admin:
        if not principal.clinic_ids:
            return []
        query = query.where(col(Clinic.id).in_(sorted(principal.clinic_ids)))
    return [_clinic_choice(c) for c in session.exec(query).all()]


def find_patients(
    *, session: Session, principal: Principal, text: str, limit: int = 10
) -> list[PatientChoice]:
    """Patients the caller may book for, by name, id number or email (staff and admins)."""
    if principal.role not in STAFF_BOOKERS:
        raise AccessDenied.not_allowed(f"role {principal.role.value} may not book for others")
    needle = text.strip()[:80]
    if len(needle) < 2:
        return []
    like = f"%{needle.lower()}%"
    full = sa.func.lower(col(Patient.first_name) + " " + col(Patient.last_name))
    rows = session.exec(
        select(Patient)
        .where(
            patient_scope(principal=principal, action=Action.WRITE),
            sa.or_(
                full.like(like),
                sa.func.lower(col(Patient.email)).like(like),
                col(Patient.id_number) == needle,
            ),
        )
        .order_by(col(Patient.last_name), col(Patient.first_name))
        .limit(limit)
    ).all()
    audit.record(
        session,
        principal_or_user_id=principal,
        action=audit.AuditAction.SEARCH,
        patient_id=None,
        resource_type="patient",
        detail=f"booking patient search, {len(rows)} found",
    )
    return [
        PatientChoice(
            id=int(p.id or 0), name=f"{p.first_name} {p.last_name}", born=p.date_of_birth.isoformat()
        )
        for p in rows
    ]


class DoctorChoice(TypedDict):
    id: int
    name: str


def filter_clinics(*, session: Session, principal: Principal) -> list[ClinicChoice]:
    """Clinics worth filtering a list by: the caller's own (staff, doctors), or every clinic."""
    query = select(Clinic).order_by(col(Clinic.name))
    if principal.role in (Role.CLINIC_STAFF, Role.DOCTOR) and principal.clinic_ids:
        query = query.where(col(Clinic.id).in_(sorted(principal.clinic_ids)))
    return [_clinic_choice(c) for c in session.exec(query).all()]


def filter_doctors(*, session: Session, principal: Principal) -> list[DoctorChoice]:
    """Doctors (public practitioner names) at the clinics a member of staff or an admin sees."""
    from mediconnect.models.staff import Doctor, DoctorClinicAffiliation
    from mediconnect.models.users import User

    if principal.role not in (Role.ADMIN, Role.CLINIC_STAFF, Role.BILLING_STAFF):
        return []
    query = select(Doctor.id, User.first_name, User.last_name).join(User, col(User.id) == col(Doctor.user_id))
    if not principal.is_admin:
        if not principal.clinic_ids:
            return []
        query = query.where(
            sa.exists().where(
                col(DoctorClinicAffiliation.doctor_id) == col(Doctor.id),
                col(DoctorClinicAffiliation.clinic_id).in_(sorted(principal.clinic_ids)),
            )
        )
    rows = session.exec(query.order_by(col(User.last_name), col(User.first_name))).all()
    return [DoctorChoice(id=int(i or 0), name=f"Dr {f} {last}") for i, f, last in rows]


class DocumentChoice(TypedDict):
    id: int
    name: str


class AppointmentExtras(TypedDict):
    clinic_address: str
    preparation: str
    preparation_items: list[str]
    documents: list[DocumentChoice]


def appointment_extras(*, session: Session, principal: Principal, appointment_id: int) -> AppointmentExtras:
    """What the detail page shows beside ``get_appointment``: the clinic's address, the service's
    preparation, and the names of the referral documents (downloaded through
    ``referral_files.open_referral_document``, which checks and audits)."""
    from mediconnect.core.policy import require_appointment
    from mediconnect.models.appointments import Appointment
    from mediconnect.models.referrals import ReferralDocument

    require_appointment(session, principal=principal, appointment_id=appointment_id, action=Action.READ)
    appt = session.get(Appointment, appointment_id)
    assert appt is not None
    clinic = session.get(Clinic, appt.clinic_id)
    service = session.get(Service, appt.service_id)
    docs: list[DocumentChoice] = []
    if appt.referral_id is not None:
        rows = session.exec(
            select(ReferralDocument)
            .where(
                ReferralDocument.referral_id == appt.referral_id, col(ReferralDocument.deleted_at).is_(None)
            )
            .order_by(col(ReferralDocument.id))
        ).all()
        docs = [DocumentChoice(id=int(d.id or 0), name=d.original_filename) for d in rows]
    return AppointmentExtras(
        clinic_address=f"{clinic.address}, {clinic.city}" if clinic else "",
        preparation=(service.preparation or "") if service else "",
        preparation_items=list(service.preparation_items or []) if service else [],
        documents=docs,
    )


class WaitlistChoice(TypedDict):
    id: int
    service: str
    service_id: int
    clinic: str
    desired_date: str
    status: str
    offered_slot_start: str | None  # UTC ISO
    offer_expires_at: str | None  # UTC ISO
    appointment_id: int | None
    timezone: str
    preparation: str
    referral_required: bool


def my_waitlist(*, session: Session, principal: Principal) -> list[WaitlistChoice]:
    """The signed-in patient's own waiting-list entries, newest first (their own data only)."""
    from mediconnect.models.appointments import WaitlistEntry

    if principal.role is not Role.PATIENT or principal.patient_id is None:
        raise AccessDenied.not_allowed("only patients have a waiting list")
    rows = session.exec(
        select(WaitlistEntry, Service, Clinic)
        .join(Service, col(Service.id) == col(WaitlistEntry.service_id))
        .join(Clinic, col(Clinic.id) == col(WaitlistEntry.clinic_id))
        .where(WaitlistEntry.patient_id == principal.patient_id)
        .order_by(col(WaitlistEntry.desired_date).desc(), col(WaitlistEntry.id).desc())
        .limit(50)
    ).all()

    def iso(value: datetime | None) -> str | None:
        return None if value is None else value.astimezone(UTC).isoformat()

    return [
        WaitlistChoice(
            id=int(e.id or 0),
            service=s.name,
            service_id=int(s.id or 0),
            clinic=c.name,
            desired_date=e.desired_date.isoformat(),
            status=str(e.status),
            offered_slot_start=iso(e.offered_slot_start),
            offer_expires_at=iso(e.offer_expires_at),
            appointment_id=e.appointment_id,
            timezone=_zone_name(c),
            preparation=s.preparation or "",
            referral_required=bool(s.referral_required),
        )
        for e, s, c in rows
    ]
