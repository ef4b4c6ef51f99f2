"""The waitlist: join only a full day; a cancellation offers the slot to the first in line;
accept books it, decline and expiry pass it on."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlmodel import Session

from mediconnect.core import events
from mediconnect.core.errors import AccessDenied
from mediconnect.models.appointments import Appointment, WaitlistEntry, WaitlistStatus
from mediconnect.services import lifecycle, waitlist
from mediconnect.services.booking import BookingError, book
from mediconnect.services.waitlist import OFFER_TTL
from tests.core import factories
from tests.services import scheduling_world as sw


def _fill_morning(w: sw.World) -> list[int]:
    """Book every ultrasound slot (the sonographer works 08:00-12:00) with fresh patients."""
    ids = []
    for k in range(8):
        _, p = factories.patient(w.session, home_clinic=w.clinic)
        appt = book(
            session=w.session,
            principal=w.principal(w.staff_user),
            patient_id=p.id,
            clinic_id=w.clinic.id,
            service_id=w.us.id,
            start=sw.local(w.day, 8 + k // 2, 30 * (k % 2)),
            preparation_acknowledged=True,
            channel="desk",
        )
        ids.append(appt.id)
    return ids


def _join(w: sw.World, user, patient):  # type: ignore[no-untyped-def]
    return waitlist.join(
        session=w.session,
        principal=w.principal(user),
        patient_id=patient.id,
        clinic_id=w.clinic.id,
        service_id=w.us.id,
        desired_date=w.day,
    )


def test_join_only_when_full(session: Session) -> None:
    w = sw.build(session)
    with pytest.raises(BookingError) as e:
        _join(w, w.patient_user, w.patient)
    assert e.value.code == "slots_available" and e.value.alternatives
    _fill_morning(w)
    entry = _join(w, w.patient_user, w.patient)
    assert entry.status == "waiting"
    assert _join(w, w.patient_user, w.patient).id == entry.id  # joining twice is the same entry
    # A window later than any free time also counts as full.
    late = waitlist.join(
        session=session,
        principal=w.principal(w.other_patient_user),
        patient_id=w.other_patient.id,
        clinic_id=w.clinic.id,
        service_id=w.us.id,
        desired_date=w.day,
        earliest_time=time(9),
        latest_time=time(11),
    )
    assert late.earliest_time == "09:00"


def test_cancel_offers_slot_to_first_waiting_then_accept(session: Session) -> None:
    w = sw.build(session)
    booked = _fill_morning(w)
    first = _join(w, w.patient_user, w.patient)
    second = _join(w, w.other_patient_user, w.other_patient)
    seen: list[events.DomainEvent] = []
    unsubscribe = events.subscribe(seen.append)
    try:
        lifecycle.cancel(
            session=session,
            principal=w.principal(w.staff_user),
            appointment_id=booked[2],
            reason="Patient phoned",
        )
        session.commit()
        offered = sw.wait_for(seen, "waitlist_offered", timeout=300)
    finally:
        unsubscribe()
    e1 = session.get(WaitlistEntry, first.id)
    e2 = session.get(WaitlistEntry, second.id)
    assert e1 is not None and e2 is not None
    assert e1.status is WaitlistStatus.OFFERED and e2.status is WaitlistStatus.WAITING
    assert e1.offered_slot_start == sw.local(w.day, 9)
    assert e1.offer_expires_at is not None and e1.offered_at is not None
    assert e1.offer_expires_at - e1.offered_at <= OFFER_TTL
    assert [e.ids["waitlist_entry_id"] for e in offered] == [first.id]
    # Another patient cannot accept someone else's offer.
    with pytest.raises(Exception):
        waitlist.accept(
            session=session,
            principal=w.principal(w.other_patient_user),
            entry_id=first.id,
            preparation_acknowledged=True,
        )
    appt = waitlist.accept(
        session=session,
        principal=w.principal(w.patient_user),
        entry_id=first.id,
        preparation_acknowledged=True,
    )
    assert appt.patient_id == w.patient.id and appt.start.startswith(f"{w.day.isoformat()}T09:00")
    assert e1.status is WaitlistStatus.ACCEPTED and e1.appointment_id == appt.id


def test_decline_and_expiry_pass_the_offer_on(session: Session) -> None:
    w = sw.build(session)
    booked = _fill_morning(w)
    first = _join(w, w.patient_user, w.patient)
    second = _join(w, w.other_patient_user, w.other_patient)
    _, third_patient = factories.patient(session, home_clinic=w.clinic)
    third = waitlist.join(
        session=session,
        principal=w.principal(w.staff_user),
        patient_id=third_patient.id,
        clinic_id=w.clinic.id,
        service_id=w.us.id,
        desired_date=w.day,
    )
    lifecycle.cancel(
        session=session, principal=w.principal(w.staff_user), appointment_id=booked[0], reason="x"
    )
    waitlist.decline(session=session, principal=w.principal(w.patient_user), entry_id=first.id)
    e2 = session.get(WaitlistEntry, second.id)
    assert e2 is not None and e2.status is WaitlistStatus.OFFERED
    assert e2.offer_expires_at is not None
    lapsed = waitlist.expire_offers(session=session, now=e2.offer_expires_at + timedelta(seconds=1))
    assert lapsed == 1 and e2.status is WaitlistStatus.EXPIRED
    e3 = session.get(WaitlistEntry, third.id)
    assert e3 is not None and e3.status is WaitlistStatus.OFFERED
    with pytest.raises(BookingError) as e:
        waitlist.accept(
            session=session,
            principal=w.principal(w.other_patient_user),
            entry_id=second.id,
            preparation_acknowledged=True,
        )
    assert e.value.code == "no_offer"
    assert session.get(Appointment, booked[0]) is not None
    assert datetime.now(UTC) < (e3.offer_expires_at or datetime.now(UTC)) + OFFER_TTL


def test_leaving_the_list_passes_a_held_offer_on(session: Session) -> None:
    w = sw.build(session)
    booked = _fill_morning(w)
    first = _join(w, w.patient_user, w.patient)
    second = _join(w, w.other_patient_user, w.other_patient)
    with pytest.raises(AccessDenied):  # not someone else's entry
        waitlist.leave(session=session, principal=w.principal(w.other_patient_user), entry_id=first.id)

    lifecycle.cancel(
        session=session, principal=w.principal(w.staff_user), appointment_id=booked[0], reason="x"
    )
    assert session.get(WaitlistEntry, first.id).status is WaitlistStatus.OFFERED  # type: ignore[union-attr]
    left = waitlist.leave(session=session, principal=w.principal(w.patient_user), entry_id=first.id)
    assert left.status == "cancelled"
    e2 = session.get(WaitlistEntry, second.id)
    assert e2 is not None and e2.status is WaitlistStatus.OFFERED  # the freed time went on

    with pytest.raises(BookingError) as again:
        waitlist.leave(session=session, principal=w.principal(w.patient_user), entry_id=first.id)
    assert again.value.code == "not_waiting"
