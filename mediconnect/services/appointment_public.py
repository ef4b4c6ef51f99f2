"""The public shape of one appointment, as it leaves the scheduling services.

Ids, the service and clinic names, clinic-local times as ISO strings with offset, status and
the lifecycle timestamps. No patient name, contact or clinical data: the list and detail
views (``appointments_query``) add the patient's name only for callers allowed to read it.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlmodel import Session

from mediconnect.models.appointments import Appointment
from mediconnect.models.catalog import Service
from mediconnect.models.clinics import Clinic
from mediconnect.services.availability import Slot, clinic_zone


class SlotPublic(BaseModel):
    start: str
    end: str


class AppointmentPublic(BaseModel):
    id: int
    patient_id: int
    clinic_id: int
    clinic_name: str
    service_id: int
    service_name: str
    doctor_id: int | None
    room_id: int | None
    equipment_id: int | None
    referral_id: int | None
    status: str
    channel: str
    timezone: str
    day: str
    start: str
    end: str
    price: str
    booked_at: str
    confirmed_at: str | None
    checked_in_at: str | None
    started_at: str | None
    ended_at: str | None
    cancelled_at: str | None
    cancellation_reason: str | None
    no_show_recorded_at: str | None
    rescheduled_from_id: int | None


def iso_local(value: datetime | None, clinic: Clinic) -> str | None:
    return None if value is None else value.astimezone(clinic_zone(clinic)).isoformat()


def slot_public(slot: Slot, clinic: Clinic) -> SlotPublic:
    return SlotPublic(start=iso_local(slot.start, clinic) or "", end=iso_local(slot.end, clinic) or "")


def to_public(session: Session, appointment: Appointment) -> AppointmentPublic:
    clinic = session.get(Clinic, appointment.clinic_id)
    service = session.get(Service, appointment.service_id)
    assert clinic is not None and service is not None and appointment.id is not None
    assert appointment.patient_id is not None and clinic.id is not None and service.id is not None

    def t(v: datetime | None) -> str | None:
        return iso_local(v, clinic)

    return AppointmentPublic(
        id=appointment.id,
        patient_id=appointment.patient_id,
        clinic_id=clinic.id,
        clinic_name=clinic.name,
        service_id=service.id,
        service_name=service.name,
        doctor_id=appointment.doctor_id,
        room_id=appointment.room_id,
        equipment_id=appointment.equipment_id,
        referral_id=appointment.referral_id,
        status=str(appointment.status.value),
        channel=str(appointment.channel.value),
        timezone=clinic.timezone,
        day=appointment.scheduled_start.astimezone(clinic_zone(clinic)).date().isoformat(),
        start=t(appointment.scheduled_start) or "",
        end=t(appointment.scheduled_end) or "",
        price=f"{appointment.price:.2f}",
        booked_at=t(appointment.booked_at) or "",
        confirmed_at=t(appointment.confirmed_at),
        checked_in_at=t(appointment.checked_in_at),
        started_at=t(appointment.started_at),
        ended_at=t(appointment.ended_at),
        cancelled_at=t(appointment.cancelled_at),
        cancellation_reason=appointment.cancellation_reason,
        no_show_recorded_at=t(appointment.no_show_recorded_at),
        rescheduled_from_id=appointment.rescheduled_from_id,
    )
