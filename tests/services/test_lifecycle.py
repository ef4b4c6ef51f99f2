"""The lifecycle: desk transitions with timestamps and history, cancel (24 h rule, reasons, owners),
no-show after the start only, reschedule (atomic, linked), and the reads (list, detail, queue)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from mediconnect.core import events
from mediconnect.core.errors import AccessDenied
from mediconnect.models.appointments import Appointment, AppointmentStatus, AppointmentStatusChange
from mediconnect.models.billing import Invoice
from mediconnect.models.users import Role
from mediconnect.services import appointments_query, lifecycle
from mediconnect.services.booking import BookingError, book
from tests.core import factories
from tests.services import scheduling_world as sw


def _us(w: sw.World, hh: int = 9, mm: int = 0, patient: bool = True):  # type: ignore[no-untyped-def]
    who = (w.patient_user, w.patient) if patient else (w.other_patient_user, w.other_patient)
    return book(
        session=w.session,
        principal=w.principal(who[0]),
        patient_id=who[1].id,
        clinic_id=w.clinic.id,
        service_id=w.us.id,
        start=sw.local(w.day, hh, mm),
        preparation_acknowledged=True,
    )


def _history(session: Session, appointment_id: int) -> list[tuple[str | None, str]]:
    rows = session.exec(
        select(AppointmentStatusChange)
        .where(AppointmentStatusChange.appointment_id == appointment_id)
        .order_by(col(AppointmentStatusChange.id))
    ).all()
    return [(r.from_status, r.to_status) for r in rows]


def _backdate(session: Session, appointment_id: int, hours: float) -> None:
    """Move an appointment so it started ``hours`` ago (the desk works on today's list)."""
    a = session.get(Appointment, appointment_id)
    assert a is not None
    length = a.scheduled_end - a.scheduled_start
    a.scheduled_start = datetime.now(UTC) - timedelta(hours=hours)
    a.scheduled_end = a.scheduled_start + length
    session.add(a)
    session.flush()


def test_desk_runs_the_day(session: Session) -> None:
    w = sw.build(session)
    appt = _us(w)
    desk = w.principal(w.staff_user)
    steps = [lifecycle.confirm, lifecycle.check_in, lifecycle.start, lifecycle.complete]
    for step in steps:
        step(session=session, principal=desk, appointment_id=appt.id)
    row = session.get(Appointment, appt.id)
    assert row is not None and row.status is AppointmentStatus.COMPLETED
    assert row.confirmed_at and row.checked_in_at and row.started_at and row.ended_at
    assert row.confirmed_at <= row.checked_in_at <= row.started_at <= row.ended_at
    assert _history(session, appt.id) == [
        (None, "booked"), ("booked", "confirmed"), ("confirmed", "checked_in"),
        ("checked_in", "in_progress"), ("in_progress", "completed"),
    ]  # fmt: skip
    with pytest.raises(BookingError) as e:
        lifecycle.check_in(session=session, principal=desk, appointment_id=appt.id)
    assert e.value.code == "invalid_transition" and "completed" in e.value.message


def test_invalid_transitions_and_roles(session: Session) -> None:
    w = sw.build(session)
    appt = _us(w)
    desk = w.principal(w.staff_user)
    with pytest.raises(BookingError) as e:
        lifecycle.start(session=session, principal=desk, appointment_id=appt.id)
    assert e.value.code == "invalid_transition"
    with pytest.raises(AccessDenied) as d:  # a patient cannot check themselves in
        lifecycle.check_in(session=session, principal=w.principal(w.patient_user), appointment_id=appt.id)
    assert d.value.code.code == "DASH_002"
    with pytest.raises(AccessDenied):  # nor touch someone else's appointment
        lifecycle.cancel(session=session, principal=w.principal(w.other_patient_user), appointment_id=appt.id)
    other_clinic_staff = factories.staff(session, Role.CLINIC_STAFF, clinics=(factories.clinic(session),))
    with pytest.raises(AccessDenied):
        lifecycle.confirm(session=session, principal=w.principal(other_clinic_staff), appointment_id=appt.id)
    analyst = factories.user(session, Role.ANALYTICS_STAFF)
    with pytest.raises(AccessDenied):
        lifecycle.confirm(session=session, principal=w.principal(analyst), appointment_id=appt.id)
    # no-show only once the start time has passed
    with pytest.raises(BookingError) as e:
        lifecycle.mark_no_show(session=session, principal=desk, appointment_id=appt.id)
    assert e.value.code == "too_early"
    _backdate(session, appt.id, 0.5)
    lifecycle.mark_no_show(session=session, principal=desk, appointment_id=appt.id)
    row = session.get(Appointment, appt.id)
    assert row is not None and row.status is AppointmentStatus.NO_SHOW and row.no_show_recorded_at


def test_patient_cancels_own_at_least_24h_ahead(session: Session) -> None:
    w = sw.build(session)
    appt = _us(w)
    seen: list[events.DomainEvent] = []
    unsubscribe = events.subscribe(seen.append)
    try:
        out = lifecycle.cancel(session=session, principal=w.principal(w.patient_user), appointment_id=appt.id)
        assert out.status == "cancelled" and out.cancelled_at
        assert not [e for e in seen if e.name == "appointment_cancelled"]
        session.commit()
        assert [e.ids["appointment_id"] for e in sw.wait_for(seen, "appointment_cancelled")] == [appt.id]
    finally:
        unsubscribe()
    row = session.get(Appointment, appt.id)
    assert row is not None and row.cancelled_by_id == w.patient_user.id
    # Within 24 hours: refused for the patient, allowed for staff with a reason.
    late = _us(w, 10)
    _backdate(session, late.id, -5)  # starts in 5 hours
    with pytest.raises(BookingError) as e:
        lifecycle.cancel(session=session, principal=w.principal(w.patient_user), appointment_id=late.id)
    assert e.value.code == "too_late_to_cancel"
    with pytest.raises(BookingError) as e:
        lifecycle.cancel(session=session, principal=w.principal(w.staff_user), appointment_id=late.id)
    assert e.value.code == "reason_required"
    done = lifecycle.cancel(
        session=session,
        principal=w.principal(w.staff_user),
        appointment_id=late.id,
        reason="Radiographer ill",
    )
    assert done.cancellation_reason == "Radiographer ill"


def test_reschedule_is_linked_and_atomic(session: Session) -> None:
    w = sw.build(session)
    appt = _us(w)
    moved = lifecycle.reschedule(
        session=session,
        principal=w.principal(w.patient_user),
        appointment_id=appt.id,
        new_start=sw.local(w.day, 11),
    )
    assert moved.rescheduled_from_id == appt.id and moved.start.startswith(f"{w.day.isoformat()}T11:00")
    old = session.get(Appointment, appt.id)
    assert (
        old is not None
        and old.status is AppointmentStatus.CANCELLED
        and old.cancellation_reason == "rescheduled"
    )
    invoice = session.exec(select(Invoice).where(Invoice.appointment_id == moved.id)).one()
    assert invoice.patient_id == w.patient.id
    # A taken target leaves everything as it was.
    _us(w, 10, patient=False)
    with pytest.raises(BookingError) as e:
        lifecycle.reschedule(
            session=session,
            principal=w.principal(w.patient_user),
            appointment_id=moved.id,
            new_start=sw.local(w.day, 10),
        )
    assert e.value.code == "slot_taken" and e.value.alternatives
    again = session.get(Appointment, moved.id)
    assert again is not None and again.status is AppointmentStatus.BOOKED


def test_lists_detail_and_queue(session: Session) -> None:
    w = sw.build(session)
    mine = _us(w)
    theirs = _us(w, 10, patient=False)
    page = appointments_query.list_appointments(session=session, principal=w.principal(w.patient_user))
    assert [r.id for r in page.rows] == [mine.id] and page.total == 1
    staff = appointments_query.list_appointments(
        session=session,
        principal=w.principal(w.staff_user),
        clinic_id=w.clinic.id,
        date_from=w.day,
        date_to=w.day,
    )
    assert [r.id for r in staff.rows] == [mine.id, theirs.id]
    history = appointments_query.list_appointments(
        session=session, principal=w.principal(w.staff_user), clinic_id=w.clinic.id,
        date_from=w.day, date_to=w.day, newest_first=True,
    )  # fmt: skip
    assert [r.id for r in history.rows] == [theirs.id, mine.id]
    found = appointments_query.list_appointments(
        session=session, principal=w.principal(w.staff_user), patient_query=w.other_patient.last_name
    )
    assert [r.id for r in found.rows] == [theirs.id]
    with pytest.raises(AccessDenied):
        appointments_query.get_appointment(
            session=session, principal=w.principal(w.patient_user), appointment_id=theirs.id
        )
    desk = w.principal(w.staff_user)
    lifecycle.check_in(session=session, principal=desk, appointment_id=mine.id)
    detail = appointments_query.get_appointment(session=session, principal=desk, appointment_id=mine.id)
    assert [h.to_status for h in detail.history] == ["booked", "checked_in"]
    queue = appointments_query.day_queue(session=session, principal=desk, clinic_id=w.clinic.id, day=w.day)
    assert [(q.id, q.status) for q in queue] == [(mine.id, "checked_in"), (theirs.id, "booked")]
    assert queue[0].waiting_minutes == 0 and queue[1].waiting_minutes is None
    with pytest.raises(AccessDenied):
        appointments_query.day_queue(
            session=session, principal=w.principal(w.patient_user), clinic_id=w.clinic.id, day=w.day
        )


def test_reschedule_into_an_overlapping_time(session: Session) -> None:
    """Moving 09:00 to 09:15 in the only ultrasound room: the old booking must not block it."""
    w = sw.build(session)
    appt = _us(w)
    moved = lifecycle.reschedule(
        session=session,
        principal=w.principal(w.staff_user),
        appointment_id=appt.id,
        new_start=sw.local(w.day, 9, 15),
    )
    assert moved.room_id == w.us_room.id and moved.start.startswith(f"{w.day.isoformat()}T09:15")
    assert _history(session, appt.id)[-1] == ("booked", "cancelled")
    assert _history(session, moved.id) == [(None, "booked")]


def test_cancelling_voids_the_invoice_and_rescheduling_moves_it(session: Session) -> None:
    from mediconnect.models.billing import InvoiceStatus

    w = sw.build(session)
    desk = w.principal(w.staff_user)
    moved = _us(w, 9)
    invoice = session.exec(select(Invoice).where(Invoice.appointment_id == moved.id)).one()
    new = lifecycle.reschedule(
        session=session,
        principal=desk,
        appointment_id=moved.id,
        new_start=sw.local(w.day + timedelta(days=1), 10),
    )
    session.refresh(invoice)
    assert invoice.appointment_id == new.id
    assert invoice.due_date == w.day + timedelta(days=1)
    assert invoice.status is not InvoiceStatus.CANCELLED

    lifecycle.cancel(session=session, principal=desk, appointment_id=new.id, reason="patient phoned")
    session.refresh(invoice)
    assert invoice.status is InvoiceStatus.CANCELLED
    assert invoice.cancelled_at is not None
