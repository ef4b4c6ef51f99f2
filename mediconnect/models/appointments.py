"""Appointments through their whole lifecycle, their history, and the waitlist."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from mediconnect.models.base import StrEnum, enum_field, fk, money_field, now_field, pk, ts_field


class AppointmentStatus(StrEnum):
    BOOKED = "booked"  # the "pending" of the booking flow: made, not yet confirmed
    CONFIRMED = "confirmed"
    CHECKED_IN = "checked_in"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


OPEN_STATUSES = (
    AppointmentStatus.BOOKED,
    AppointmentStatus.CONFIRMED,
    AppointmentStatus.CHECKED_IN,
    AppointmentStatus.IN_PROGRESS,
)


class AppointmentType(StrEnum):
    NEW_PATIENT = "new_patient"
    CONSULTATION = "consultation"
    FOLLOW_UP = "follow_up"
    ROUTINE_CHECKUP = "routine_checkup"
    SCAN = "scan"
    PROCEDURE = "procedure"


class BookingChannel(StrEnum):
    ONLINE = "online"
    PHONE = "phone"
    DESK = "desk"
    REFERRAL = "referral"


class Appointment(SQLModel, table=True):
    __tablename__ = "appointments"
    __table_args__ = (
        sa.CheckConstraint("scheduled_start < scheduled_end", name="start_before_end"),
        sa.CheckConstraint("price >= 0", name="price_nonneg"),
        sa.CheckConstraint("status <> 'cancelled' OR cancelled_at IS NOT NULL", name="cancelled_has_time"),
        sa.CheckConstraint(
            "ended_at IS NULL OR started_at IS NULL OR started_at <= ended_at", name="started_before_ended"
        ),
        sa.Index(None, "doctor_id", "scheduled_start"),
        sa.Index(None, "clinic_id", "scheduled_start"),
        sa.Index(None, "patient_id", "scheduled_start"),
        sa.Index(None, "room_id", "scheduled_start"),
        sa.Index(None, "equipment_id", "scheduled_start"),
        sa.Index(None, "status", "scheduled_start"),
        # Follow-up compliance and overdue follow-ups on the doctor dashboard.
        sa.Index(
            "ix_appointments_doctor_follow_up",
            "doctor_id",
            "follow_up_due_on",
            postgresql_where=sa.text("follow_up_due_on IS NOT NULL"),
            sqlite_where=sa.text("follow_up_due_on IS NOT NULL"),
        ),
    )

    id: int | None = pk()
    patient_id: int | None = fk("patients.id", index=False)
    clinic_id: int | None = fk("clinics.id", index=False)
    service_id: int | None = fk("services.id")
    doctor_id: int | None = fk("doctors.id", nullable=True, index=False)
    department_id: int | None = fk("departments.id", nullable=True)
    room_id: int | None = fk("rooms.id", nullable=True, index=False)
    equipment_id: int | None = fk("equipment.id", nullable=True, index=False)
    referral_id: int | None = fk("referrals.id", nullable=True)
    appointment_type: AppointmentType = enum_field(AppointmentType, "appointment_type")
    status: AppointmentStatus = enum_field(AppointmentStatus, "appointment_status", AppointmentStatus.BOOKED)
    channel: BookingChannel = enum_field(BookingChannel, "booking_channel", BookingChannel.ONLINE)
    scheduled_start: datetime = ts_field(nullable=False)
    scheduled_end: datetime = ts_field(nullable=False)
    price: Decimal = money_field()
    notes: str | None = Field(default=None, max_length=1000)
    booked_by_id: int | None = fk("users.id", nullable=True)
    booked_at: datetime = now_field()
    preparation_acknowledged_at: datetime | None = ts_field()
    confirmed_at: datetime | None = ts_field()
    reminder_sent_at: datetime | None = ts_field()
    reminder_confirmed_at: datetime | None = ts_field()
    checked_in_at: datetime | None = ts_field()
    started_at: datetime | None = ts_field()
    ended_at: datetime | None = ts_field()
    cancelled_at: datetime | None = ts_field()
    cancellation_reason: str | None = Field(default=None, max_length=300)
    cancelled_by_id: int | None = fk("users.id", nullable=True)
    no_show_recorded_at: datetime | None = ts_field()
    rescheduled_from_id: int | None = fk("appointments.id", nullable=True)
    # Set by the clinician at completion; overdue follow-up alerts and compliance read it.
    follow_up_due_on: date | None = None


class AppointmentStatusChange(SQLModel, table=True):
    """Append-only history of every transition, including reschedules."""

    __tablename__ = "appointment_status_changes"

    id: int | None = pk()
    appointment_id: int | None = fk("appointments.id", ondelete="CASCADE")
    from_status: str | None = Field(default=None, max_length=20)
    to_status: str = Field(max_length=20)
    changed_by_id: int | None = fk("users.id", nullable=True, index=False)
    reason: str | None = Field(default=None, max_length=300)
    changed_at: datetime = now_field()


class WaitlistStatus(StrEnum):
    WAITING = "waiting"
    OFFERED = "offered"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


class WaitlistEntry(SQLModel, table=True):
    __tablename__ = "waitlist_entries"
    __table_args__ = (sa.Index(None, "clinic_id", "service_id", "desired_date", "status"),)

    id: int | None = pk()
    patient_id: int | None = fk("patients.id", ondelete="CASCADE")
    clinic_id: int | None = fk("clinics.id", index=False)
    service_id: int | None = fk("services.id", index=False)
    desired_date: date
    earliest_time: time | None = None
    latest_time: time | None = None
    status: WaitlistStatus = enum_field(WaitlistStatus, "waitlist_status", WaitlistStatus.WAITING)
    created_at: datetime = now_field()
    offered_at: datetime | None = ts_field()
    offer_expires_at: datetime | None = ts_field()
    offered_slot_start: datetime | None = ts_field()
    appointment_id: int | None = fk("appointments.id", nullable=True, index=False)
