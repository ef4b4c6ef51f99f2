"""From the billing services' answers to what a page shows: TypedDict rows of display strings.

The services speak JSON (money as "1250.00", ISO timestamps, enum values). These functions
turn one answer into the small, flat rows the pages keep in their public vars, formatted for
a person (R1 250.00, 21 Nov 2026 in the clinic's zone, "Partially paid"). Nothing here reads
the database.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, TypedDict

from mediconnect.features.billing.common import METHOD_LABELS
from mediconnect.features.kit.format import label_of, local_day, local_time, money


class InvoiceRow(TypedDict):
    id: int
    number: str
    patient: str
    clinic: str
    service: str
    issued: str
    due: str
    status: str
    status_label: str
    total: str
    medical_aid: str
    patient_portion: str
    paid: str
    # Still owed on the invoice (patient and scheme), and by the patient alone.
    outstanding: str
    balance: str
    ageing: str
    overdue: bool
    href: str


class LineRow(TypedDict):
    description: str
    quantity: int
    unit_price: str
    amount: str
    medical_aid: str
    patient: str


class PaymentRow(TypedDict):
    id: int
    when: str
    method: str
    method_label: str
    amount: str
    status: str
    status_label: str
    reference: str
    failure_reason: str
    receipt_number: str
    refunded: str
    refundable: str
    can_refund: bool
    receipt_href: str


class RefundRow(TypedDict):
    id: int
    payment_receipt: str
    when: str
    amount: str
    reason: str


class ClaimRow(TypedDict):
    id: int
    number: str
    invoice_id: int
    invoice_number: str
    invoice_href: str
    patient: str
    scheme: str
    status: str
    status_label: str
    claimed: str
    approved: str
    paid: str
    submitted: str
    decided: str
    paid_on: str
    denial_reason: str


def _dt(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and value:
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def _d(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _s(value: Any) -> str:
    return "" if value is None else str(value)


def day(value: Any, tz: str | None = None) -> str:
    moment = _dt(value)
    if moment is not None and moment.tzinfo is not None:
        return local_day(moment, tz)
    return local_day(_d(value))


def when(value: Any, tz: str | None = None) -> str:
    moment = _dt(value)
    return local_time(moment, tz) if moment is not None else ""


def invoice_row(item: dict[str, Any]) -> InvoiceRow:
    tz = item.get("timezone")
    invoice_id = int(item.get("invoice_id") or item.get("id") or 0)
    status = _s(item.get("status"))
    return InvoiceRow(
        id=invoice_id,
        number=_s(item.get("number")),
        patient=_s(item.get("patient_name") or item.get("patient")),
        clinic=_s(item.get("clinic_name") or item.get("clinic")),
        service=_s(item.get("service")),
        issued=day(item.get("issued_at"), tz),
        due=day(item.get("due_date"), tz),
        status=status,
        status_label=label_of(status),
        total=money(item.get("price") or item.get("total")),
        medical_aid=money(item.get("medical_aid_portion")),
        patient_portion=money(item.get("patient_portion")),
        paid=money(item.get("amount_paid")),
        outstanding=money(item.get("outstanding")),
        balance=money(item.get("balance")),
        ageing=_s(item.get("ageing_bucket")),
        overdue=bool(item.get("overdue")),
        href=f"/billing/invoices/{invoice_id}/",
    )


def line_row(item: dict[str, Any]) -> LineRow:
    return LineRow(
        description=_s(item.get("description")),
        quantity=int(item.get("quantity") or 1),
        unit_price=money(item.get("unit_price")),
        amount=money(item.get("amount")),
        medical_aid=money(item.get("medical_aid_amount")),
        patient=money(item.get("patient_amount")),
    )


def payment_row(item: dict[str, Any], tz: str | None = None, *, manage: bool = False) -> PaymentRow:
    payment_id = int(item.get("payment_id") or item.get("id") or 0)
    status, method = _s(item.get("status")), _s(item.get("method"))
    refundable = item.get("refundable")
    receipt = _s(item.get("receipt_number"))
    return PaymentRow(
        id=payment_id,
        when=when(item.get("completed_at") or item.get("created_at"), tz),
        method=method,
        method_label=METHOD_LABELS.get(method, label_of(method)),
        amount=money(item.get("amount")),
        status=status,
        status_label=label_of(status),
        reference=_s(item.get("reference")),
        failure_reason=_s(item.get("failure_reason")),
        receipt_number=receipt,
        refunded=money(item.get("refunded")) if item.get("refunded") not in (None, "0.00", "0") else "",
        refundable=_s(refundable),
        can_refund=manage and refundable not in (None, "", "0", "0.00") and status == "completed",
        receipt_href=f"/billing/receipts/{payment_id}/" if receipt else "",
    )


def refund_row(item: dict[str, Any], tz: str | None = None) -> RefundRow:
    return RefundRow(
        id=int(item.get("refund_id") or item.get("id") or 0),
        payment_receipt=_s(item.get("receipt_number") or item.get("payment_id")),
        when=when(item.get("refunded_at"), tz),
        amount=money(item.get("amount")),
        reason=_s(item.get("reason")),
    )


def claim_row(item: dict[str, Any], tz: str | None = None) -> ClaimRow:
    invoice_id = int(item.get("invoice_id") or 0)
    status = _s(item.get("status"))
    return ClaimRow(
        id=int(item.get("claim_id") or item.get("id") or 0),
        number=_s(item.get("number") or item.get("claim_number")),
        invoice_id=invoice_id,
        invoice_number=_s(item.get("invoice_number")),
        invoice_href=f"/billing/invoices/{invoice_id}/" if invoice_id else "",
        patient=_s(item.get("patient_name")),
        scheme=_s(item.get("scheme_name")),
        status=status,
        status_label=label_of(status),
        claimed=money(item.get("claimed_amount")),
        approved=money(item.get("approved_amount")),
        paid=money(item.get("paid_amount")),
        submitted=day(item.get("submitted_at"), tz),
        decided=day(item.get("decided_at"), tz),
        paid_on=day(item.get("paid_at"), tz),
        denial_reason=_s(item.get("denial_reason")),
    )
