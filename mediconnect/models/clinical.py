"""Clinical records: conditions, allergies, vitals, medications, labs, goals."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from mediconnect.models.base import StrEnum, enum_field, fk, now_field, pk, ts_field


class ConditionStatus(StrEnum):
    ACTIVE = "active"
    MANAGED = "managed"
    RESOLVED = "resolved"


class Condition(SQLModel, table=True):
    __tablename__ = "conditions"

    id: int | None = pk()
    patient_id: int | None = fk("patients.id", ondelete="CASCADE")
    name: str = Field(max_length=120)
    icd10_code: str | None = Field(default=None, max_length=10)
    diagnosed_on: date
    status: ConditionStatus = enum_field(ConditionStatus, "condition_status", ConditionStatus.ACTIVE)
    diagnosed_by_id: int | None = fk("doctors.id", nullable=True, index=False)


class Severity(StrEnum):
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"


class Allergy(SQLModel, table=True):
    __tablename__ = "allergies"
    __table_args__ = (sa.UniqueConstraint("patient_id", "allergen"),)

    id: int | None = pk()
    patient_id: int | None = fk("patients.id", ondelete="CASCADE")
    allergen: str = Field(max_length=80)
    severity: Severity = enum_field(Severity, "severity")
    reaction: str | None = Field(default=None, max_length=120)
    recorded_at: datetime = now_field()


class VitalSign(SQLModel, table=True):
    __tablename__ = "vital_signs"
    __table_args__ = (
        sa.Index(None, "patient_id", "recorded_at"),
        sa.CheckConstraint("systolic IS NULL OR systolic BETWEEN 40 AND 300", name="systolic_range"),
        sa.CheckConstraint("diastolic IS NULL OR diastolic BETWEEN 20 AND 200", name="diastolic_range"),
        sa.CheckConstraint("heart_rate IS NULL OR heart_rate BETWEEN 20 AND 250", name="heart_rate_range"),
    )

    id: int | None = pk()
    patient_id: int | None = fk("patients.id", ondelete="CASCADE", index=False)
    appointment_id: int | None = fk("appointments.id", nullable=True)
    recorded_at: datetime = ts_field(nullable=False)
    systolic: int | None = None
    diastolic: int | None = None
    heart_rate: int | None = None
    weight_kg: float | None = None
    temperature_c: float | None = None
    spo2: int | None = None
    recorded_by_id: int | None = fk("users.id", nullable=True, index=False)


class Medication(SQLModel, table=True):
    __tablename__ = "medications"

    id: int | None = pk()
    name: str = Field(max_length=80, unique=True)
    drug_class: str = Field(max_length=80)


class MedicationInteraction(SQLModel, table=True):
    """The curated interaction table we ship as data; pairs are stored lowest id first."""

    __tablename__ = "medication_interactions"
    __table_args__ = (
        sa.UniqueConstraint("medication_a_id", "medication_b_id"),
        sa.CheckConstraint("medication_a_id < medication_b_id", name="ordered_pair"),
    )

    id: int | None = pk()
    medication_a_id: int | None = fk("medications.id", ondelete="CASCADE")
    medication_b_id: int | None = fk("medications.id", ondelete="CASCADE")
    severity: str = Field(max_length=20)  # critical | major | moderate
    description: str = Field(max_length=300)


class PrescriptionStatus(StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"
    STOPPED = "stopped"


class Prescription(SQLModel, table=True):
    __tablename__ = "prescriptions"
    __table_args__ = (
        sa.Index(None, "patient_id", "status"),
        sa.CheckConstraint("refills_used <= refills_allowed", name="refills_within_allowed"),
        sa.CheckConstraint("remaining_doses >= 0", name="remaining_nonneg"),
    )

    id: int | None = pk()
    patient_id: int | None = fk("patients.id", ondelete="CASCADE", index=False)
    medication_id: int | None = fk("medications.id")
    doctor_id: int | None = fk("doctors.id", nullable=True)
    dosage: str = Field(max_length=40)
    frequency: str = Field(max_length=40)
    doses_per_day: int = 1
    prescribed_on: date
    ends_on: date | None = None
    refills_allowed: int = 0
    refills_used: int = 0
    remaining_doses: int = 0
    next_refill_on: date | None = None
    status: PrescriptionStatus = enum_field(
        PrescriptionStatus, "prescription_status", PrescriptionStatus.ACTIVE
    )


class DoseStatus(StrEnum):
    SCHEDULED = "scheduled"
    TAKEN = "taken"
    MISSED = "missed"


class MedicationDose(SQLModel, table=True):
    """Scheduled doses, for reminders and missed-dose counts."""

    __tablename__ = "medication_doses"
    __table_args__ = (sa.UniqueConstraint("prescription_id", "scheduled_at"),)

    id: int | None = pk()
    prescription_id: int | None = fk("prescriptions.id", ondelete="CASCADE")
    scheduled_at: datetime = ts_field(nullable=False)
    status: DoseStatus = enum_field(DoseStatus, "dose_status", DoseStatus.SCHEDULED)
    taken_at: datetime | None = ts_field()


class LabTestStatus(StrEnum):
    ORDERED = "ordered"
    SCHEDULED = "scheduled"
    COLLECTED = "collected"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class LabTest(SQLModel, table=True):
    __tablename__ = "lab_tests"
    __table_args__ = (sa.Index(None, "patient_id", "ordered_at"), sa.Index(None, "ordered_by_id", "status"))

    id: int | None = pk()
    patient_id: int | None = fk("patients.id", ondelete="CASCADE", index=False)
    ordered_by_id: int | None = fk("doctors.id", nullable=True, index=False)
    test_name: str = Field(max_length=120)
    location: str | None = Field(default=None, max_length=120)
    fasting_required: bool = False
    preparation_hours: int = 0
    status: LabTestStatus = enum_field(LabTestStatus, "lab_test_status", LabTestStatus.ORDERED)
    ordered_at: datetime = ts_field(nullable=False)
    scheduled_at: datetime | None = ts_field()
    completed_at: datetime | None = ts_field()
    reviewed_at: datetime | None = ts_field()
    summary: str | None = Field(default=None, max_length=500)


class ResultFlag(StrEnum):
    NORMAL = "normal"
    LOW = "low"
    HIGH = "high"
    CRITICAL = "critical"


class LabResult(SQLModel, table=True):
    __tablename__ = "lab_results"

    id: int | None = pk()
    lab_test_id: int | None = fk("lab_tests.id", ondelete="CASCADE")
    analyte: str = Field(max_length=80)
    value: float
    unit: str = Field(max_length=20)
    reference_low: float | None = None
    reference_high: float | None = None
    flag: ResultFlag = enum_field(ResultFlag, "result_flag", ResultFlag.NORMAL)


class GoalStatus(StrEnum):
    ACTIVE = "active"
    ACHIEVED = "achieved"
    ABANDONED = "abandoned"


class HealthGoal(SQLModel, table=True):
    __tablename__ = "health_goals"
    __table_args__ = (sa.CheckConstraint("progress BETWEEN 0 AND 1", name="progress_range"),)

    id: int | None = pk()
    patient_id: int | None = fk("patients.id", ondelete="CASCADE")
    goal: str = Field(max_length=120)
    target: str = Field(max_length=60)
    current: str | None = Field(default=None, max_length=60)
    progress: float = 0.0
    deadline: date | None = None
    actions: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    status: GoalStatus = enum_field(GoalStatus, "goal_status", GoalStatus.ACTIVE)
    set_by_id: int | None = fk("doctors.id", nullable=True, index=False)


class Message(SQLModel, table=True):
    __tablename__ = "messages"
    __table_args__ = (sa.Index(None, "recipient_id", "read_at"),)

    id: int | None = pk()
    sender_id: int | None = fk("users.id")
    recipient_id: int | None = fk("users.id", index=False)
    patient_id: int | None = fk("patients.id", nullable=True)
    thread_id: int | None = fk("messages.id", nullable=True, index=False)
    subject: str = Field(max_length=160)
    body: str = Field(sa_type=sa.Text)
    sent_at: datetime = now_field()
    read_at: datetime | None = ts_field()
