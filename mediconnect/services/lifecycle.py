"""The appointment lifecycle: booked -> confirmed -> checked_in -> in_progress -> completed,
or cancelled / no_show, and reschedule.

Every transition: ``require_appointment(WRITE)`` (the one policy), then a role rule:

* desk transitions (confirm, check in, start, complete, no-show) are run by clinic staff of the
  clinic, the appointment's doctor or an admin, never by a patient;
* a patient may cancel or reschedule only their own appointment, and only at least
  ``PATIENT_CANCEL_NOTICE`` (24 hours) before it starts; staff, doctors and admins may at any
  time before it is checked in, giving a reason;
* a no-show is recorded only once the start time has passed.

The row is read ``FOR UPDATE`` (PostgreSQL) so two desks cannot both move it. Each transition
sets its timestamp, writes an ``AppointmentStatusChange``, is audited and publishes
``appointment_updated`` (``appointment_cancelled`` for a cancellation) after commit. A freed
slot (cancel, reschedule) is offered to the first patient on that day's waitlist.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from mediconnect.core import audit, events, policy
from mediconnect.core.errors import AccessDenied, DashErrorCode
from mediconnect.core.policy import Action, Principal
from mediconnect.models.appointments import Appointment, AppointmentStatus, AppointmentStatusChange
from mediconnect.models.base import utcnow
from mediconnect.models.clinics import Clinic
from mediconnect.models.users import Role
from mediconnect.services import availability, billing, booking, waitlist
from mediconnect.services.appointment_public import AppointmentPublic, to_public
from mediconnect.services.booking import BookingError, Placement

PATIENT_CANCEL_NOTICE = timedelta(hours=24)
DESK_ROLES = frozenset({Role.CLINIC_STAFF, Role.DOCTOR, Role.ADMIN})
S = AppointmentStatus
CANCELLABLE = (S.BOOKED, S.CONFIRMED)


def _load(session: Session, principal: Principal, appointment_id: int) -> Appointment:
    policy.require_appointment(
        session, principal=principal, appointment_id=appointment_id, action=Action.WRITE
    )
    appt = session.exec(
        select(Appointment).where(col(Appointment.id) == appointment_id).with_for_update()
    ).one()
    session.refresh(appt)  # the locked, current row, not a stale copy from the identity map
    return appt


def _desk_only(principal: Principal) -> None:
    if principal.role not in DESK_ROLES:
        raise AccessDenied(DashErrorCode.DASH_002, f"role {principal.role.value} may not run the desk")


def _day(session: Session, appt: Appointment) -> date:
    clinic = session.get(Clinic, appt.clinic_id)
    assert clinic is not None
    return availability.local_day(clinic, appt.scheduled_start)


def _record(
    session: Session,
    principal: Principal,
    appt: Appointment,
    old: AppointmentStatus,
    reason: str | None,
    now: datetime,
    event: str = "appointment_updated",
) -> None:
    session.add(appt)
    session.add(
        AppointmentStatusChange(
            appointment_id=appt.id,
            from_status=old.value,
            to_status=appt.status.value,
            changed_by_id=principal.user_id,
            reason=reason,
            changed_at=now,
        )
    )
    session.flush()
    audit.record(
        session,
        principal_or_user_id=principal,
        action=audit.AuditAction.UPDATE,
        patient_id=appt.patient_id,
        resource_type="appointment",
        resource_id=appt.id,
        detail=f"{old.value} -> {appt.status.value}",
    )
    day = _day(session, appt)
    assert appt.id is not None
    events.publish(
        session,
        event,
        appointment_id=appt.id,
        clinic_id=appt.clinic_id,
        patient_id=appt.patient_id,
        doctor_id=appt.doctor_id,
        day=day,
    )


def _transition(
    *,
    session: Session,
    principal: Principal,
    appointment_id: int,
    allowed_from: tuple[AppointmentStatus, ...],
    to: AppointmentStatus,
    stamp: Callable[[Appointment, datetime], None],
    verb: str,
) -> AppointmentPublic:
    _desk_only(principal)  # the role first: a patient learns nothing about others' appointments
    appt = _load(session, principal, appointment_id)
    if appt.status not in allowed_from:
        raise BookingError(
            "invalid_transition", f"A {appt.status.value.replace('_', ' ')} appointment cannot be {verb}."
        )
    now, old = utcnow(), appt.status
    stamp(appt, now)  # may refuse (no-show too early) before anything changed
    appt.status = to
    _record(session, principal, appt, old, None, now)
    return to_public(session, appt)


def confirm(*, session: Session, principal: Principal, appointment_id: int) -> AppointmentPublic:
    def stamp(a: Appointment, now: datetime) -> None:
        a.confirmed_at = now

    return _transition(
        session=session, principal=principal, appointment_id=appointment_id,
        allowed_from=(S.BOOKED,), to=S.CONFIRMED, stamp=stamp, verb="confirmed",
    )  # fmt: skip


def check_in(*, session: Session, principal: Principal, appointment_id: int) -> AppointmentPublic:
    def stamp(a: Appointment, now: datetime) -> None:
        a.checked_in_at = now

    return _transition(
        session=session, principal=principal, appointment_id=appointment_id,
        allowed_from=(S.BOOKED, S.CONFIRMED), to=S.CHECKED_IN, stamp=stamp, verb="checked in",
    )  # fmt: skip


def start(*, session: Session, principal: Principal, appointment_id: int) -> AppointmentPublic:
    def stamp(a: Appointment, now: datetime) -> None:
        a.started_at = now

    return _transition(
        session=session, principal=principal, appointment_id=appointment_id,
        allowed_from=(S.CHECKED_IN,), to=S.IN_PROGRESS, stamp=stamp, verb="started",
    )  # fmt: skip


def complete(*, session: Session, principal: Principal, appointment_id: int) -> AppointmentPublic:
    def stamp(a: Appointment, now: datetime) -> None:
        a.ended_at = now

    return _transition(
        session=session, principal=principal, appointment_id=appointment_id,
        allowed_from=(S.IN_PROGRESS,), to=S.COMPLETED, stamp=stamp, verb="completed",
    )  # fmt: skip


def mark_no_show(*, session: Session, principal: Principal, appointment_id: int) -> AppointmentPublic:
    def stamp(a: Appointment, now: datetime) -> None:
        if now < a.scheduled_start:
            raise BookingError("too_early", "A no-show can only be recorded after the start time.")
        a.no_show_recorded_at = now

    return _transition(
        session=session, principal=principal, appointment_id=appointment_id,
        allowed_from=CANCELLABLE, to=S.NO_SHOW, stamp=stamp, verb="marked as a no-show",
    )  # fmt: skip


def _may_change(principal: Principal, appt: Appointment, reason: str | None, now: datetime) -> str | None:
    """The cleaned reason, after the patient / staff rules; raises BookingError."""
    if appt.status not in CANCELLABLE:
        raise BookingError(
            "invalid_transition", f"A {appt.status.value.replace('_', ' ')} appointment cannot be changed."
        )
    reason = (reason or "").strip()[:300] or None
    if principal.role is Role.PATIENT:
        if principal.patient_id != appt.patient_id:  # require_appointment already says so
            raise AccessDenied(DashErrorCode.DASH_006, "not this patient's appointment")
        if appt.scheduled_start - now < PATIENT_CANCEL_NOTICE:
            raise BookingError(
                "too_late_to_cancel",
                "Appointments can be cancelled or moved online up to 24 hours before they start. "
                "Please call the clinic.",
            )
        return reason
    if principal.role not in DESK_ROLES:
        raise AccessDenied(DashErrorCode.DASH_002, f"role {principal.role.value} may not change appointments")
    return reason


def cancel(
    *, session: Session, principal: Principal, appointment_id: int, reason: str | None = None
) -> AppointmentPublic:
    appt = _load(session, principal, appointment_id)
    now = utcnow()
    clean = _may_change(principal, appt, reason, now)
    if principal.role is not Role.PATIENT and not clean:
        raise BookingError("reason_required", "Please give a reason for the cancellation.")
    old = appt.status
    appt.status = S.CANCELLED
    appt.cancelled_at = now
    appt.cancellation_reason = clean or "cancelled by the patient"
    appt.cancelled_by_id = principal.user_id
    _record(session, principal, appt, old, appt.cancellation_reason, now, event="appointment_cancelled")
    # No longer owed, nor counted against the annual limit; payments taken stay for a refund.
    billing.cancel_invoice_for_appointment(session=session, appointment=appt)
    _offer_freed(session, appt)
    return to_public(session, appt)


def reschedule(
    *, session: Session, principal: Principal, appointment_id: int, new_start: datetime
) -> AppointmentPublic:
    """A new appointment at ``new_start`` (same patient, clinic, service, referral), the old one
    cancelled with reason "rescheduled" and linked by ``rescheduled_from_id``; atomic."""
    appt = _load(session, principal, appointment_id)
    _may_change(principal, appt, None, utcnow())
    assert appt.patient_id is not None and appt.clinic_id is not None and appt.service_id is not None
    old_day = _day(session, appt)
    new = booking.place(
        session=session,
        principal=principal,
        patient_id=appt.patient_id,
        clinic_id=appt.clinic_id,
        service_id=appt.service_id,
        start=new_start,
        preparation_acknowledged=True,  # acknowledged when first booked
        referral=None,
        channel=appt.channel.value,
        notes=appt.notes,
        placement=Placement(referral_id=appt.referral_id, rescheduled_from=appt),
    )
    events.publish(
        session,
        "appointment_cancelled",
        appointment_id=appt.id,
        clinic_id=appt.clinic_id,
        patient_id=appt.patient_id,
        doctor_id=appt.doctor_id,
        day=old_day,
    )
    _offer_freed(session, appt)
    return to_public(session, new)


def _offer_freed(session: Session, appt: Appointment) -> None:
    assert appt.clinic_id is not None and appt.service_id is not None
    day = _day(session, appt)
    waitlist.offer_next(session=session, clinic_id=appt.clinic_id, service_id=appt.service_id, day=day)
