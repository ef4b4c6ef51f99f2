"""The billing API's request bodies and responses (``api/billing.py``), as the billing services
shape them (``invoice_figures.invoice_json``, ``invoice_list``, ``payments``, ``claims``,
``pricing.quote_as_json``). Money is a string with two decimals ("1250.00"); instants and dates
are ISO 8601 strings. The responses forbid unknown keys, so the OpenAPI document says exactly
what is sent (``tests/api/test_billing_api.py`` holds real answers against them).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from mediconnect.api.fields import Amount, Day, Id, StrictBool, Text


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


Money = Annotated[str | None, Field(description='two decimals, "1250.00"')]
Short = Annotated[Text, Field(max_length=64)]
Reason = Annotated[Text, Field(max_length=200)]


# --------------------------------------------------------------------------- bodies


class QuoteIn(BaseModel):
    service_id: Id | None = None
    patient_id: Id | None = None
    date: Day | None = Field(None, description="default: today")


class PaymentIn(BaseModel):
    amount: Amount | None = None
    method: Annotated[Text, Field(max_length=20)] | None = None
    reference: Short | None = None
    idempotency_key: Short | None = Field(None, description="or the Idempotency-Key header")


class RefundIn(BaseModel):
    amount: Amount | None = None
    reason: Reason | None = None


class DecisionIn(BaseModel):
    approved_amount: Amount | None = None
    denied: StrictBool = False
    reason: Reason | None = None


class PaidIn(BaseModel):
    paid_amount: Amount | None = None
    reference: Short | None = None


# --------------------------------------------------------------------------- responses


class QuoteOut(Out):
    service_id: int
    service_name: str
    date: str
    private: bool
    scheme_name: str | None
    covered: bool
    coverage_percent: str
    coverage_rate: float
    price: Money
    tariff_cap: Money
    annual_limit_remaining: Money
    authorisation_required: bool
    authorisation_status: str
    medical_aid_portion: Money
    shortfall: Money
    co_payment: Money
    patient_portion: Money
    due_now: Money
    due_after_claim: Money
    lines: list[str]


class PaymentOut(Out):
    payment_id: int
    invoice_id: int | None
    amount: Money
    method: str
    status: str
    provider: str
    reference: str | None
    receipt_number: str | None
    failure_reason: str | None
    created_at: str
    completed_at: str | None


class RefundOut(Out):
    refund_id: int
    payment_id: int
    amount: Money
    reason: str
    reference: str | None
    refunded_at: str


class ClaimOut(Out):
    claim_id: int
    number: str
    invoice_id: int
    status: str
    claimed_amount: Money
    approved_amount: Money
    paid_amount: Money
    submitted_at: str
    decided_at: str | None
    paid_at: str | None
    denial_reason: str | None


class InvoicePayment(Out):
    payment_id: int
    amount: Money
    method: str
    status: str
    reference: str | None
    receipt_number: str | None
    created_at: str
    completed_at: str | None


class InvoiceClaim(Out):
    claim_id: int
    number: str
    status: str
    claimed_amount: Money
    approved_amount: Money
    paid_amount: Money
    submitted_at: str
    decided_at: str | None
    paid_at: str | None
    denial_reason: str | None


class InvoiceOut(Out):
    """``GET /api/invoices/{id}``: the invoice's numbers, its claim and payments."""

    invoice_id: int
    number: str
    status: str
    appointment_id: int | None
    patient_id: int | None
    clinic_id: int | None
    service: str | None
    price: Money
    medical_aid_portion: Money
    patient_portion: Money
    patient_paid: Money
    insurance_paid: Money
    amount_paid: Money
    balance: Money
    outstanding: Money
    issued_at: str
    due_date: str
    overdue: bool
    ageing_bucket: str | None
    claim: InvoiceClaim | None
    payments: list[InvoicePayment]
    shortfall: Money
    co_payment: Money
    quoted_medical_aid_portion: Money
    moved_to_patient_by_claim: Money


class InvoiceSummary(InvoiceOut):
    """The payment summary of an invoiced appointment."""

    scheduled_start: str
    patient_due_date: str
    scheme_name: str | None
    authorisation_status: str | None
    claim_status: str | None
    claim_expected_by: str | None
    lines: list[str]


class NotInvoiced(Out):
    """The payment summary of an appointment with no invoice yet."""

    appointment_id: int
    invoice_id: None
    status: Literal["not_invoiced"]
    service: str | None
    price: Money
    scheduled_start: str
    payments: list[InvoicePayment]
    message: str


PaymentSummary = InvoiceSummary | NotInvoiced


class InvoiceRow(Out):
    invoice_id: int
    number: str
    status: str
    patient_id: int | None
    clinic_id: int | None
    appointment_id: int | None
    total: Money
    medical_aid_portion: Money
    patient_portion: Money
    amount_paid: Money
    outstanding: Money
    issued_at: str
    due_date: str
    overdue: bool
    ageing_bucket: str | None


class AgeingBucket(Out):
    count: int
    outstanding: Money


class InvoicePage(Out):
    """``GET /api/invoices``: a page of 50, newest first; ``ageing`` by bucket (0-30 ... 90+)."""

    items: list[InvoiceRow]
    page: int
    page_size: int
    total: int
    ageing: dict[str, AgeingBucket]


class ReceiptOut(Out):
    receipt_number: str
    payment_id: int
    invoice_id: int
    invoice_number: str
    clinic: str | None
    patient: str | None
    amount: Money
    refunded: Money
    method: str
    reference: str | None
    status: str
    paid_at: str | None
    invoice_total: Money
    patient_portion: Money
    patient_paid: Money
    insurance_paid: Money
    balance: Money
