"""Booking an appointment: checks, the referral upload, the insert the database guards, the invoice.

The guarantee against double booking is the database's (migration 0003): exclusion
constraints on PostgreSQL, triggers on SQLite, per room, equipment, doctor and patient. The
availability check here only picks the resources and gives early, friendly refusals; the
insert runs in a SAVEPOINT, and an ``ex_appointments_*_overlap`` violation becomes
``BookingError("slot_taken")`` with the nearest free alternatives, the savepoint rolled back
and any stored referral file deleted, so nothing is half-written.

``place`` (behind ``book``, a reschedule and an accepted waitlist offer) is three named steps:
``validate`` (every check; nothing written), ``insert`` (referral, the rescheduled appointment's
cancellation, the appointment, in one SAVEPOINT) and ``after_insert`` (history, invoice, audit,
event), so each can be read, and tested, on its own.

Codes (``BookingError.code``): slot_taken, outside_hours, too_soon, patient_double_booked,
service_unavailable, clinic_not_found, referral_required, referral_not_found, invalid_file,
preparation_required, invalid_channel, invalid_time (and lifecycle's own, see ``lifecycle``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from mediconnect.core import audit, events, policy
from mediconnect.core.errors import AccessDenied
from mediconnect.core.policy import Action, Principal
from mediconnect.models.appointments import (
    Appointment,
    AppointmentStatus,
    AppointmentStatusChange,
    AppointmentType,
    BookingChannel,
)
from mediconnect.models.base import utcnow
from mediconnect.models.billing import Invoice
from mediconnect.models.catalog import Service, ServiceCategory
from mediconnect.models.clinics import Clinic, Department, Modality, Room, RoomType
from mediconnect.models.referrals import Referral, ReferralDocument, ReferralStatus
from mediconnect.models.users import Role
from mediconnect.services import availability, billing, pricing, referral_files, slot_locks
from mediconnect.services.appointment_public import AppointmentPublic, to_public
from mediconnect.services.availability import Slot
from mediconnect.services.referral_files import CheckedUpload, ReferralFileError, ReferralUpload

LIVE = tuple(s for s in AppointmentStatus if s not in availability.FREED_STATUSES)
_RESOURCE_CONSTRAINTS = ("room", "equipment", "doctor")


class BookingError(Exception):
    def __init__(self, code: str, message: str, *, alternatives: list[Slot] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.alternatives: list[Slot] = alternatives or []


@dataclass(frozen=True, slots=True)
class Placement:
    """What ``place`` needs beyond ``book``'s arguments (reschedule and waitlist reuse it)."""

    referral_id: int | None = None
    rescheduled_from: Appointment | None = None


def overlap_constraint(exc: IntegrityError) -> str | None:
    """``room`` / ``equipment`` / ``doctor`` / ``patient`` when the no-overlap guard refused."""
    text = str(exc.orig) if exc.orig is not None else str(exc)
    for res in (*_RESOURCE_CONSTRAINTS, "patient"):
        if f"ex_appointments_{res}_overlap" in text:
            return res
    return None


def _aware_utc(start: datetime) -> datetime:
    if start.tzinfo is None:
        raise BookingError("invalid_time", "The start time must include its time zone.")
    return start.astimezone(UTC)


def _appointment_type(service: Service) -> AppointmentType:
    if service.category is ServiceCategory.CONSULTATION or service.modality is Modality.CONSULTATION:
        return AppointmentType.CONSULTATION
    if service.room_type is RoomType.PROCEDURE or service.category is ServiceCategory.PROCEDURE:
        return AppointmentType.PROCEDURE
    return AppointmentType.SCAN


def _department_id(session: Session, clinic_id: int, service: Service, room_id: int | None) -> int | None:
    dept = session.exec(
        select(Department.id).where(
            col(Department.clinic_id) == clinic_id, col(Department.name) == service.department_name
        )
    ).first()
    if dept is None and room_id is not None:
        room = session.get(Room, room_id)
        dept = room.department_id if room else None
    return dept


def alternatives(session: Session, clinic_id: int, service_id: int, around: datetime) -> list[Slot]:
    """The free times offered with a refusal (``availability.nearest_free_times``)."""
    return availability.nearest_free_times(
        session=session, clinic_id=clinic_id, service_id=service_id, instead_of=around
    )


def _taken(session: Session, clinic_id: int, service_id: int, start: datetime) -> BookingError:
    return BookingError(
        "slot_taken",
        "That time was just taken by someone else. Please choose another time.",
        alternatives=alternatives(session, clinic_id, service_id, start),
    )


def check_slot(
    session: Session, *, clinic: Clinic, service: Service, start: datetime, moving: int | None = None
) -> Slot:
    """The free slot starting at ``start`` (recomputed now), or the reason it cannot be booked.
    ``moving``: the appointment being rescheduled (its own time does not block the new one)."""
    assert clinic.id is not None and service.id is not None
    day = availability.local_day(clinic, start)
    plan = availability.day_plan(
        session=session, clinic_id=clinic.id, service_id=service.id, day=day, ignore_appointment_id=moving
    )
    for slot in plan.free:
        if slot.start == start:
            return slot
    if start in plan.grid:
        raise _taken(session, clinic.id, service.id, start)
    if start < utcnow() + availability.LEAD_TIME:
        raise BookingError(
            "too_soon",
            "Online bookings need at least an hour's notice.",
            alternatives=alternatives(session, clinic.id, service.id, start),
        )
    raise BookingError(
        "outside_hours",
        "That time is not a bookable time for this service at this clinic.",
        alternatives=alternatives(session, clinic.id, service.id, start),
    )


def _check_caller(session: Session, principal: Principal, patient_id: int, clinic_id: int) -> None:
    policy.require_patient(session, principal=principal, patient_id=patient_id, action=Action.WRITE)
    if principal.role is Role.PATIENT and principal.patient_id != patient_id:
        raise AccessDenied.not_associated("patients book for themselves only")
    if principal.role in (Role.CLINIC_STAFF, Role.DOCTOR) and clinic_id not in principal.clinic_ids:
        raise AccessDenied.not_associated("not associated with this clinic")


def _patient_busy(session: Session, patient_id: int, slot: Slot, ignore_id: int | None) -> bool:
    q = select(Appointment.id).where(
        col(Appointment.patient_id) == patient_id,
        col(Appointment.status).in_(LIVE),
        col(Appointment.scheduled_start) < slot.end,
        col(Appointment.scheduled_end) > slot.start,
    )
    if ignore_id is not None:
        q = q.where(col(Appointment.id) != ignore_id)
    return session.exec(q).first() is not None


def book(
    *,
    session: Session,
    principal: Principal,
    patient_id: int,
    clinic_id: int,
    service_id: int,
    start: datetime,
    preparation_acknowledged: bool,
    referral: ReferralUpload | None = None,
    referral_id: int | None = None,
    channel: str = "online",
    notes: str | None = None,
) -> AppointmentPublic:
    """Book ``start`` for the patient; flushes, the caller commits. Raises BookingError."""
    appt = place(
        session=session,
        principal=principal,
        patient_id=patient_id,
        clinic_id=clinic_id,
        service_id=service_id,
        start=start,
        preparation_acknowledged=preparation_acknowledged,
        referral=referral,
        channel=channel,
        notes=notes,
        placement=Placement(referral_id=referral_id),
    )
    return to_public(session, appt)


def place(
    *,
    session: Session,
    principal: Principal,
    patient_id: int,
    clinic_id: int,
    service_id: int,
    start: datetime,
    preparation_acknowledged: bool,
    referral: ReferralUpload | None,
    channel: str,
    notes: str | None,
    placement: Placement,
) -> Appointment:
    """Validate, insert, after-insert: the three steps of every booking (``book``, a reschedule,
    an accepted waitlist offer). Flushes; the caller commits. Raises BookingError."""
    request = BookingRequest(
        patient_id=patient_id,
        clinic_id=clinic_id,
        service_id=service_id,
        start=_aware_utc(start),
        preparation_acknowledged=preparation_acknowledged,
        referral=referral,
        channel=channel,
        notes=notes,
        placement=placement,
    )
    valid = validate(session, principal, request)
    appt = insert(session, principal, request, valid)
    after_insert(session, principal, request, valid, appt)
    return appt


@dataclass(frozen=True, slots=True)
class BookingRequest:
    """A booking as asked for (``start`` already UTC)."""

    patient_id: int
    clinic_id: int
    service_id: int
    start: datetime
    preparation_acknowledged: bool
    referral: ReferralUpload | None
    channel: str
    notes: str | None
    placement: Placement

    @property
    def moving(self) -> int | None:
        """The appointment being rescheduled, if any."""
        old = self.placement.rescheduled_from
        return old.id if old is not None else None


@dataclass(frozen=True, slots=True)
class Valid:
    """What ``validate`` established: everything ``insert`` and ``after_insert`` need."""

    clinic: Clinic
    service: Service
    channel: BookingChannel
    upload: CheckedUpload | None
    referral: Referral | None  # an existing referral the booking uses
    slot: Slot
    day: date  # clinic-local
    quote: pricing.Quote


def validate(session: Session, principal: Principal, request: BookingRequest) -> Valid:
    """Every check, in the order a person should hear of them (who, what, then when); nothing is
    written. Raises BookingError (or the policy's AccessDenied)."""
    _check_caller(session, principal, request.patient_id, request.clinic_id)
    clinic = session.get(Clinic, request.clinic_id)
    if clinic is None:
        raise BookingError("clinic_not_found", "That clinic does not exist.")
    service = session.get(Service, request.service_id)
    if service is None or not service.is_active:
        raise BookingError("service_unavailable", "That service is not offered.")
    channel = _channel(principal, request.channel)
    if (service.preparation or service.preparation_items) and not request.preparation_acknowledged:
        raise BookingError(
            "preparation_required", "Please confirm you have read the preparation instructions."
        )
    upload = None
    if request.referral is not None:
        try:
            upload = referral_files.validate(request.referral)
        except ReferralFileError as exc:
            raise BookingError("invalid_file", exc.message) from None
    existing = _existing_referral(session, request.placement.referral_id, request.patient_id)
    if service.referral_required and upload is None and existing is None:
        raise BookingError("referral_required", "This service needs a doctor's referral: please upload it.")

    slot = check_slot(session, clinic=clinic, service=service, start=request.start, moving=request.moving)
    if _patient_busy(session, request.patient_id, slot, request.moving):
        raise BookingError("patient_double_booked", "You already have an appointment at that time.")
    day = availability.local_day(clinic, request.start)
    try:
        quote = pricing.quote(
            session=session, service_id=request.service_id, patient_id=request.patient_id, on=day
        )
    except pricing.PricingError as exc:
        raise BookingError("service_unavailable", exc.message) from None
    return Valid(clinic, service, channel, upload, existing, slot, day, quote)


def _channel(principal: Principal, channel: str) -> BookingChannel:
    """The channel asked for; a patient's own booking is always ``online``."""
    try:
        asked = BookingChannel(channel)
    except ValueError:
        raise BookingError("invalid_channel", "Unknown booking channel.") from None
    return BookingChannel.ONLINE if principal.role is Role.PATIENT else asked


def insert(session: Session, principal: Principal, request: BookingRequest, valid: Valid) -> Appointment:
    """Store the referral file, then write the referral, the rescheduled appointment's
    cancellation and the new appointment in one SAVEPOINT. The database's no-overlap guard has
    the last word: a violation rolls the savepoint back, deletes the stored file and becomes
    ``slot_taken`` (with alternatives) or ``patient_double_booked``."""
    stored = referral_files.store(session=session, checked=valid.upload) if valid.upload is not None else None
    slot = valid.slot
    slot_locks.lock_resources(
        session,
        room_id=slot.room_id,
        equipment_id=slot.equipment_id,
        doctor_id=slot.doctor_id,
        patient_id=request.patient_id,
    )
    now = utcnow()
    try:
        with session.begin_nested():
            referral_row = _referral_for(session, principal, request, valid.referral, stored)
            if request.placement.rescheduled_from is not None:
                _cancel_for_reschedule(session, request.placement.rescheduled_from, principal, now)
            appt = _new_appointment(session, principal, request, valid, referral_row, now)
            session.add(appt)
            session.flush()
    except IntegrityError as exc:
        if stored is not None:
            referral_files.discard(session=session, stored=stored)
        which = overlap_constraint(exc)
        if which is None:
            raise
        if which == "patient":
            raise BookingError(
                "patient_double_booked", "You already have an appointment at that time."
            ) from None
        raise _taken(session, request.clinic_id, request.service_id, request.start) from None
    return appt


def _referral_for(
    session: Session,
    principal: Principal,
    request: BookingRequest,
    existing: Referral | None,
    stored: referral_files.StoredFile | None,
) -> Referral | None:
    """The referral the appointment points at: a new one for an uploaded letter, or the
    existing one named, now marked booked."""
    if stored is None:
        if existing is not None:
            existing.status = ReferralStatus.BOOKED
        return existing
    row = Referral(
        patient_id=request.patient_id,
        service_id=request.service_id,
        referrer_name=None,
        status=ReferralStatus.BOOKED,
        created_by_id=principal.user_id,
    )
    session.add(row)
    session.flush()
    session.add(
        ReferralDocument(
            referral_id=row.id,
            original_filename=stored.display_name,
            stored_name=stored.stored_name,
            content_type=stored.content_type,
            size_bytes=stored.size_bytes,
            sha256=stored.sha256,
            uploaded_by_id=principal.user_id,
        )
    )
    return row


def _new_appointment(
    session: Session,
    principal: Principal,
    request: BookingRequest,
    valid: Valid,
    referral: Referral | None,
    now: datetime,
) -> Appointment:
    slot, service, notes = valid.slot, valid.service, request.notes
    return Appointment(
        patient_id=request.patient_id,
        clinic_id=request.clinic_id,
        service_id=request.service_id,
        doctor_id=slot.doctor_id,
        room_id=slot.room_id,
        equipment_id=slot.equipment_id,
        department_id=_department_id(session, request.clinic_id, service, slot.room_id),
        referral_id=referral.id if referral is not None else None,
        appointment_type=_appointment_type(service),
        status=AppointmentStatus.BOOKED,
        channel=valid.channel,
        scheduled_start=slot.start,
        scheduled_end=slot.end,
        price=service.price,
        notes=(notes or None) and notes[:1000],
        booked_by_id=principal.user_id,
        booked_at=now,
        preparation_acknowledged_at=now if request.preparation_acknowledged else None,
        rescheduled_from_id=request.moving,
    )


def after_insert(
    session: Session, principal: Principal, request: BookingRequest, valid: Valid, appt: Appointment
) -> None:
    """The history row, the invoice (a new one, or the rescheduled appointment's moved over),
    the audit row and the event (sent on commit)."""
    assert appt.id is not None and appt.booked_at is not None
    old_id = request.moving
    session.add(
        AppointmentStatusChange(
            appointment_id=appt.id,
            from_status=None,
            to_status=AppointmentStatus.BOOKED.value,
            changed_by_id=principal.user_id,
            reason="rescheduled" if old_id else None,
            changed_at=appt.booked_at,
        )
    )
    if request.placement.rescheduled_from is not None:
        _move_invoice(session, request.placement.rescheduled_from, appt)
    else:
        billing.create_invoice_for_appointment(session=session, appointment=appt, quote=valid.quote)
    audit.record(
        session,
        principal_or_user_id=principal,
        action=audit.AuditAction.CREATE,
        patient_id=request.patient_id,
        resource_type="appointment",
        resource_id=appt.id,
        detail=f"rescheduled from {old_id}" if old_id else None,
    )
    events.publish(
        session,
        "appointment_updated" if old_id else "appointment_created",
        appointment_id=appt.id,
        clinic_id=request.clinic_id,
        patient_id=request.patient_id,
        doctor_id=appt.doctor_id,
        day=valid.day,
    )


def _existing_referral(session: Session, referral_id: int | None, patient_id: int) -> Referral | None:
    if referral_id is None:
        return None
    ref = session.get(Referral, referral_id)
    if ref is None or ref.patient_id != patient_id:
        raise BookingError("referral_not_found", "That referral was not found for this patient.")
    return ref


def _cancel_for_reschedule(session: Session, old: Appointment, principal: Principal, now: datetime) -> None:
    session.add(
        AppointmentStatusChange(
            appointment_id=old.id,
            from_status=old.status.value,
            to_status=AppointmentStatus.CANCELLED.value,
            changed_by_id=principal.user_id,
            reason="rescheduled",
            changed_at=now,
        )
    )
    old.status = AppointmentStatus.CANCELLED
    old.cancelled_at = now
    old.cancellation_reason = "rescheduled"
    old.cancelled_by_id = principal.user_id
    session.add(old)
    session.flush()  # frees its room, equipment, doctor and patient before the new insert


def _move_invoice(session: Session, old: Appointment, new: Appointment) -> None:
    """A reschedule keeps the invoice (same service, same price): it follows the new appointment."""
    invoice = session.exec(select(Invoice).where(col(Invoice.appointment_id) == old.id)).first()
    if invoice is not None:
        invoice.appointment_id = new.id
        invoice.doctor_id = new.doctor_id
        clinic = session.get(Clinic, new.clinic_id)
        if clinic is not None:
            invoice.due_date = availability.local_day(clinic, new.scheduled_start)
        session.add(invoice)
        session.flush()
