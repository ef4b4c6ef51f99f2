"""Who a booking is for (``booking_for``), the booking page's day grid and the one
nearest-free-times rule: the rules the booking page used to hold itself."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from mediconnect.core.errors import AccessDenied
from mediconnect.models.appointments import Appointment
from mediconnect.models.audit import AuditLog
from mediconnect.models.users import Role
from mediconnect.services import availability, booking_choices, booking_for
from mediconnect.services.booking import BookingError
from tests.core import factories
from tests.services import scheduling_world as sw


def _quote_audits(session: Session, service_id: int) -> list[AuditLog]:
    return list(
        session.exec(
            select(AuditLog).where(AuditLog.resource_type == "quote", AuditLog.resource_id == str(service_id))
        ).all()
    )


def test_a_patient_books_for_themself_whatever_was_chosen(session: Session) -> None:
    w = sw.build(session)
    p = w.principal(w.patient_user)
    assert booking_for.patient_for(session=session, principal=p, chosen=None) == w.patient.id
    assert booking_for.patient_for(session=session, principal=p, chosen=w.other_patient.id) == w.patient.id


def test_staff_must_choose_a_patient_the_policy_allows(session: Session) -> None:
    w = sw.build(session)
    admin = w.principal(w.admin)
    with pytest.raises(BookingError) as err:
        booking_for.patient_for(session=session, principal=admin, chosen=None)
    assert err.value.code == "choose_patient"
    assert booking_for.patient_for(session=session, principal=admin, chosen=w.patient.id) == w.patient.id
    stranger = w.principal(factories.staff(session, Role.CLINIC_STAFF, clinics=()))
    with pytest.raises(AccessDenied):
        booking_for.patient_for(session=session, principal=stranger, chosen=w.patient.id)


def test_menu_is_for_patients_and_the_desk(session: Session) -> None:
    w = sw.build(session)
    mine = booking_for.menu(session=session, principal=w.principal(w.patient_user))
    assert mine.services and not mine.for_others
    assert booking_for.menu(session=session, principal=w.principal(w.admin)).for_others
    with pytest.raises(AccessDenied):
        booking_for.menu(session=session, principal=w.principal(factories.user(session, Role.BILLING_STAFF)))


def test_staff_reading_a_quote_is_audited_a_patient_reading_theirs_is_not(session: Session) -> None:
    w = sw.build(session)
    booking_for.quote(
        session=session, principal=w.principal(w.patient_user), chosen=None, service_id=w.ct.id, on=w.day
    )
    assert _quote_audits(session, w.ct.id) == []
    quote = booking_for.quote(
        session=session, principal=w.principal(w.admin), chosen=w.patient.id, service_id=w.ct.id, on=w.day
    )
    assert quote.service_id == w.ct.id
    rows = _quote_audits(session, w.ct.id)
    assert [(r.action, r.patient_id, r.user_id) for r in rows] == [("view", w.patient.id, w.admin.id)]


def test_the_channel_follows_the_caller(session: Session) -> None:
    w = sw.build(session)
    free = availability.day_slots(session=session, clinic_id=w.clinic.id, service_id=w.consult.id, day=w.day)
    common = dict(
        session=session,
        clinic_id=w.clinic.id,
        service_id=w.consult.id,
        preparation_acknowledged=True,
        referral=None,
    )
    own = booking_for.book(principal=w.principal(w.patient_user), chosen=None, start=free[0].start, **common)  # type: ignore[arg-type]
    desk = booking_for.book(
        principal=w.principal(w.admin), chosen=w.other_patient.id, start=free[-1].start, **common
    )  # type: ignore[arg-type]
    rows = {
        a.id: a for a in session.exec(select(Appointment).where(col(Appointment.id).in_([own.id, desk.id])))
    }
    assert (rows[own.id].channel, rows[own.id].patient_id) == ("online", w.patient.id)
    assert (rows[desk.id].channel, rows[desk.id].patient_id) == ("desk", w.other_patient.id)


def test_a_closed_day_suggests_the_four_times_nearest_its_noon(session: Session) -> None:
    w = sw.build(session)
    sw.close_on(session, w.clinic, w.day)
    grid = booking_choices.day_grid(session=session, clinic_id=w.clinic.id, service_id=w.ct.id, day=w.day)
    assert grid.free == [] and not grid.open
    assert len(grid.nearest) == availability.NEAREST_FOR_EMPTY_DAY == 4
    assert all(s.start.astimezone(sw.TZ).date() != w.day for s in grid.nearest)
    # The day before competes with the day after: the closest to the closed day's noon first.
    noon = sw.local(w.day, 12)
    gaps = [abs(s.start - noon) for s in grid.nearest]
    assert gaps == sorted(gaps) and gaps[0] <= timedelta(days=1)


def test_an_open_day_has_no_suggestions_and_a_refusal_gets_three(session: Session) -> None:
    w = sw.build(session)
    grid = booking_choices.day_grid(session=session, clinic_id=w.clinic.id, service_id=w.ct.id, day=w.day)
    assert grid.free and grid.open and grid.nearest == []
    near = availability.nearest_free_times(
        session=session, clinic_id=w.clinic.id, service_id=w.ct.id, instead_of=grid.free[4].start
    )
    assert len(near) == availability.NEAREST_AFTER_REFUSAL == 3
    assert grid.free[4] in near
