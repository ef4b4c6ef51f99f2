"""What the admin and analytics dashboards measure about the platform and the practice itself:
request and health samples, backups, feature use, costs, safety events, scheduled reports and
stored predictions."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from mediconnect.models.base import StrEnum, enum_field, fk, money_field, now_field, pk, ts_field


class RequestMetric(SQLModel, table=True):
    """Per-minute rollup of API traffic, written by middleware: response time and error rate."""

    __tablename__ = "request_metrics"
    __table_args__ = (sa.UniqueConstraint("bucket_start", "route_group"),)

    id: int | None = pk()
    bucket_start: datetime = ts_field(nullable=False, index=True)
    route_group: str = Field(max_length=40)
    request_count: int = 0
    error_count: int = 0
    total_ms: float = 0.0
    max_ms: float = 0.0


class HealthSample(SQLModel, table=True):
    """A periodic probe of the platform: uptime and database performance come from these."""

    __tablename__ = "health_samples"

    id: int | None = pk()
    sampled_at: datetime = ts_field(nullable=False, index=True)
    database_ok: bool
    database_latency_ms: float | None = None
    redis_ok: bool | None = None
    storage_used_fraction: float | None = None


class BackupStatus(StrEnum):
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"


class BackupRun(SQLModel, table=True):
    __tablename__ = "backup_runs"

    id: int | None = pk()
    started_at: datetime = ts_field(nullable=False, index=True)
    finished_at: datetime | None = ts_field()
    status: BackupStatus = enum_field(BackupStatus, "backup_status", BackupStatus.RUNNING)
    size_bytes: int | None = Field(default=None, sa_type=sa.BigInteger)
    location: str | None = Field(default=None, max_length=200)


class FeatureUsage(SQLModel, table=True):
    """Daily count of each user's use of each feature (appointments, messaging, billing, analytics)."""

    __tablename__ = "feature_usage"
    __table_args__ = (sa.UniqueConstraint("day", "user_id", "feature"),)

    id: int | None = pk()
    day: date = Field(index=True)
    user_id: int | None = fk("users.id", ondelete="CASCADE")
    feature: str = Field(max_length=30)
    uses: int = 1
    seconds_active: int = 0


class CostCategory(StrEnum):
    STAFF = "staff"
    CONSUMABLES = "consumables"
    EQUIPMENT = "equipment"
    FACILITIES = "facilities"
    ADMINISTRATION = "administration"


class OperatingCost(SQLModel, table=True):
    """Monthly operating costs per clinic and category: cost per patient and cost analysis."""

    __tablename__ = "operating_costs"
    __table_args__ = (
        sa.UniqueConstraint("clinic_id", "month", "category"),
        sa.CheckConstraint("amount >= 0", name="amount_nonneg"),
    )

    id: int | None = pk()
    clinic_id: int | None = fk("clinics.id", ondelete="CASCADE")
    month: date  # first day of the month
    category: CostCategory = enum_field(CostCategory, "cost_category")
    amount: Decimal = money_field()


class SafetyEventKind(StrEnum):
    INCIDENT = "incident"
    NEAR_MISS = "near_miss"


class SafetyEvent(SQLModel, table=True):
    __tablename__ = "safety_events"

    id: int | None = pk()
    clinic_id: int | None = fk("clinics.id")
    appointment_id: int | None = fk("appointments.id", nullable=True)
    kind: SafetyEventKind = enum_field(SafetyEventKind, "safety_event_kind")
    severity: str = Field(max_length=20)
    description: str = Field(max_length=500)
    occurred_at: datetime = ts_field(nullable=False, index=True)
    reported_by_id: int | None = fk("users.id", nullable=True, index=False)


class ReportSchedule(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    ON_DEMAND = "on_demand"


class ScheduledReport(SQLModel, table=True):
    """Billing's reports_available and analytics' custom_reports."""

    __tablename__ = "scheduled_reports"

    id: int | None = pk()
    key: str = Field(max_length=40, unique=True)
    name: str = Field(max_length=120)
    category: str = Field(max_length=20)  # billing | analytics
    schedule: ReportSchedule = enum_field(ReportSchedule, "report_schedule")
    parameters: dict[str, str] = Field(default_factory=dict, sa_type=sa.JSON)
    owner_id: int | None = fk("users.id", nullable=True)
    clinic_id: int | None = fk("clinics.id", nullable=True)
    next_run_at: datetime | None = ts_field()
    created_at: datetime = now_field()


class RunStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"


class ReportRun(SQLModel, table=True):
    __tablename__ = "report_runs"
    __table_args__ = (sa.Index(None, "report_id", "started_at"),)

    id: int | None = pk()
    report_id: int | None = fk("scheduled_reports.id", ondelete="CASCADE", index=False)
    status: RunStatus = enum_field(RunStatus, "run_status", RunStatus.QUEUED)
    started_at: datetime = now_field()
    finished_at: datetime | None = ts_field()
    period_label: str | None = Field(default=None, max_length=20)
    stored_name: str | None = Field(default=None, max_length=64, unique=True)
    error: str | None = Field(default=None, max_length=300)


class RiskScore(SQLModel, table=True):
    """A stored prediction (no-show or churn) for one appointment or patient, by model version."""

    __tablename__ = "risk_scores"
    # One score per subject and model version. Partial indexes, because a composite UNIQUE
    # over a NULL appointment_id (churn rows) would enforce nothing.
    __table_args__ = (
        sa.Index(
            "uq_risk_scores_no_show", "appointment_id", "model_version", unique=True,
            sqlite_where=sa.text("kind = 'no_show'"), postgresql_where=sa.text("kind = 'no_show'"),
        ),
        sa.Index(
            "uq_risk_scores_churn", "patient_id", "model_version", unique=True,
            sqlite_where=sa.text("kind = 'churn'"), postgresql_where=sa.text("kind = 'churn'"),
        ),
        sa.CheckConstraint("kind IN ('no_show', 'churn')", name="kind_known"),
        sa.CheckConstraint("score BETWEEN 0 AND 1", name="score_range"),
    )  # fmt: skip

    id: int | None = pk()
    kind: str = Field(max_length=20)  # no_show | churn
    appointment_id: int | None = fk("appointments.id", nullable=True, ondelete="CASCADE")
    patient_id: int | None = fk("patients.id", nullable=True, ondelete="CASCADE")
    score: float
    model_version: str = Field(max_length=20)
    computed_at: datetime = now_field()
