"""Outgoing SMS and email, one row per message, idempotent by key."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from mediconnect.models.base import StrEnum, enum_field, fk, now_field, pk, ts_field


class Channel(StrEnum):
    SMS = "sms"
    EMAIL = "email"


class NotificationStatus(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    DELIVERED = "delivered"
    FAILED = "failed"
    SKIPPED = "skipped"


class Notification(SQLModel, table=True):
    __tablename__ = "notifications"
    __table_args__ = (sa.Index(None, "status", "created_at"),)

    id: int | None = pk()
    idempotency_key: str = Field(max_length=120, unique=True)
    user_id: int | None = fk("users.id", nullable=True)
    patient_id: int | None = fk("patients.id", nullable=True)
    appointment_id: int | None = fk("appointments.id", nullable=True)
    channel: Channel = enum_field(Channel, "channel")
    template: str = Field(max_length=60)
    to_address: str = Field(max_length=254)
    subject: str | None = Field(default=None, max_length=200)
    status: NotificationStatus = enum_field(
        NotificationStatus, "notification_status", NotificationStatus.QUEUED
    )
    provider: str | None = Field(default=None, max_length=20)
    provider_id: str | None = Field(default=None, max_length=64)
    attempts: int = 0
    error: str | None = Field(default=None, max_length=300)
    created_at: datetime = now_field()
    sent_at: datetime | None = ts_field()
    delivered_at: datetime | None = ts_field()
