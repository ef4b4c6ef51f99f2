"""The catalogue and schedule services: validation, who may do what, audit rows, and the
events that reach open pages after commit."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlmodel import Session, col, select

from mediconnect.core import events
from mediconnect.core.errors import AccessDenied
from mediconnect.core.policy import Principal, principal_for
from mediconnect.models.appointments import Appointment, AppointmentStatus
from mediconnect.models.audit import AuditLog
from mediconnect.models.catalog import Service
from mediconnect.models.clinics import (
    ClinicOpeningHours,
    Equipment,
    MaintenanceWindow,
    Modality,
    Room,
    RoomType,
)
from mediconnect.models.staff import DutyShift
from mediconnect.models.users import Role, User
from mediconnect.services import catalog_admin, clinic_resources, clinic_setup, maintenance, rosters
from mediconnect.services.catalog_access import CatalogFormError
from tests.core import factories as f

FUTURE = date.today() + timedelta(days=10)


def who(session: Session, user: User) -> Principal:
    return principal_for(session, user=user)


@pytest.fixture
def world(session: Session) -> dict:  # type: ignore[type-arg]
    here, there = f.clinic(session), f.clinic(session)
    admin = f.user(session, Role.ADMIN)
    staff_here = f.staff(session, Role.CLINIC_STAFF, clinics=(here,))
    staff_there = f.staff(session, Role.CLINIC_STAFF, clinics=(there,))
    doc_user, _ = f.doctor(session, clinics=(here,))
    pat_user, pat = f.patient(session, with_user=True)
    return {
        "here": here,
        "there": there,
        "admin": who(session, admin),
        "staff": who(session, staff_here),
        "staff_user": staff_here,
        "other_staff": who(session, staff_there),
        "other_staff_user": staff_there,
        "doctor": who(session, doc_user),
        "doctor_user": doc_user,
        "patient": who(session, pat_user),
        "patient_row": pat,
    }


@pytest.fixture
def received() -> Iterator[list[events.DomainEvent]]:
    got: list[events.DomainEvent] = []
    stop = events.subscribe(got.append)
    yield got
    stop()


def audit_rows(session: Session, resource_type: str, action: str | None = None) -> list[AuditLog]:
    q = select(AuditLog).where(AuditLog.resource_type == resource_type)
    if action:
        q = q.where(AuditLog.action == action)
    return list(session.exec(q.order_by(col(AuditLog.id))).all())


SERVICE_FORM = {
    "code": "mri-knee",
    "name": "MRI knee",
    "category": "diagnostics",
    "modality": "mri",
    "department_name": "Radiology",
    "duration_minutes": "45",
    "price": "4200.50",
    "cost": "900",
    "preparation": "Remove metal objects.",
    "preparation_items": "No metal\nArrive 15 minutes early",
    "fasting_hours": "0",
    "room_type": "imaging",
    "requires_equipment": "on",
}


# ------------------------------------------------------------------ services (admin only)


def test_admin_creates_edits_and_deactivates_a_service(session: Session, world, received) -> None:  # type: ignore[no-untyped-def]
    admin = world["admin"]
    created = catalog_admin.create_service(session=session, principal=admin, form=SERVICE_FORM)
    assert created["code"] == "MRI-KNEE" and created["price"] == "4200.50"
    assert created["preparation_items"] == ["No metal", "Arrive 15 minutes early"]
    assert created["requires_equipment"] and not created["referral_required"]
    assert received == []  # nothing goes out before the commit
    session.commit()
    changed = [e for e in received if e.name == "catalog_changed"]
    assert {e.ids["clinic_id"] for e in changed} >= {world["here"].id, world["there"].id}

    updated = catalog_admin.update_service(
        session=session, principal=admin, service_id=created["id"], form={**SERVICE_FORM, "price": "4300"}
    )
    assert updated["price"] == "4300.00"
    assert session.get(Service, created["id"]).price == Decimal("4300.00")  # type: ignore[union-attr]
    off = catalog_admin.deactivate_service(session=session, principal=admin, service_id=created["id"])
    assert off["is_active"] is False
    listed = catalog_admin.list_services(session=session, principal=admin, search="knee")
    assert [r["id"] for r in listed.rows] == [created["id"]]
    assert (
        catalog_admin.list_services(
            session=session, principal=admin, search="knee", include_inactive=False
        ).rows
        == []
    )
    actions = [r.action for r in audit_rows(session, "service") if r.resource_id == str(created["id"])]
    assert actions == ["create", "update", "deactivate"]
    assert "price" in (audit_rows(session, "service", "update")[-1].detail or "")


def test_service_validation_names_every_bad_field(session: Session, world) -> None:  # type: ignore[no-untyped-def]
    admin = world["admin"]
    catalog_admin.create_service(session=session, principal=admin, form=SERVICE_FORM)
    bad = {
        **SERVICE_FORM,
        "name": "",
        "duration_minutes": "0",
        "price": "-5",
        "modality": "xyz",
        "cost": "1.234",
    }
    with pytest.raises(CatalogFormError) as err:
        catalog_admin.create_service(session=session, principal=admin, form=bad)
    assert set(err.value.errors) == {"code", "name", "duration_minutes", "price", "modality", "cost"}
    assert "already" in err.value.errors["code"]
    assert session.exec(select(Service).where(Service.code == "MRI-KNEE")).one()  # still just the one


@pytest.mark.parametrize("role", ["staff", "other_staff", "doctor", "patient"])
def test_only_admins_touch_services_and_refusals_are_audited(session: Session, world, role: str) -> None:  # type: ignore[no-untyped-def]
    svc = f.service(session)
    before = session.get(Service, svc.id).price  # type: ignore[union-attr]
    for call in (
        lambda: catalog_admin.list_services(session=session, principal=world[role]),
        lambda: catalog_admin.create_service(session=session, principal=world[role], form=SERVICE_FORM),
        lambda: catalog_admin.update_service(
            session=session, principal=world[role], service_id=svc.id, form={**SERVICE_FORM, "price": "1"}
        ),
        lambda: catalog_admin.deactivate_service(session=session, principal=world[role], service_id=svc.id),
    ):
        with pytest.raises(AccessDenied) as err:
            call()
        assert err.value.code.code == "DASH_002"
    session.expire_all()
    assert session.get(Service, svc.id).is_active and session.get(Service, svc.id).price == before  # type: ignore[union-attr]
    assert len(audit_rows(session, "service", "denied")) == 4


# ------------------------------------------------------------------ clinic set-up


def test_clinic_managers_are_admins_and_that_clinics_staff(session: Session, world) -> None:  # type: ignore[no-untyped-def]
    here = world["here"]
    ok = {"admin", "staff"}
    for role in ("admin", "staff", "other_staff", "doctor", "patient"):
        call = lambda: clinic_resources.rooms(session=session, principal=world[role], clinic_id=here.id)  # noqa: E731
        if role in ok:
            assert call() == []
        else:
            with pytest.raises(AccessDenied) as err:
                call()
            assert err.value.code.code in ("DASH_002", "DASH_006")
    assert [c["id"] for c in clinic_setup.manageable_clinics(session=session, principal=world["staff"])] == [
        here.id
    ]
    assert len(clinic_setup.manageable_clinics(session=session, principal=world["admin"])) >= 2
    with pytest.raises(AccessDenied):
        clinic_setup.manageable_clinics(session=session, principal=world["doctor"])
    with pytest.raises(AccessDenied) as err:
        clinic_resources.add_room(
            session=session,
            principal=world["other_staff"],
            clinic_id=here.id,
            form={"name": "X", "room_type": "imaging"},
        )
    assert session.exec(select(Room).where(Room.clinic_id == here.id)).all() == []
    assert audit_rows(session, "room", "denied")


def test_opening_hours_and_closures(session: Session, world, received) -> None:  # type: ignore[no-untyped-def]
    here, staff = world["here"], world["staff"]
    with pytest.raises(CatalogFormError) as err:
        clinic_setup.set_opening_hours(
            session=session, principal=staff, clinic_id=here.id, weekday=0, opens="17:00", closes="08:00"
        )
    assert "closes" in err.value.errors
    rows = clinic_setup.set_opening_hours(
        session=session, principal=staff, clinic_id=here.id, weekday=0, opens="07:30", closes="17:00"
    )
    assert rows[0] == {"weekday": 0, "day": "Monday", "opens": "07:30", "closes": "17:00"}
    assert rows[6]["opens"] == ""
    session.commit()
    days = [e.ids["day"] for e in received if e.name == "schedule_changed"]
    assert days and all(date.fromisoformat(str(d)).weekday() == 0 for d in days)
    assert any(e.name == "catalog_changed" and e.ids["clinic_id"] == here.id for e in received)
    clinic_setup.set_opening_hours(
        session=session, principal=staff, clinic_id=here.id, weekday=0, opens="", closes=""
    )
    assert session.exec(select(ClinicOpeningHours).where(ClinicOpeningHours.clinic_id == here.id)).all() == []
    session.commit()
    received.clear()

    closure = clinic_setup.add_closure(
        session=session,
        principal=staff,
        clinic_id=here.id,
        form={"day": FUTURE.isoformat(), "reason": "Public holiday"},
    )
    with pytest.raises(CatalogFormError) as err:
        clinic_setup.add_closure(
            session=session,
            principal=staff,
            clinic_id=here.id,
            form={"day": FUTURE.isoformat(), "reason": "Again"},
        )
    assert "already" in err.value.errors["day"]
    with pytest.raises(CatalogFormError):
        clinic_setup.add_closure(
            session=session, principal=staff, clinic_id=here.id, form={"day": "2020-01-01", "reason": "Past"}
        )
    session.commit()
    assert [(e.name, e.ids["day"]) for e in received] == [("schedule_changed", FUTURE.isoformat())]
    assert [c["day"] for c in clinic_setup.closures(session=session, principal=staff, clinic_id=here.id)] == [
        FUTURE.isoformat()
    ]
    # Another clinic's staff cannot remove it, even naming its id.
    with pytest.raises(AccessDenied):
        clinic_setup.remove_closure(
            session=session, principal=world["other_staff"], clinic_id=here.id, closure_id=closure["id"]
        )
    with pytest.raises(CatalogFormError):
        clinic_setup.remove_closure(
            session=session,
            principal=world["other_staff"],
            clinic_id=world["there"].id,
            closure_id=closure["id"],
        )
    clinic_setup.remove_closure(session=session, principal=staff, clinic_id=here.id, closure_id=closure["id"])
    assert [r.action for r in audit_rows(session, "clinic_closure") if r.action != "denied"] == [
        "create",
        "delete",
    ]


def test_rooms_and_equipment(session: Session, world) -> None:  # type: ignore[no-untyped-def]
    here, staff = world["here"], world["staff"]
    room = clinic_resources.add_room(
        session=session, principal=staff, clinic_id=here.id, form={"name": "CT 1", "room_type": "imaging"}
    )
    with pytest.raises(CatalogFormError) as err:
        clinic_resources.add_room(
            session=session, principal=staff, clinic_id=here.id, form={"name": "CT 1", "room_type": "nope"}
        )
    assert set(err.value.errors) == {"name", "room_type"}
    eq_id = clinic_resources.add_equipment(
        session=session,
        principal=staff,
        clinic_id=here.id,
        form={
            "name": "Scanner",
            "modality": "ct",
            "room_id": str(room["id"]),
            "serial_number": "SN-1",
            "interval_days": "60",
        },
    )
    rows = clinic_resources.equipment(session=session, principal=staff, clinic_id=here.id)
    assert rows[0]["id"] == eq_id and rows[0]["room"] == "CT 1" and rows[0]["interval_days"] == 60
    other_room = Room(clinic_id=world["there"].id, name="Elsewhere", room_type=RoomType.IMAGING)
    session.add(other_room)
    session.flush()
    with pytest.raises(CatalogFormError) as err:
        clinic_resources.add_equipment(
            session=session,
            principal=staff,
            clinic_id=here.id,
            form={
                "name": "Scanner 2",
                "modality": "ct",
                "room_id": str(other_room.id),
                "serial_number": "SN-1",
            },
        )
    assert set(err.value.errors) == {"room_id", "serial_number"}
    clinic_resources.set_equipment_status(
        session=session, principal=staff, clinic_id=here.id, equipment_id=eq_id, status="out_of_service"
    )
    assert session.get(Equipment, eq_id).status == "out_of_service"  # type: ignore[union-attr]
    clinic_resources.set_room_active(
        session=session, principal=staff, clinic_id=here.id, room_id=room["id"], active=False
    )
    assert not session.get(Room, room["id"]).is_active  # type: ignore[union-attr]


# ------------------------------------------------------------------ maintenance


def _booked(session: Session, world, equipment: Equipment, start: datetime) -> Appointment:  # type: ignore[no-untyped-def]
    appt = f.appointment(session, patient=world["patient_row"], clinic=world["here"])
    appt.equipment_id, appt.scheduled_start, appt.scheduled_end = (
        equipment.id,
        start,
        start + timedelta(minutes=30),
    )
    session.add(appt)
    session.flush()
    return appt


def test_maintenance_over_live_appointments_needs_force(session: Session, world, received) -> None:  # type: ignore[no-untyped-def]
    here, staff = world["here"], world["staff"]
    item = Equipment(clinic_id=here.id, name="MRI", modality=Modality.MRI)
    session.add(item)
    session.flush()
    # 09:00-09:30 Johannesburg (UTC+2) on FUTURE = 07:00 UTC.
    appt = _booked(
        session, world, item, datetime.combine(FUTURE, datetime.min.time(), tzinfo=UTC) + timedelta(hours=7)
    )
    form = {
        "title": "Helium top-up",
        "target": f"equipment:{item.id}",
        "starts_day": FUTURE.isoformat(),
        "starts_time": "08:00",
        "ends_day": FUTURE.isoformat(),
        "ends_time": "12:00",
    }
    with pytest.raises(CatalogFormError) as err:
        maintenance.add_maintenance(session=session, principal=staff, clinic_id=here.id, form=form)
    assert err.value.affected == [appt.id] and "1 live appointment" in err.value.errors["force"]
    assert session.exec(select(MaintenanceWindow)).all() == []
    # A cancelled appointment does not count; the forced window is stored in UTC and audited.
    row = maintenance.add_maintenance(
        session=session, principal=staff, clinic_id=here.id, form={**form, "force": True}
    )
    window = session.get(MaintenanceWindow, row["id"])
    assert (
        window is not None
        and window.starts_at.astimezone(UTC).hour == 6
        and window.ends_at.astimezone(UTC).hour == 10
    )
    assert row["starts"] == f"{FUTURE.isoformat()} 08:00"
    assert "forced over 1" in (audit_rows(session, "maintenance", "create")[-1].detail or "")
    session.commit()
    assert [(e.name, e.ids["day"]) for e in received if e.name == "schedule_changed"] == [
        ("schedule_changed", FUTURE.isoformat())
    ]
    appt.status, appt.cancelled_at = AppointmentStatus.CANCELLED, datetime.now(UTC)
    session.add(appt)
    session.flush()
    assert maintenance.add_maintenance(
        session=session, principal=staff, clinic_id=here.id, form={**form, "title": "Second"}
    )
    maintenance.cancel_maintenance(session=session, principal=staff, clinic_id=here.id, window_id=row["id"])
    assert session.get(MaintenanceWindow, row["id"]).status == "cancelled"  # type: ignore[union-attr]


def test_maintenance_validation_and_scope(session: Session, world) -> None:  # type: ignore[no-untyped-def]
    here, staff = world["here"], world["staff"]
    foreign = Equipment(clinic_id=world["there"].id, name="Theirs", modality=Modality.CT)
    session.add(foreign)
    session.flush()
    form = {
        "title": "",
        "target": f"equipment:{foreign.id}",
        "starts_day": FUTURE.isoformat(),
        "starts_time": "10:00",
        "ends_day": FUTURE.isoformat(),
        "ends_time": "09:00",
    }
    with pytest.raises(CatalogFormError) as err:
        maintenance.add_maintenance(session=session, principal=staff, clinic_id=here.id, form=form)
    assert set(err.value.errors) == {"title", "target", "ends_time"}
    with pytest.raises(AccessDenied):
        maintenance.add_maintenance(session=session, principal=world["patient"], clinic_id=here.id, form=form)
    ok = maintenance.add_maintenance(
        session=session,
        principal=world["admin"],
        clinic_id=here.id,
        form={**form, "title": "Power", "target": "clinic", "ends_time": "11:00"},
    )
    assert ok["target"] == "Whole clinic"


# ------------------------------------------------------------------ duty roster


def test_shifts(session: Session, world, received) -> None:  # type: ignore[no-untyped-def]
    here, staff = world["here"], world["staff"]
    form = {
        "user_id": str(world["staff_user"].id),
        "duty_role": "radiographer",
        "day": FUTURE.isoformat(),
        "starts": "07:00",
        "ends": "15:00",
    }
    shift_id = rosters.add_shift(session=session, principal=staff, clinic_id=here.id, form=form)
    with pytest.raises(CatalogFormError) as err:
        rosters.add_shift(
            session=session,
            principal=staff,
            clinic_id=here.id,
            form={**form, "starts": "14:00", "ends": "18:00"},
        )
    assert "overlapping" in err.value.errors["starts"]
    with pytest.raises(CatalogFormError) as err:  # works elsewhere: not rostered here
        rosters.add_shift(
            session=session,
            principal=staff,
            clinic_id=here.id,
            form={**form, "user_id": str(world["other_staff_user"].id)},
        )
    assert "user_id" in err.value.errors
    with pytest.raises(CatalogFormError) as err:  # doctors take doctor duty
        rosters.add_shift(
            session=session,
            principal=staff,
            clinic_id=here.id,
            form={**form, "user_id": str(world["doctor_user"].id)},
        )
    assert "duty_role" in err.value.errors
    night = rosters.add_shift(
        session=session,
        principal=staff,
        clinic_id=here.id,
        form={
            **form,
            "user_id": str(world["doctor_user"].id),
            "duty_role": "doctor",
            "starts": "22:00",
            "ends": "06:00",
        },
    )
    shift = session.get(DutyShift, night)
    assert shift is not None and shift.ends_at - shift.starts_at == timedelta(hours=8)
    week = rosters.week_roster(session=session, principal=staff, clinic_id=here.id, week_start=FUTURE)
    assert [s["starts"] for s in week[0]["shifts"]] == ["07:00", "22:00"] and week[0]["shifts"][1][
        "ends"
    ] == "06:00 +1"
    session.commit()
    days = sorted({e.ids["day"] for e in received if e.name == "schedule_changed"})
    assert days == [FUTURE.isoformat(), (FUTURE + timedelta(days=1)).isoformat()]
    with pytest.raises(AccessDenied):
        rosters.cancel_shift(
            session=session, principal=world["other_staff"], clinic_id=here.id, shift_id=shift_id
        )
    rosters.cancel_shift(session=session, principal=staff, clinic_id=here.id, shift_id=shift_id)
    assert session.get(DutyShift, shift_id).cancelled  # type: ignore[union-attr]
    # The hours are free again.
    rosters.add_shift(session=session, principal=staff, clinic_id=here.id, form=form)
    assert [r.action for r in audit_rows(session, "duty_shift") if r.action != "denied"] == [
        "create",
        "create",
        "cancel",
        "create",
    ]
    options = rosters.staff_options(session=session, principal=staff, clinic_id=here.id, on=FUTURE)
    assert {o["value"] for o in options} == {str(world["staff_user"].id), str(world["doctor_user"].id)}


def test_rolled_back_changes_publish_nothing(session: Session, world, received) -> None:  # type: ignore[no-untyped-def]
    clinic_setup.add_closure(
        session=session,
        principal=world["admin"],
        clinic_id=world["here"].id,
        form={"day": FUTURE.isoformat(), "reason": "Training"},
    )
    session.rollback()
    assert received == []
