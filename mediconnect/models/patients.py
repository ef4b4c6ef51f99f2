"""Patients and their medical aid membership."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from mediconnect.models.base import StrEnum, enum_field, fk, money_field, now_field, pk, ts_field


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class AreaType(StrEnum):
    URBAN = "Urban"
    SUBURBAN = "Suburban"
    RURAL = "Rural"


class Patient(SQLModel, table=True):
    __tablename__ = "patients"

    id: int | None = pk()
    # Walk-in and referred patients may have no login yet.
    user_id: int | None = Field(default=None, foreign_key="users.id", unique=True, nullable=True)
    first_name: str = Field(max_length=80)
    last_name: str = Field(max_length=80, index=True)
    date_of_birth: date
    sex: Sex = enum_field(Sex, "sex", Sex.UNKNOWN)
    phone: str | None = Field(default=None, max_length=32)
    email: str | None = Field(default=None, max_length=254)
    address: str | None = Field(default=None, max_length=200)
    city: str | None = Field(default=None, max_length=80)
    region: str | None = Field(default=None, max_length=80)
    area_type: AreaType = enum_field(AreaType, "area_type", AreaType.URBAN)
    id_number: str | None = Field(default=None, max_length=32, unique=True)
    emergency_contact: str | None = Field(default=None, max_length=120)
    primary_doctor_id: int | None = fk("doctors.id", nullable=True)
    home_clinic_id: int | None = fk("clinics.id", nullable=True)
    auto_pay_enabled: bool = False
    registered_at: datetime = now_field()


class MedicalAidScheme(SQLModel, table=True):
    __tablename__ = "medical_aid_schemes"
    __table_args__ = (
        sa.CheckConstraint("coverage_percent BETWEEN 0 AND 100", name="coverage_range"),
        sa.CheckConstraint("annual_limit >= 0", name="annual_limit_nonneg"),
    )

    id: int | None = pk()
    code: str = Field(max_length=20, unique=True)
    name: str = Field(max_length=120)
    coverage_percent: Decimal = Field(default=Decimal("80.00"), sa_type=sa.Numeric(5, 2))
    annual_limit: Decimal = money_field()
    # Any single service priced above this needs pre-authorisation; NULL means never.
    authorisation_threshold: Decimal | None = money_field(nullable=True, default=None)
    claim_turnaround_days: int = 7
    is_active: bool = True


class MembershipStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    EXPIRED = "expired"
    PENDING = "pending"


class MedicalAidMembership(SQLModel, table=True):
    __tablename__ = "medical_aid_memberships"
    __table_args__ = (
        sa.UniqueConstraint("patient_id", "scheme_id"),
        sa.UniqueConstraint("scheme_id", "policy_number", "dependant_code"),
    )

    id: int | None = pk()
    patient_id: int | None = fk("patients.id", ondelete="CASCADE")
    scheme_id: int | None = fk("medical_aid_schemes.id")
    policy_number: str = Field(max_length=40)
    dependant_code: str = Field(default="00", max_length=4)
    principal_member: str | None = Field(default=None, max_length=120)
    status: MembershipStatus = enum_field(MembershipStatus, "membership_status", MembershipStatus.ACTIVE)
    valid_from: date
    valid_to: date | None = None
    is_primary: bool = True


class PreAuthStatus(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    DECLINED = "declined"
    EXPIRED = "expired"


class PreAuthorisation(SQLModel, table=True):
    __tablename__ = "pre_authorisations"

    id: int | None = pk()
    membership_id: int | None = fk("medical_aid_memberships.id")
    service_id: int | None = fk("services.id")
    appointment_id: int | None = fk("appointments.id", nullable=True)
    reference: str | None = Field(default=None, max_length=40, unique=True)
    status: PreAuthStatus = enum_field(PreAuthStatus, "preauth_status", PreAuthStatus.REQUESTED)
    requested_at: datetime = now_field()
    decided_at: datetime | None = ts_field()
    valid_until: date | None = None
