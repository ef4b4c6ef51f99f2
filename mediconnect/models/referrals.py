"""Referrals from outside doctors and the documents that come with them."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from mediconnect.models.base import StrEnum, enum_field, fk, now_field, pk, ts_field


class ReferralUrgency(StrEnum):
    ROUTINE = "routine"
    URGENT = "urgent"
    EMERGENCY = "emergency"


class ReferralStatus(StrEnum):
    RECEIVED = "received"
    BOOKED = "booked"
    COMPLETED = "completed"
    REPORTED = "reported"
    REJECTED = "rejected"


class Referral(SQLModel, table=True):
    __tablename__ = "referrals"

    id: int | None = pk()
    patient_id: int | None = fk("patients.id")
    # NULL when a patient uploads a paper referral from a doctor who has no account.
    referring_doctor_id: int | None = fk("referring_doctors.id", nullable=True)
    referrer_name: str | None = Field(default=None, max_length=120)
    service_id: int | None = fk("services.id", nullable=True)
    clinical_indication: str | None = Field(default=None, max_length=2000)
    urgency: ReferralUrgency = enum_field(ReferralUrgency, "referral_urgency", ReferralUrgency.ROUTINE)
    status: ReferralStatus = enum_field(ReferralStatus, "referral_status", ReferralStatus.RECEIVED)
    referred_on: datetime = now_field()
    created_by_id: int | None = fk("users.id", nullable=True, index=False)


class ReferralDocument(SQLModel, table=True):
    """A stored upload. Files live outside any web root under a random name."""

    __tablename__ = "referral_documents"

    id: int | None = pk()
    referral_id: int | None = fk("referrals.id", ondelete="CASCADE")
    original_filename: str = Field(max_length=255)
    stored_name: str = Field(max_length=64, unique=True)
    content_type: str = Field(max_length=40)
    size_bytes: int = Field(gt=0)
    sha256: str = Field(max_length=64)
    uploaded_by_id: int | None = fk("users.id", nullable=True, index=False)
    uploaded_at: datetime = now_field()
    deleted_at: datetime | None = ts_field()
