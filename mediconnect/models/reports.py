"""Radiology reports, who opened them, and the feedback patients leave."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from mediconnect.models.base import StrEnum, enum_field, fk, now_field, pk, ts_field


class ReportStatus(StrEnum):
    DRAFT = "draft"
    FINAL = "final"
    AMENDED = "amended"


class Report(SQLModel, table=True):
    __tablename__ = "reports"

    id: int | None = pk()
    appointment_id: int | None = Field(default=None, foreign_key="appointments.id", unique=True)
    patient_id: int | None = fk("patients.id")
    author_doctor_id: int | None = fk("doctors.id", nullable=True)
    status: ReportStatus = enum_field(ReportStatus, "report_status", ReportStatus.DRAFT)
    findings: str = Field(default="", sa_type=sa.Text)
    impression: str = Field(default="", sa_type=sa.Text)
    recommendations: str = Field(default="", sa_type=sa.Text)
    file_stored_name: str | None = Field(default=None, max_length=64, unique=True)
    file_content_type: str | None = Field(default=None, max_length=40)
    file_size_bytes: int | None = None
    created_at: datetime = now_field()
    signed_by_id: int | None = fk("doctors.id", nullable=True, index=False)
    signed_at: datetime | None = ts_field(index=True)
    delivered_at: datetime | None = ts_field()


class ReportAccessAction(StrEnum):
    VIEW = "view"
    DOWNLOAD = "download"


class ReportAccess(SQLModel, table=True):
    __tablename__ = "report_accesses"

    id: int | None = pk()
    report_id: int | None = fk("reports.id", ondelete="CASCADE")
    user_id: int | None = fk("users.id")
    action: ReportAccessAction = enum_field(ReportAccessAction, "report_access_action")
    ip_address: str | None = Field(default=None, max_length=45)
    user_agent: str | None = Field(default=None, max_length=300)
    accessed_at: datetime = now_field()


def _rating(name: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(f"{name} IS NULL OR {name} BETWEEN 1 AND 5", name=f"{name}_range")


class Feedback(SQLModel, table=True):
    __tablename__ = "feedback"
    __table_args__ = (
        _rating("overall_rating"),
        _rating("wait_time_rating"),
        _rating("staff_rating"),
        _rating("communication_rating"),
        _rating("facility_rating"),
        _rating("billing_clarity_rating"),
        sa.CheckConstraint("nps_score IS NULL OR nps_score BETWEEN 0 AND 10", name="nps_range"),
    )

    id: int | None = pk()
    appointment_id: int | None = Field(default=None, foreign_key="appointments.id", unique=True)
    patient_id: int | None = fk("patients.id")
    overall_rating: int
    wait_time_rating: int | None = None
    staff_rating: int | None = None
    communication_rating: int | None = None
    facility_rating: int | None = None
    billing_clarity_rating: int | None = None
    nps_score: int | None = None
    would_recommend: bool | None = None
    comments: str | None = Field(default=None, max_length=2000)
    submitted_at: datetime = now_field()
