"""Doctors, staff, where they work, their shifts and targets."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from mediconnect.models.base import StrEnum, enum_field, fk, money_field, now_field, pk, ts_field


class Doctor(SQLModel, table=True):
    __tablename__ = "doctors"

    id: int | None = pk()
    user_id: int | None = Field(default=None, foreign_key="users.id", unique=True)
    specialization: str = Field(max_length=80, index=True)
    license_number: str = Field(max_length=40, unique=True)
    is_radiologist: bool = False
    bio: str | None = Field(default=None, max_length=1000)
    accepting_new_patients: bool = True


class AffiliationRole(StrEnum):
    ATTENDING = "attending"
    CONSULTANT = "consultant"
    RADIOLOGIST = "radiologist"
    VISITING = "visiting"
    RESIDENT = "resident"


class DoctorClinicAffiliation(SQLModel, table=True):
    __tablename__ = "doctor_clinic_affiliations"
    __table_args__ = (sa.UniqueConstraint("doctor_id", "clinic_id"),)

    id: int | None = pk()
    doctor_id: int | None = fk("doctors.id", ondelete="CASCADE")
    clinic_id: int | None = fk("clinics.id", ondelete="CASCADE")
    department_id: int | None = fk("departments.id", nullable=True)
    role: AffiliationRole = enum_field(AffiliationRole, "affiliation_role")
    is_primary: bool = False
    started_on: date | None = None
    ended_on: date | None = None


class ReferringDoctor(SQLModel, table=True):
    """An outside practitioner who sends patients and reads their reports."""

    __tablename__ = "referring_doctors"

    id: int | None = pk()
    user_id: int | None = Field(default=None, foreign_key="users.id", unique=True)
    practice_name: str = Field(max_length=120)
    practice_number: str = Field(max_length=40, unique=True)
    specialization: str | None = Field(default=None, max_length=80)


class StaffRole(StrEnum):
    MANAGER = "manager"
    RECEPTIONIST = "receptionist"
    NURSE = "nurse"
    RADIOGRAPHER = "radiographer"
    SONOGRAPHER = "sonographer"
    SUPPORT = "support"
    BILLING_CLERK = "billing_clerk"
    ANALYST = "analyst"


class StaffAssignment(SQLModel, table=True):
    """Which clinic (and, for billing staff, which doctor's accounts) a staff user works for."""

    __tablename__ = "staff_assignments"
    __table_args__ = (
        sa.CheckConstraint("clinic_id IS NOT NULL OR doctor_id IS NOT NULL", name="has_scope"),
        sa.UniqueConstraint("user_id", "clinic_id", "doctor_id"),
    )

    id: int | None = pk()
    user_id: int | None = fk("users.id", ondelete="CASCADE")
    clinic_id: int | None = fk("clinics.id", nullable=True)
    doctor_id: int | None = fk("doctors.id", nullable=True)
    department_id: int | None = fk("departments.id", nullable=True)
    staff_role: StaffRole = enum_field(StaffRole, "staff_role")
    job_title: str | None = Field(default=None, max_length=80)
    starts_on: date | None = None
    ends_on: date | None = None


class DutyRole(StrEnum):
    DOCTOR = "doctor"
    RADIOLOGIST = "radiologist"
    RADIOGRAPHER = "radiographer"
    SONOGRAPHER = "sonographer"
    NURSE = "nurse"
    RECEPTION = "reception"
    SUPPORT = "support"


class DutyShift(SQLModel, table=True):
    """One rostered shift. Availability and staff-on-duty figures are computed from these."""

    __tablename__ = "duty_shifts"
    __table_args__ = (
        sa.CheckConstraint("starts_at < ends_at", name="starts_before_ends"),
        sa.Index(None, "clinic_id", "starts_at"),
        sa.Index(None, "user_id", "starts_at"),
    )

    id: int | None = pk()
    clinic_id: int | None = fk("clinics.id", ondelete="CASCADE", index=False)
    user_id: int | None = fk("users.id", ondelete="CASCADE", index=False)
    department_id: int | None = fk("departments.id", nullable=True)
    room_id: int | None = fk("rooms.id", nullable=True)
    duty_role: DutyRole = enum_field(DutyRole, "duty_role")
    starts_at: datetime = ts_field(nullable=False)
    ends_at: datetime = ts_field(nullable=False)
    cancelled: bool = False


class StaffingRequirement(SQLModel, table=True):
    """Minimum head-count per role and weekday; shortfalls against shifts raise staffing alerts."""

    __tablename__ = "staffing_requirements"
    __table_args__ = (
        sa.UniqueConstraint("clinic_id", "weekday", "duty_role"),
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        sa.CheckConstraint("min_count >= 0", name="min_count_nonneg"),
    )

    id: int | None = pk()
    clinic_id: int | None = fk("clinics.id", ondelete="CASCADE")
    weekday: int
    duty_role: DutyRole = enum_field(DutyRole, "duty_role")
    min_count: int


class TargetPeriod(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


class RevenueTarget(SQLModel, table=True):
    """A revenue goal for a doctor or a clinic, in force from a date until superseded."""

    __tablename__ = "revenue_targets"
    __table_args__ = (
        sa.CheckConstraint("(doctor_id IS NULL) <> (clinic_id IS NULL)", name="one_owner"),
        sa.CheckConstraint("amount >= 0", name="amount_nonneg"),
        sa.UniqueConstraint("doctor_id", "clinic_id", "period", "effective_from"),
    )

    id: int | None = pk()
    doctor_id: int | None = fk("doctors.id", nullable=True)
    clinic_id: int | None = fk("clinics.id", nullable=True)
    period: TargetPeriod = enum_field(TargetPeriod, "target_period")
    amount: Decimal = money_field()
    effective_from: date
    created_at: datetime = now_field()
