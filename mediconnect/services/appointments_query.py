"""Reading appointments: the filtered list, one appointment with its history, the desk's day queue.

Everything goes through the policy: the list is ``appointment_scope(READ)`` (so it never shows
what a single fetch would refuse), the detail ``require_appointment(READ)``, the day queue
``require_clinic`` (staff of that clinic, its affiliated doctors, admins). Reads of patient
data are audited (one row per list or queue, one per detail view). Times are clinic-local ISO
strings; date filters are clinic-local days (the filtered clinic's zone, else the practice's
default zone, ``Settings.TIMEZONE``; see ``services.zones``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from pydantic import BaseModel
from sqlmodel import Session, col, func, select

from mediconnect.core import audit, policy
from mediconnect.core.errors import AccessDenied, DashboardError, DashErrorCode
from mediconnect.core.policy import Action, Principal
from mediconnect.models.appointments import Appointment, AppointmentStatus, AppointmentStatusChange
from mediconnect.models.base import utcnow
from mediconnect.models.catalog import Service
from mediconnect.models.clinics import Clinic, Room
from mediconnect.models.patients import Patient
from mediconnect.models.staff import Doctor
from mediconnect.models.users import User
from mediconnect.services.appointment_public import AppointmentPublic, iso_local, to_public
from mediconnect.services.zones import clinic_zone

MAX_PAGE_SIZE = 100


class AppointmentRow(BaseModel):
    id: int
    patient_id: int
    patient_name: str
    clinic_id: int
    clinic_name: str
    service_id: int
    service_name: str
    doctor_id: int | None
    doctor_name: str | None
    status: str
    start: str
    end: str


class AppointmentPage(BaseModel):
    rows: list[AppointmentRow]
    total: int
    page: int
    page_size: int


class StatusChangePublic(BaseModel):
    from_status: str | None
    to_status: str
    at: str
    reason: str | None


class AppointmentDetail(BaseModel):
    appointment: AppointmentPublic
    patient_name: str
    doctor_name: str | None
    history: list[StatusChangePublic]


class QueueRow(BaseModel):
    id: int
    patient_id: int
    patient_name: str
    service_name: str
    doctor_name: str | None
    room_name: str | None
    status: str
    start: str
    end: str
    checked_in_at: str | None
    waiting_minutes: int | None  # checked in -> started (or now, while still waiting)


DoctorUser = sa.orm.aliased(User)


def _base_query() -> Any:  # a 6-column Select
    doctor_name = col(DoctorUser.first_name) + " " + col(DoctorUser.last_name)
    return (
        sa.select(Appointment, Patient, Clinic, Service, doctor_name.label("dn"), col(Room.name))
        .join(Patient, col(Patient.id) == col(Appointment.patient_id))
        .join(Clinic, col(Clinic.id) == col(Appointment.clinic_id))
        .join(Service, col(Service.id) == col(Appointment.service_id))
        .outerjoin(Doctor, col(Doctor.id) == col(Appointment.doctor_id))
        .outerjoin(DoctorUser, col(DoctorUser.id) == col(Doctor.user_id))
        .outerjoin(Room, col(Room.id) == col(Appointment.room_id))
    )


def _row(a: Appointment, p: Patient, c: Clinic, s: Service, dn: str | None) -> AppointmentRow:
    assert a.id and p.id and c.id and s.id
    return AppointmentRow(
        id=a.id,
        patient_id=p.id,
        patient_name=f"{p.first_name} {p.last_name}",
        clinic_id=c.id,
        clinic_name=c.name,
        service_id=s.id,
        service_name=s.name,
        doctor_id=a.doctor_id,
        doctor_name=dn,
        status=a.status.value,
        start=iso_local(a.scheduled_start, c) or "",
        end=iso_local(a.scheduled_end, c) or "",
    )


def _zone(session: Session, clinic_id: int | None) -> ZoneInfo:
    return clinic_zone(session.get(Clinic, clinic_id) if clinic_id else None)


def _day_start(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def list_appointments(
    *,
    session: Session,
    principal: Principal,
    date_from: date | None = None,
    date_to: date | None = None,
    clinic_id: int | None = None,
    doctor_id: int | None = None,
    status: str | None = None,
    patient_query: str | None = None,
    page: int = 1,
    page_size: int = 25,
    newest_first: bool = False,
) -> AppointmentPage:
    """``newest_first`` for looking back (history), else soonest first (the day ahead)."""
    scope = policy.appointment_scope(principal=principal, action=Action.READ)
    if Action.READ not in policy.APPOINTMENT_ACTIONS.get(principal.role, frozenset()):
        raise AccessDenied(DashErrorCode.DASH_002, f"role {principal.role.value} may not read appointments")
    if date_from and date_to and date_from > date_to:
        raise DashboardError(DashErrorCode.DASH_004, "date_from is after date_to")
    page, page_size = max(1, page), min(max(1, page_size), MAX_PAGE_SIZE)
    zone = _zone(session, clinic_id)
    where: list[sa.ColumnElement[bool]] = [scope]
    if date_from:
        where.append(col(Appointment.scheduled_start) >= _day_start(date_from, zone))
    if date_to:
        where.append(col(Appointment.scheduled_start) < _day_start(date_to + timedelta(days=1), zone))
    if clinic_id is not None:
        where.append(col(Appointment.clinic_id) == clinic_id)
    if doctor_id is not None:
        where.append(col(Appointment.doctor_id) == doctor_id)
    if status:
        try:
            where.append(col(Appointment.status) == AppointmentStatus(status))
        except ValueError:
            raise DashboardError(DashErrorCode.DASH_004, "unknown status") from None
    q = (patient_query or "").strip()[:80]
    if q:
        like = f"%{q.lower()}%"
        full = func.lower(col(Patient.first_name) + " " + col(Patient.last_name))
        where.append(full.like(like))
    total = session.scalar(
        sa.select(func.count())
        .select_from(Appointment)
        .join(Patient, col(Patient.id) == col(Appointment.patient_id))
        .where(*where)
    )
    rows = session.execute(
        _base_query()
        .where(*where)
        .order_by(
            *(
                (col(Appointment.scheduled_start).desc(), col(Appointment.id).desc())
                if newest_first
                else (col(Appointment.scheduled_start), col(Appointment.id))
            )
        )
        .limit(page_size)
        .offset((page - 1) * page_size)
    ).all()
    audit.record(
        session,
        principal_or_user_id=principal,
        action=audit.AuditAction.LIST,
        patient_id=None,
        resource_type="appointment",
        detail=f"page {page}, {len(rows)} of {total}" + (" (patient search)" if q else ""),
    )
    return AppointmentPage(
        rows=[_row(a, p, c, s, dn) for a, p, c, s, dn, _room in rows],
        total=int(total or 0),
        page=page,
        page_size=page_size,
    )


def get_appointment(*, session: Session, principal: Principal, appointment_id: int) -> AppointmentDetail:
    policy.require_appointment(
        session, principal=principal, appointment_id=appointment_id, action=Action.READ
    )
    a, p, c, _s, dn, _room = session.execute(_base_query().where(col(Appointment.id) == appointment_id)).one()
    history = session.exec(
        select(AppointmentStatusChange)
        .where(col(AppointmentStatusChange.appointment_id) == appointment_id)
        .order_by(col(AppointmentStatusChange.changed_at), col(AppointmentStatusChange.id))
    ).all()
    audit.record(
        session,
        principal_or_user_id=principal,
        action=audit.AuditAction.VIEW,
        patient_id=p.id,
        resource_type="appointment",
        resource_id=appointment_id,
    )
    return AppointmentDetail(
        appointment=to_public(session, a),
        patient_name=f"{p.first_name} {p.last_name}",
        doctor_name=dn,
        history=[
            StatusChangePublic(
                from_status=h.from_status,
                to_status=h.to_status,
                at=iso_local(h.changed_at, c) or "",
                reason=h.reason,
            )
            for h in history
        ],
    )


def day_queue(
    *, session: Session, principal: Principal, clinic_id: int, day: date, now: datetime | None = None
) -> list[QueueRow]:
    policy.require_clinic(session, principal=principal, clinic_id=clinic_id)
    now = now or utcnow()
    zone = _zone(session, clinic_id)
    rows = session.execute(
        _base_query()
        .where(
            col(Appointment.clinic_id) == clinic_id,
            col(Appointment.scheduled_start) >= _day_start(day, zone),
            col(Appointment.scheduled_start) < _day_start(day + timedelta(days=1), zone),
            col(Appointment.status) != AppointmentStatus.CANCELLED,
        )
        .order_by(col(Appointment.scheduled_start), col(Appointment.id))
    ).all()
    out: list[QueueRow] = []
    for a, p, c, s, dn, room in rows:
        waited: int | None = None
        if a.checked_in_at is not None:
            until = a.started_at or (now if a.status is AppointmentStatus.CHECKED_IN else None)
            if until is not None:
                waited = max(0, int((until - a.checked_in_at).total_seconds() // 60))
        assert a.id and p.id
        out.append(
            QueueRow(
                id=a.id,
                patient_id=p.id,
                patient_name=f"{p.first_name} {p.last_name}",
                service_name=s.name,
                doctor_name=dn,
                room_name=room,
                status=a.status.value,
                start=iso_local(a.scheduled_start, c) or "",
                end=iso_local(a.scheduled_end, c) or "",
                checked_in_at=iso_local(a.checked_in_at, c),
                waiting_minutes=waited,
            )
        )
    audit.record(
        session,
        principal_or_user_id=principal,
        action=audit.AuditAction.LIST,
        patient_id=None,
        resource_type="clinic_queue",
        resource_id=clinic_id,
        detail=f"{day.isoformat()}: {len(out)} appointments",
    )
    return out
