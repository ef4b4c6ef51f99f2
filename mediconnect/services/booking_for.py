"""Who a booking is for, and the booking page's requests made on that footing.

A patient books for themself: their own patient record, whatever patient the page may hold.
Desk staff and admins (``booking_choices.STAFF_BOOKERS``) book for a patient they chose, whom
the policy must let them write for; with none chosen the request is refused (``choose_patient``).
Staff reading a patient's quote leave an audit row; a patient's own quote does not (it is theirs).
A booking staff make is a ``desk`` booking, a patient's own an ``online`` one.

The page keeps the chosen patient in a backend var and passes it here with the caller's
Principal; every function decides again who the booking is for, so a forged choice gets nowhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from mediconnect.core import audit
from mediconnect.core.errors import AccessDenied
from mediconnect.core.policy import Action, Principal, require_patient
from mediconnect.models.appointments import BookingChannel
from mediconnect.models.users import Role
from mediconnect.services import booking, pricing, waitlist
from mediconnect.services.appointment_public import AppointmentPublic
from mediconnect.services.booking_choices import STAFF_BOOKERS, ServiceChoice, bookable_services
from mediconnect.services.referral_files import ReferralUpload

# Who may open the booking page at all.
BOOKERS = frozenset({Role.PATIENT}) | STAFF_BOOKERS


@dataclass(frozen=True, slots=True)
class Menu:
    """What the booking page starts from: the bookable services, and whether the caller books
    for others (and so must choose a patient first)."""

    services: list[ServiceChoice]
    for_others: bool


def menu(*, session: Session, principal: Principal) -> Menu:
    if principal.role not in BOOKERS:
        raise AccessDenied.not_allowed()
    return Menu(services=bookable_services(session=session), for_others=principal.role in STAFF_BOOKERS)


def patient_for(*, session: Session, principal: Principal, chosen: int | None) -> int:
    """The patient a booking, quote or waitlist entry of this caller is for (see the module
    docstring). Raises AccessDenied (DASH_006) or BookingError("choose_patient")."""
    if principal.role is Role.PATIENT:
        if principal.patient_id is None:
            raise AccessDenied.not_associated("no patient record")
        return principal.patient_id
    if chosen is None:
        raise booking.BookingError("choose_patient", "Choose the patient you are booking for first.")
    require_patient(session, principal=principal, patient_id=chosen, action=Action.WRITE)
    return chosen


def quote(
    *, session: Session, principal: Principal, chosen: int | None, service_id: int, on: date
) -> pricing.Quote:
    """The price the patient would pay on ``on``; staff looking at it are audited."""
    patient_id = patient_for(session=session, principal=principal, chosen=chosen)
    if principal.role is not Role.PATIENT:
        audit.record(
            session,
            principal_or_user_id=principal,
            action=audit.AuditAction.VIEW,
            patient_id=patient_id,
            resource_type="quote",
            resource_id=service_id,
        )
    return pricing.quote(session=session, service_id=service_id, patient_id=patient_id, on=on)


def book(
    *,
    session: Session,
    principal: Principal,
    chosen: int | None,
    clinic_id: int,
    service_id: int,
    start: datetime,
    preparation_acknowledged: bool,
    referral: ReferralUpload | None,
) -> AppointmentPublic:
    """``booking.book`` for the patient this caller books for, on the caller's channel."""
    patient_id = patient_for(session=session, principal=principal, chosen=chosen)
    channel = BookingChannel.DESK if principal.role in STAFF_BOOKERS else BookingChannel.ONLINE
    return booking.book(
        session=session,
        principal=principal,
        patient_id=patient_id,
        clinic_id=clinic_id,
        service_id=service_id,
        start=start,
        preparation_acknowledged=preparation_acknowledged,
        referral=referral,
        channel=channel.value,
    )


def join_waitlist(
    *, session: Session, principal: Principal, chosen: int | None, clinic_id: int, service_id: int, day: date
) -> waitlist.WaitlistPublic:
    """Put the patient this caller books for on the waiting list of that clinic-local day."""
    patient_id = patient_for(session=session, principal=principal, chosen=chosen)
    return waitlist.join(
        session=session,
        principal=principal,
        patient_id=patient_id,
        clinic_id=clinic_id,
        service_id=service_id,
        desired_date=day,
    )
