"""Booking: the checks, what a booking writes, the database guard, no orphan files, events after commit."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from mediconnect.core import events
from mediconnect.core.errors import AccessDenied
from mediconnect.models.appointments import (
    Appointment,
    AppointmentStatus,
    AppointmentStatusChange,
    AppointmentType,
)
from mediconnect.models.audit import AuditLog
from mediconnect.models.billing import Invoice
from mediconnect.models.referrals import Referral, ReferralDocument
from mediconnect.services import referral_files
from mediconnect.services.booking import BookingError, book
from mediconnect.services.referral_files import ReferralUpload
from tests.core import factories
from tests.services import scheduling_world as sw

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def stored_files() -> set[str]:
    folder = referral_files.storage_dir()
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


def _book_ct(w: sw.World, hh: int = 9, mm: int = 0, **kw: object):  # type: ignore[no-untyped-def]
    args: dict[str, object] = dict(
        session=w.session,
        principal=w.principal(w.patient_user),
        patient_id=w.patient.id,
        clinic_id=w.clinic.id,
        service_id=w.ct.id,
        start=sw.local(w.day, hh, mm),
        preparation_acknowledged=True,
        referral=ReferralUpload("../../etc/referral letter.pdf", PDF),
    )
    args.update(kw)
    return book(**args)  # type: ignore[arg-type]


def test_booking_writes_everything(session: Session) -> None:
    w = sw.build(session)
    before = stored_files()
    appt = _book_ct(w)
    row = session.get(Appointment, appt.id)
    assert row is not None
    assert row.status is AppointmentStatus.BOOKED and row.appointment_type is AppointmentType.SCAN
    assert (row.room_id, row.equipment_id, row.doctor_id) == (w.ct_room.id, w.scanner.id, None)
    assert row.scheduled_end - row.scheduled_start == timedelta(minutes=30)
    assert row.price == Decimal("1000.00") and row.preparation_acknowledged_at is not None
    assert appt.start.startswith(f"{w.day.isoformat()}T09:00:00+02:00") and appt.status == "booked"
    history = session.exec(
        select(AppointmentStatusChange).where(AppointmentStatusChange.appointment_id == appt.id)
    ).all()
    assert [(h.from_status, h.to_status) for h in history] == [(None, "booked")]
    invoice = session.exec(select(Invoice).where(Invoice.appointment_id == appt.id)).one()
    assert invoice.total == Decimal("1000.00") and invoice.patient_id == w.patient.id
    referral = session.get(Referral, row.referral_id)
    assert referral is not None and referral.patient_id == w.patient.id
    doc = session.exec(select(ReferralDocument).where(ReferralDocument.referral_id == referral.id)).one()
    assert doc.original_filename == "referral letter.pdf" and doc.content_type == "application/pdf"
    assert stored_files() - before == {doc.stored_name}
    assert referral_files.path_of(doc.stored_name).read_bytes() == PDF
    audits = session.exec(
        select(AuditLog).where(AuditLog.resource_type == "appointment", AuditLog.resource_id == str(appt.id))
    ).all()
    assert [a.action for a in audits] == ["create"] and audits[0].patient_id == w.patient.id


def test_events_go_out_after_commit_only(session: Session) -> None:
    w = sw.build(session)
    seen: list[events.DomainEvent] = []
    unsubscribe = events.subscribe(seen.append)
    try:
        appt = _book_ct(w)
        assert [e for e in seen if e.name == "appointment_created"] == []
        session.commit()
        created = [
            e
            for e in sw.wait_for(seen, "appointment_created", timeout=300)
            if e.ids["appointment_id"] == appt.id
        ]
        assert len(created) == 1
        assert created[0].ids == {
            "appointment_id": appt.id,
            "clinic_id": w.clinic.id,
            "patient_id": w.patient.id,
            "day": w.day.isoformat(),
        }
        assert f"clinic:{w.clinic.id}:day:{w.day.isoformat()}" in created[0].topics
    finally:
        unsubscribe()


def test_rolled_back_booking_leaves_no_file_and_no_event(session: Session) -> None:
    w = sw.build(session)
    session.commit()
    seen: list[events.DomainEvent] = []
    unsubscribe = events.subscribe(seen.append)
    before = stored_files()
    try:
        _book_ct(w)
        assert len(stored_files() - before) == 1
        session.rollback()
        assert stored_files() == before
        assert sw.wait_for(seen, "appointment_created", timeout=0.3) == []
    finally:
        unsubscribe()


def test_refusals(session: Session) -> None:
    w = sw.build(session)
    with pytest.raises(BookingError) as e:
        _book_ct(w, referral=None)
    assert e.value.code == "referral_required"
    with pytest.raises(BookingError) as e:
        _book_ct(w, preparation_acknowledged=False)
    assert e.value.code == "preparation_required"
    with pytest.raises(BookingError) as e:
        _book_ct(w, referral=ReferralUpload("scan.pdf", b"MZ\x90\x00 this is an exe"))
    assert e.value.code == "invalid_file"
    with pytest.raises(BookingError) as e:
        _book_ct(w, hh=7, mm=30)
    assert e.value.code == "outside_hours" and e.value.alternatives
    with pytest.raises(BookingError) as e:
        _book_ct(w, hh=9, mm=7)
    assert e.value.code == "outside_hours"
    with pytest.raises(BookingError) as e:
        _book_ct(w, start=sw.local(w.day, 9).replace(tzinfo=None))
    assert e.value.code == "invalid_time"
    # Patients book for themselves only.
    with pytest.raises(AccessDenied):
        _book_ct(w, patient_id=w.other_patient.id)
    # Staff of another clinic may not book here.
    other = factories.clinic(session)
    outsider = factories.staff(session, factories.Role.CLINIC_STAFF, clinics=(other,))
    with pytest.raises((AccessDenied, BookingError)):
        _book_ct(w, principal=w.principal(outsider))
    assert session.exec(select(Appointment).where(Appointment.clinic_id == w.clinic.id)).all() == []


def test_taken_slot_and_patient_double_booking(session: Session) -> None:
    w = sw.build(session)
    _book_ct(w)
    with pytest.raises(BookingError) as e:
        _book_ct(w, principal=w.principal(w.other_patient_user), patient_id=w.other_patient.id)
    assert e.value.code == "slot_taken"
    nearest = [sw.local(w.day, 8, 30), sw.local(w.day, 9, 30), sw.local(w.day, 8, 15)]
    assert [s.start for s in e.value.alternatives] == nearest
    # The same patient cannot be in two places at once.
    with pytest.raises(BookingError) as e:
        book(
            session=session,
            principal=w.principal(w.patient_user),
            patient_id=w.patient.id,
            clinic_id=w.clinic.id,
            service_id=w.us.id,
            start=sw.local(w.day, 9, 15),
            preparation_acknowledged=True,
        )
    assert e.value.code == "patient_double_booked"


def test_database_guard_refuses_what_availability_missed(session: Session) -> None:
    """A clash the availability check cannot see (the scanner booked under another clinic) is
    still refused, by the database, inside a savepoint: the file goes, the session lives on."""
    w = sw.build(session)
    elsewhere = factories.clinic(session)
    session.add(
        Appointment(
            patient_id=w.other_patient.id,
            clinic_id=elsewhere.id,
            service_id=w.ct.id,
            equipment_id=w.scanner.id,
            appointment_type=AppointmentType.SCAN,
            scheduled_start=sw.local(w.day, 9),
            scheduled_end=sw.local(w.day, 9, 30),
            price=Decimal("1.00"),
        )
    )
    session.flush()
    before = stored_files()
    with pytest.raises(BookingError) as e:
        _book_ct(w)
    assert e.value.code == "slot_taken"
    assert stored_files() == before
    assert session.exec(select(Referral).where(col(Referral.patient_id) == w.patient.id)).all() == []
    # The transaction is still usable: another time books fine.
    appt = _book_ct(w, hh=10)
    assert appt.status == "booked"


def test_existing_referral_and_consultation(session: Session) -> None:
    w = sw.build(session)
    ref = Referral(patient_id=w.patient.id, service_id=w.ct.id)
    session.add(ref)
    session.flush()
    appt = _book_ct(w, referral=None, referral_id=ref.id)
    assert appt.referral_id == ref.id
    with pytest.raises(BookingError) as e:
        _book_ct(
            w,
            hh=11,
            referral=None,
            referral_id=ref.id,
            principal=w.principal(w.other_patient_user),
            patient_id=w.other_patient.id,
        )
    assert e.value.code == "referral_not_found"
    consult = book(
        session=session,
        principal=w.principal(w.staff_user),
        patient_id=w.patient.id,
        clinic_id=w.clinic.id,
        service_id=w.consult.id,
        start=sw.local(w.day, 14),
        preparation_acknowledged=False,
        channel="desk",
    )
    assert consult.doctor_id == w.doctor_a.id and consult.channel == "desk"


def test_upload_dir_is_outside_the_project(tmp_root: Path) -> None:
    assert referral_files.storage_dir().is_relative_to(tmp_root)
