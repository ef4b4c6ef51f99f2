"""Invoices, payments, refunds, medical aid claims, payment plans, credit and subscriptions."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from mediconnect.models.base import StrEnum, enum_field, fk, money_field, now_field, pk, ts_field


class InvoiceStatus(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    OVERDUE = "overdue"
    CANCELLED = "cancelled"


OWING = sa.text("total > amount_paid AND status NOT IN ('draft', 'cancelled')")


class Invoice(SQLModel, table=True):
    __tablename__ = "invoices"
    __table_args__ = (
        sa.CheckConstraint("total = medical_aid_portion + patient_portion", name="portions_sum"),
        sa.CheckConstraint(
            "total >= 0 AND medical_aid_portion >= 0 AND patient_portion >= 0", name="amounts_nonneg"
        ),
        sa.CheckConstraint("amount_paid >= 0", name="paid_nonneg"),
        sa.Index(None, "clinic_id", "issued_at"),
        sa.Index(None, "status", "due_date"),
        # The clinic dashboard's receivables and collection time: the few invoices still owing,
        # and those paid recently, without scanning a clinic's whole billing history.
        sa.Index("ix_invoices_clinic_owing", "clinic_id", postgresql_where=OWING, sqlite_where=OWING),
        sa.Index(None, "clinic_id", "paid_at"),
    )

    id: int | None = pk()
    number: str = Field(max_length=24, unique=True)
    appointment_id: int | None = Field(
        default=None, foreign_key="appointments.id", unique=True, nullable=True
    )
    patient_id: int | None = fk("patients.id")
    clinic_id: int | None = fk("clinics.id", index=False)
    doctor_id: int | None = fk("doctors.id", nullable=True)
    status: InvoiceStatus = enum_field(InvoiceStatus, "invoice_status", InvoiceStatus.DRAFT)
    subtotal: Decimal = money_field()
    medical_aid_portion: Decimal = money_field()
    patient_portion: Decimal = money_field()
    total: Decimal = money_field()
    # Kept in step with completed payments less refunds, so ageing needs no per-row sums.
    amount_paid: Decimal = money_field()
    issued_at: datetime = now_field()
    due_date: date
    sent_at: datetime | None = ts_field()
    paid_at: datetime | None = ts_field()
    cancelled_at: datetime | None = ts_field()
    auto_generated: bool = True
    auto_sent: bool = False
    reminders_sent: int = 0
    last_reminder_at: datetime | None = ts_field()


class InvoiceLine(SQLModel, table=True):
    __tablename__ = "invoice_lines"
    __table_args__ = (sa.CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: int | None = pk()
    invoice_id: int | None = fk("invoices.id", ondelete="CASCADE")
    service_id: int | None = fk("services.id", nullable=True)
    description: str = Field(max_length=200)
    quantity: int = 1
    unit_price: Decimal = money_field()
    amount: Decimal = money_field()
    medical_aid_amount: Decimal = money_field()
    patient_amount: Decimal = money_field()


class PaymentMethod(StrEnum):
    CARD = "card"
    MOBILE_MONEY = "mobile_money"
    BANK_TRANSFER = "bank_transfer"
    CASH = "cash"
    INSURANCE = "insurance"


class PaymentStatus(StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    REFUNDED = "refunded"


class Payment(SQLModel, table=True):
    __tablename__ = "payments"
    __table_args__ = (
        sa.CheckConstraint("amount > 0", name="amount_positive"),
        sa.CheckConstraint("processing_fee >= 0", name="fee_nonneg"),
        sa.Index(None, "status", "created_at"),
        sa.Index(None, "method", "created_at"),
    )

    id: int | None = pk()
    invoice_id: int | None = fk("invoices.id")
    patient_id: int | None = fk("patients.id", nullable=True)
    claim_id: int | None = fk("claims.id", nullable=True)
    amount: Decimal = money_field()
    method: PaymentMethod = enum_field(PaymentMethod, "payment_method")
    status: PaymentStatus = enum_field(PaymentStatus, "payment_status", PaymentStatus.PENDING)
    provider: str = Field(default="desk", max_length=40)
    transaction_reference: str | None = Field(default=None, max_length=64, unique=True)
    receipt_number: str | None = Field(default=None, max_length=24, unique=True)
    failure_reason: str | None = Field(default=None, max_length=120)
    processing_fee: Decimal = money_field()
    idempotency_key: str | None = Field(default=None, max_length=64, unique=True)
    recorded_by_id: int | None = fk("users.id", nullable=True, index=False)
    created_at: datetime = now_field()
    completed_at: datetime | None = ts_field(index=True)
    chargeback_at: datetime | None = ts_field()


class Refund(SQLModel, table=True):
    __tablename__ = "refunds"
    __table_args__ = (sa.CheckConstraint("amount > 0", name="amount_positive"),)

    id: int | None = pk()
    payment_id: int | None = fk("payments.id")
    amount: Decimal = money_field()
    reason: str = Field(max_length=200)
    reference: str | None = Field(default=None, max_length=64, unique=True)
    recorded_by_id: int | None = fk("users.id", nullable=True, index=False)
    refunded_at: datetime = now_field()


class ClaimStatus(StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    PARTIALLY_APPROVED = "partially_approved"
    DENIED = "denied"
    PAID = "paid"


class Claim(SQLModel, table=True):
    __tablename__ = "claims"
    __table_args__ = (
        sa.CheckConstraint("claimed_amount >= 0", name="claimed_nonneg"),
        sa.CheckConstraint(
            "approved_amount IS NULL OR approved_amount <= claimed_amount", name="approved_le_claimed"
        ),
        sa.Index(None, "status", "submitted_at"),
    )

    id: int | None = pk()
    claim_number: str = Field(max_length=24, unique=True)
    invoice_id: int | None = fk("invoices.id")
    membership_id: int | None = fk("medical_aid_memberships.id")
    scheme_id: int | None = fk("medical_aid_schemes.id")
    status: ClaimStatus = enum_field(ClaimStatus, "claim_status", ClaimStatus.SUBMITTED)
    claimed_amount: Decimal = money_field()
    approved_amount: Decimal | None = money_field(nullable=True, default=None)
    paid_amount: Decimal | None = money_field(nullable=True, default=None)
    submitted_at: datetime = now_field()
    decided_at: datetime | None = ts_field()
    paid_at: datetime | None = ts_field()
    denial_reason: str | None = Field(default=None, max_length=200)


class PaymentPlanStatus(StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"
    DEFAULTED = "defaulted"
    CANCELLED = "cancelled"


class PaymentPlan(SQLModel, table=True):
    __tablename__ = "payment_plans"
    __table_args__ = (sa.CheckConstraint("installments > 0", name="installments_positive"),)

    id: int | None = pk()
    patient_id: int | None = fk("patients.id")
    invoice_id: int | None = fk("invoices.id", nullable=True)
    total_amount: Decimal = money_field()
    installments: int
    installment_amount: Decimal = money_field()
    frequency_days: int = 30
    start_date: date
    status: PaymentPlanStatus = enum_field(PaymentPlanStatus, "payment_plan_status", PaymentPlanStatus.ACTIVE)
    created_at: datetime = now_field()


class InstallmentStatus(StrEnum):
    DUE = "due"
    PAID = "paid"
    LATE = "late"
    MISSED = "missed"


class PaymentPlanInstallment(SQLModel, table=True):
    __tablename__ = "payment_plan_installments"
    __table_args__ = (sa.UniqueConstraint("plan_id", "sequence"),)

    id: int | None = pk()
    plan_id: int | None = fk("payment_plans.id", ondelete="CASCADE")
    sequence: int
    due_date: date
    amount: Decimal = money_field()
    status: InstallmentStatus = enum_field(InstallmentStatus, "installment_status", InstallmentStatus.DUE)
    paid_at: datetime | None = ts_field()
    payment_id: int | None = fk("payments.id", nullable=True, index=False)


class CreditAccount(SQLModel, table=True):
    """A patient's account with the practice: a credit limit and what is drawn on it."""

    __tablename__ = "credit_accounts"
    __table_args__ = (sa.CheckConstraint("credit_limit >= 0", name="limit_nonneg"),)

    id: int | None = pk()
    patient_id: int | None = Field(default=None, foreign_key="patients.id", unique=True)
    credit_limit: Decimal = money_field()
    balance: Decimal = money_field()
    opened_at: datetime = now_field()
    is_active: bool = True


class SubscriptionStatus(StrEnum):
    TRIAL = "trial"
    ACTIVE = "active"
    PAST_DUE = "past_due"
    CANCELLED = "cancelled"


class ClinicSubscription(SQLModel, table=True):
    """What each clinic pays the platform: the admin dashboard's subscription revenue."""

    __tablename__ = "clinic_subscriptions"

    id: int | None = pk()
    clinic_id: int | None = fk("clinics.id", ondelete="CASCADE")
    plan: str = Field(max_length=40)
    monthly_fee: Decimal = money_field()
    started_on: date
    ended_on: date | None = None
    status: SubscriptionStatus = enum_field(
        SubscriptionStatus, "subscription_status", SubscriptionStatus.ACTIVE
    )
