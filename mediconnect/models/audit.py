"""The append-only, hash-chained audit trail of every access to patient data."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from mediconnect.models.base import now_field, pk


class AuditLog(SQLModel, table=True):
    """row_hash = sha256(prev_hash + canonical row); editing or deleting a row breaks the chain."""

    __tablename__ = "audit_log"
    __table_args__ = (
        sa.Index(None, "patient_id", "occurred_at"),
        sa.Index(None, "user_id", "occurred_at"),
        sa.Index(None, "action", "occurred_at"),
    )

    id: int | None = pk()
    occurred_at: datetime = now_field()
    # No foreign keys: the trail must outlive and never block changes to what it records.
    user_id: int | None = None
    role: str | None = Field(default=None, max_length=20)
    action: str = Field(max_length=40)
    patient_id: int | None = None
    resource_type: str = Field(max_length=40)
    resource_id: str | None = Field(default=None, max_length=40)
    ip_address: str | None = Field(default=None, max_length=45)
    detail: str | None = Field(default=None, max_length=500)
    prev_hash: str = Field(max_length=64)
    row_hash: str = Field(max_length=64, unique=True)
