"""The waitlist: a patient waits for a full day; a freed slot is offered to the first in line.

* ``join``: only when that day has no free slot in the patient's time window (otherwise they
  are told to book); one active entry per patient, clinic, service and day.
* ``offer_next``: the first WAITING entry (creation order) whose window holds a free slot not
  already offered to someone else gets OFFERED, with ``offered_slot_start`` and
  ``offer_expires_at`` (``OFFER_TTL``, 2 hours, never past the slot's own start); publishes
  ``waitlist_offered``. Called by ``lifecycle`` after a cancellation or a reschedule.
* ``accept`` books the offered slot through ``booking.place`` (the same checks and the same
  database guarantee), ``decline`` passes it on, ``leave`` takes the patient off the list
  (passing on any offer they held), ``expire_offers`` (Celery beat) lapses stale offers and
  passes them on.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from pydantic import BaseModel
from sqlmodel import Session, col, select

from mediconnect.core import audit, events, policy
from mediconnect.core.errors import AccessDenied
from mediconnect.core.policy import Action, Principal
from mediconnect.models.appointments import WaitlistEntry, WaitlistStatus
from mediconnect.models.base import utcnow
from mediconnect.models.clinics import Clinic
from mediconnect.models.users import Role
from mediconnect.services import availability, booking
from mediconnect.services.appointment_public import AppointmentPublic, iso_local, to_public
from mediconnect.services.availability import Slot
from mediconnect.services.booking import BookingError, Placement
from mediconnect.services.referral_files import ReferralUpload

OFFER_TTL = timedelta(hours=2)
ACTIVE = (WaitlistStatus.WAITING, WaitlistStatus.OFFERED)


class WaitlistPublic(BaseModel):
    id: int
    patient_id: int
    clinic_id: int
    service_id: int
    desired_date: str
    earliest_time: str | None
    latest_time: str | None
    status: str
    offered_slot_start: str | None
    offer_expires_at: str | None
    appointment_id: int | None


def to_public_entry(session: Session, entry: WaitlistEntry) -> WaitlistPublic:
    clinic = session.get(Clinic, entry.clinic_id)
    assert clinic is not None and entry.id is not None
    assert entry.patient_id is not None and entry.clinic_id is not None and entry.service_id is not None
    return WaitlistPublic(
        id=entry.id,
        patient_id=entry.patient_id,
        clinic_id=entry.clinic_id,
        service_id=entry.service_id,
        desired_date=entry.desired_date.isoformat(),
        earliest_time=entry.earliest_time.isoformat("minutes") if entry.earliest_time else None,
        latest_time=entry.latest_time.isoformat("minutes") if entry.latest_time else None,
        status=entry.status.value,
        offered_slot_start=iso_local(entry.offered_slot_start, clinic),
        offer_expires_at=iso_local(entry.offer_expires_at, clinic),
        appointment_id=entry.appointment_id,
    )


def _in_window(slot: Slot, clinic: Clinic, earliest: time | None, latest: time | None) -> bool:
    tz = availability.clinic_zone(clinic)
    t0, t1 = slot.start.astimezone(tz).time(), slot.end.astimezone(tz).time()
    return (earliest is None or t0 >= earliest) and (latest is None or t1 <= latest)


def join(
    *,
    session: Session,
    principal: Principal,
    patient_id: int,
    clinic_id: int,
    service_id: int,
    desired_date: date,
    earliest_time: time | None = None,
    latest_time: time | None = None,
) -> WaitlistPublic:
    policy.require_patient(session, principal=principal, patient_id=patient_id, action=Action.WRITE)
    if principal.role is Role.PATIENT and principal.patient_id != patient_id:
        raise AccessDenied.not_associated("patients join the waitlist for themselves only")
    clinic = session.get(Clinic, clinic_id)
    if clinic is None:
        raise BookingError("clinic_not_found", "That clinic does not exist.")
    if earliest_time and latest_time and earliest_time >= latest_time:
        raise BookingError("invalid_time", "The earliest time must be before the latest time.")
    if desired_date < availability.local_day(clinic, utcnow()):
        raise BookingError("invalid_time", "That day has passed.")
    free = availability.day_slots(
        session=session, clinic_id=clinic_id, service_id=service_id, day=desired_date
    )
    if any(_in_window(s, clinic, earliest_time, latest_time) for s in free):
        raise BookingError(
            "slots_available",
            "There are free times that day: please book one of them.",
            alternatives=free[:3],
        )
    existing = session.exec(
        select(WaitlistEntry).where(
            col(WaitlistEntry.patient_id) == patient_id,
            col(WaitlistEntry.clinic_id) == clinic_id,
            col(WaitlistEntry.service_id) == service_id,
            col(WaitlistEntry.desired_date) == desired_date,
            col(WaitlistEntry.status).in_(ACTIVE),
        )
    ).first()
    if existing is not None:
        return to_public_entry(session, existing)
    entry = WaitlistEntry(
        patient_id=patient_id,
        clinic_id=clinic_id,
        service_id=service_id,
        desired_date=desired_date,
        earliest_time=earliest_time,
        latest_time=latest_time,
    )
    session.add(entry)
    session.flush()
    audit.record(
        session,
        principal_or_user_id=principal,
        action=audit.AuditAction.CREATE,
        patient_id=patient_id,
        resource_type="waitlist_entry",
        resource_id=entry.id,
    )
    return to_public_entry(session, entry)


def _lock_day(session: Session, clinic_id: int, service_id: int, day: date) -> list[WaitlistEntry]:
    """The day's active entries, locked, always in the same order (no lock-order deadlocks)."""
    return list(
        session.exec(
            select(WaitlistEntry)
            .where(
                col(WaitlistEntry.clinic_id) == clinic_id,
                col(WaitlistEntry.service_id) == service_id,
                col(WaitlistEntry.desired_date) == day,
                col(WaitlistEntry.status).in_(ACTIVE),
            )
            .order_by(col(WaitlistEntry.created_at), col(WaitlistEntry.id))
            .with_for_update()
        ).all()
    )


def offer_next(
    *, session: Session, clinic_id: int, service_id: int, day: date, now: datetime | None = None
) -> WaitlistEntry | None:
    """Offer a free slot of that day to the first waiting patient it suits; None if nobody."""
    now = now or utcnow()
    clinic = session.get(Clinic, clinic_id)
    if clinic is None:
        return None
    rows = _lock_day(session, clinic_id, service_id, day)
    waiting = [e for e in rows if e.status is WaitlistStatus.WAITING]
    if not waiting:
        return None
    held = {e.offered_slot_start for e in rows if e.status is WaitlistStatus.OFFERED}
    free = [
        s
        for s in availability.day_slots(
            session=session, clinic_id=clinic_id, service_id=service_id, day=day, now=now
        )
        if s.start not in held
    ]
    for entry in waiting:
        slot = next((s for s in free if _in_window(s, clinic, entry.earliest_time, entry.latest_time)), None)
        if slot is None:
            continue
        entry.status = WaitlistStatus.OFFERED
        entry.offered_at = now
        entry.offered_slot_start = slot.start
        entry.offer_expires_at = min(now + OFFER_TTL, slot.start - availability.LEAD_TIME)
        session.add(entry)
        session.flush()
        assert entry.id is not None
        events.publish(
            session, "waitlist_offered", waitlist_entry_id=entry.id, patient_id=entry.patient_id,
            clinic_id=clinic_id, day=day,
        )  # fmt: skip
        return entry
    return None


def _load(session: Session, principal: Principal, entry_id: int) -> WaitlistEntry:
    # No row lock here: writers take the audit chain's lock before any waitlist row lock
    # (cancel -> offer_next does), so taking them the other way round could deadlock.
    entry = session.get(WaitlistEntry, entry_id)
    if entry is None or entry.patient_id is None:
        if Action.WRITE not in policy.PATIENT_ACTIONS.get(principal.role, frozenset()):
            raise AccessDenied.not_allowed(f"role {principal.role.value} may not use the waitlist")
        raise AccessDenied.not_associated("not associated with this waitlist entry")
    policy.require_patient(session, principal=principal, patient_id=entry.patient_id, action=Action.WRITE)
    return entry


def _live_offer(entry: WaitlistEntry, now: datetime) -> datetime:
    if entry.status is not WaitlistStatus.OFFERED or entry.offered_slot_start is None:
        raise BookingError("no_offer", "There is no open offer on this waitlist entry.")
    if entry.offer_expires_at is not None and entry.offer_expires_at <= now:
        raise BookingError("offer_expired", "This offer has expired.")
    return entry.offered_slot_start


def accept(
    *,
    session: Session,
    principal: Principal,
    entry_id: int,
    preparation_acknowledged: bool,
    referral: ReferralUpload | None = None,
    referral_id: int | None = None,
) -> AppointmentPublic:
    entry = _load(session, principal, entry_id)
    start = _live_offer(entry, utcnow())
    assert entry.patient_id is not None and entry.clinic_id is not None and entry.service_id is not None
    appt = booking.place(
        session=session,
        principal=principal,
        patient_id=entry.patient_id,
        clinic_id=entry.clinic_id,
        service_id=entry.service_id,
        start=start,
        preparation_acknowledged=preparation_acknowledged,
        referral=referral,
        channel="online",
        notes=None,
        placement=Placement(referral_id=referral_id),
    )
    entry.status = WaitlistStatus.ACCEPTED
    entry.appointment_id = appt.id
    session.add(entry)
    session.flush()
    return to_public(session, appt)


def decline(*, session: Session, principal: Principal, entry_id: int) -> WaitlistPublic:
    entry = _load(session, principal, entry_id)
    _live_offer(entry, utcnow())
    audit.record(
        session,
        principal_or_user_id=principal,
        action=audit.AuditAction.UPDATE,
        patient_id=entry.patient_id,
        resource_type="waitlist_entry",
        resource_id=entry.id,
        detail="offer declined",
    )
    session.refresh(entry, with_for_update=True)
    _live_offer(entry, utcnow())  # still open now that we hold the row
    entry.status = WaitlistStatus.DECLINED
    session.add(entry)
    session.flush()
    assert entry.clinic_id is not None and entry.service_id is not None
    offer_next(
        session=session, clinic_id=entry.clinic_id, service_id=entry.service_id, day=entry.desired_date
    )
    return to_public_entry(session, entry)


def leave(*, session: Session, principal: Principal, entry_id: int) -> WaitlistPublic:
    """The patient no longer wants that day: the entry is cancelled, and an offer it held passes
    to the next in line."""
    entry = _load(session, principal, entry_id)
    if entry.status not in ACTIVE:
        raise BookingError("not_waiting", "This entry is no longer on the waiting list.")
    audit.record(
        session,
        principal_or_user_id=principal,
        action=audit.AuditAction.UPDATE,
        patient_id=entry.patient_id,
        resource_type="waitlist_entry",
        resource_id=entry.id,
        detail="left the waiting list",
    )
    session.refresh(entry, with_for_update=True)
    if entry.status not in ACTIVE:  # an offer accepted or lapsed meanwhile
        raise BookingError("not_waiting", "This entry is no longer on the waiting list.")
    held_offer = entry.status is WaitlistStatus.OFFERED
    entry.status = WaitlistStatus.CANCELLED
    session.add(entry)
    session.flush()
    assert entry.id is not None and entry.clinic_id is not None and entry.service_id is not None
    events.publish(
        session, "waitlist_updated", waitlist_entry_id=entry.id, patient_id=entry.patient_id,
        clinic_id=entry.clinic_id, day=entry.desired_date,
    )  # fmt: skip
    if held_offer:
        offer_next(
            session=session, clinic_id=entry.clinic_id, service_id=entry.service_id, day=entry.desired_date
        )
    return to_public_entry(session, entry)


def expire_offers(*, session: Session, now: datetime | None = None) -> int:
    """Lapse offers past their expiry and pass each slot on; returns how many lapsed.

    Finds the affected days without locking, then per day locks its entries the way
    ``offer_next`` does, so it never deadlocks with a cancellation offering on the same day.
    """
    now = now or datetime.now(UTC)
    days = session.exec(
        select(col(WaitlistEntry.clinic_id), col(WaitlistEntry.service_id), col(WaitlistEntry.desired_date))
        .where(
            col(WaitlistEntry.status) == WaitlistStatus.OFFERED,
            col(WaitlistEntry.offer_expires_at) <= now,
        )
        .distinct()
    ).all()
    lapsed = 0
    for clinic_id, service_id, day in sorted((c, s, d) for c, s, d in days if c and s):
        for entry in _lock_day(session, clinic_id, service_id, day):
            expires = entry.offer_expires_at
            if entry.status is WaitlistStatus.OFFERED and expires is not None and expires <= now:
                entry.status = WaitlistStatus.EXPIRED
                session.add(entry)
                lapsed += 1
        session.flush()
        offer_next(session=session, clinic_id=clinic_id, service_id=service_id, day=day, now=now)
    return lapsed
