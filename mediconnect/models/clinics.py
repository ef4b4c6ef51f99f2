"""Clinics and their physical resources: departments, rooms, equipment and when they are down."""

from __future__ import annotations

from datetime import date, datetime, time

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from mediconnect.core.settings import get_settings
from mediconnect.models.base import StrEnum, enum_field, fk, now_field, pk, ts_field


class ClinicStatus(StrEnum):
    ACTIVE = "active"
    PENDING_VERIFICATION = "pending_verification"
    SUSPENDED = "suspended"
    CLOSED = "closed"


class Clinic(SQLModel, table=True):
    __tablename__ = "clinics"

    id: int | None = pk()
    code: str = Field(max_length=20, unique=True)
    name: str = Field(max_length=120)
    address: str = Field(max_length=200)
    city: str = Field(max_length=80)
    region: str = Field(max_length=80, index=True)
    timezone: str = Field(default_factory=lambda: get_settings().TIMEZONE, max_length=64)
    phone: str | None = Field(default=None, max_length=32)
    email: str | None = Field(default=None, max_length=254)
    established: date | None = None
    status: ClinicStatus = enum_field(ClinicStatus, "clinic_status", ClinicStatus.ACTIVE)
    accreditation: str | None = Field(default=None, max_length=80)
    created_at: datetime = now_field()


class ClinicOpeningHours(SQLModel, table=True):
    __tablename__ = "clinic_opening_hours"
    __table_args__ = (
        sa.UniqueConstraint("clinic_id", "weekday"),
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        sa.CheckConstraint("opens_at < closes_at", name="opens_before_closes"),
    )

    id: int | None = pk()
    clinic_id: int | None = fk("clinics.id", ondelete="CASCADE")
    weekday: int  # 0 = Monday
    opens_at: time
    closes_at: time


class ClinicClosure(SQLModel, table=True):
    """A day (public holiday, training day) the clinic does not book."""

    __tablename__ = "clinic_closures"
    __table_args__ = (sa.UniqueConstraint("clinic_id", "closed_on"),)

    id: int | None = pk()
    clinic_id: int | None = fk("clinics.id", ondelete="CASCADE")
    closed_on: date
    reason: str = Field(max_length=120)


class Department(SQLModel, table=True):
    __tablename__ = "departments"
    __table_args__ = (sa.UniqueConstraint("clinic_id", "name"),)

    id: int | None = pk()
    clinic_id: int | None = fk("clinics.id", ondelete="CASCADE")
    name: str = Field(max_length=80)
    wait_time_target_minutes: float = 15.0
    is_active: bool = True


class RoomType(StrEnum):
    EXAMINATION = "examination"
    CONSULTATION = "consultation"
    PROCEDURE = "procedure"
    IMAGING = "imaging"


class Room(SQLModel, table=True):
    __tablename__ = "rooms"
    __table_args__ = (sa.UniqueConstraint("clinic_id", "name"),)

    id: int | None = pk()
    clinic_id: int | None = fk("clinics.id", ondelete="CASCADE")
    department_id: int | None = fk("departments.id", nullable=True)
    name: str = Field(max_length=60)
    room_type: RoomType = enum_field(RoomType, "room_type")
    is_active: bool = True


class Modality(StrEnum):
    XRAY = "xray"
    CT = "ct"
    MRI = "mri"
    ULTRASOUND = "ultrasound"
    MAMMOGRAPHY = "mammography"
    FLUOROSCOPY = "fluoroscopy"
    DEXA = "dexa"
    ECG = "ecg"
    CONSULTATION = "consultation"


# Visits that end in a signed report (imaging and ECG); a consultation's notes are not one.
REPORTED_MODALITIES: frozenset[Modality] = frozenset(m for m in Modality if m is not Modality.CONSULTATION)


class EquipmentStatus(StrEnum):
    OPERATIONAL = "operational"
    MAINTENANCE = "maintenance"
    OUT_OF_SERVICE = "out_of_service"
    RETIRED = "retired"


class Equipment(SQLModel, table=True):
    __tablename__ = "equipment"
    __table_args__ = (
        sa.UniqueConstraint("clinic_id", "name"),
        sa.CheckConstraint("maintenance_interval_days > 0", name="interval_positive"),
    )

    id: int | None = pk()
    clinic_id: int | None = fk("clinics.id", ondelete="CASCADE")
    room_id: int | None = fk("rooms.id", nullable=True)
    name: str = Field(max_length=80)
    modality: Modality = enum_field(Modality, "modality", index=True)
    manufacturer: str | None = Field(default=None, max_length=80)
    serial_number: str | None = Field(default=None, max_length=80, unique=True)
    status: EquipmentStatus = enum_field(EquipmentStatus, "equipment_status", EquipmentStatus.OPERATIONAL)
    installed_on: date | None = None
    last_maintenance_at: datetime | None = ts_field()
    maintenance_interval_days: int = 90


class MaintenanceStatus(StrEnum):
    SCHEDULED = "scheduled"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class MaintenanceWindow(SQLModel, table=True):
    """Time a piece of equipment, a room, or (neither set) clinic infrastructure is unavailable."""

    __tablename__ = "maintenance_windows"
    __table_args__ = (
        sa.CheckConstraint("starts_at < ends_at", name="starts_before_ends"),
        sa.Index(None, "clinic_id", "starts_at"),
    )

    id: int | None = pk()
    clinic_id: int | None = fk("clinics.id", ondelete="CASCADE", index=False)
    equipment_id: int | None = fk("equipment.id", nullable=True)
    room_id: int | None = fk("rooms.id", nullable=True)
    title: str = Field(max_length=120)
    starts_at: datetime = ts_field(nullable=False)
    ends_at: datetime = ts_field(nullable=False)
    planned: bool = True
    status: MaintenanceStatus = enum_field(
        MaintenanceStatus, "maintenance_status", MaintenanceStatus.SCHEDULED
    )
    impact: str | None = Field(default=None, max_length=200)
    created_at: datetime = now_field()


class ClinicEventType(StrEnum):
    STAFF_SESSION = "staff_session"
    TRAINING = "training"
    INSPECTION = "inspection"
    COMMUNITY = "community"


class ClinicEvent(SQLModel, table=True):
    """Scheduled happenings that reduce capacity: staff education sessions, inspections."""

    __tablename__ = "clinic_events"
    __table_args__ = (
        sa.CheckConstraint("starts_at < ends_at", name="starts_before_ends"),
        sa.Index(None, "clinic_id", "starts_at"),
    )

    id: int | None = pk()
    clinic_id: int | None = fk("clinics.id", ondelete="CASCADE", index=False)
    event_type: ClinicEventType = enum_field(ClinicEventType, "clinic_event_type")
    title: str = Field(max_length=120)
    starts_at: datetime = ts_field(nullable=False)
    ends_at: datetime = ts_field(nullable=False)
    attendees: int = 0
    capacity_reduction: float = Field(default=0.0, ge=0, le=1)
    impact: str | None = Field(default=None, max_length=200)
