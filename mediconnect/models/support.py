"""Support tickets: the admin dashboard's support metrics."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from mediconnect.models.base import StrEnum, enum_field, fk, now_field, pk, ts_field


class TicketCategory(StrEnum):
    PASSWORD_RESET = "password_reset"
    SCHEDULING = "scheduling"
    BILLING = "billing"
    REPORT_ACCESS = "report_access"
    TECHNICAL = "technical"
    OTHER = "other"


class TicketStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"


class TicketPriority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class SupportTicket(SQLModel, table=True):
    __tablename__ = "support_tickets"
    __table_args__ = (sa.Index(None, "status", "created_at"), sa.Index(None, "category", "created_at"))

    id: int | None = pk()
    number: str = Field(max_length=20, unique=True)
    requester_id: int | None = fk("users.id", nullable=True)
    clinic_id: int | None = fk("clinics.id", nullable=True)
    assigned_to_id: int | None = fk("users.id", nullable=True, index=False)
    category: TicketCategory = enum_field(TicketCategory, "ticket_category")
    priority: TicketPriority = enum_field(TicketPriority, "ticket_priority", TicketPriority.NORMAL)
    status: TicketStatus = enum_field(TicketStatus, "ticket_status", TicketStatus.OPEN)
    subject: str = Field(max_length=160)
    description: str = Field(default="", sa_type=sa.Text)
    created_at: datetime = now_field()
    first_response_at: datetime | None = ts_field()
    resolved_at: datetime | None = ts_field()
