"""The billing pages' one door to the billing services (``services.billing``, ``payments``,
``claims``): each function takes the session and the caller's ``Principal`` and returns plain
data. The services check the caller (``require_invoice`` / ``invoice_scope``), audit and
publish events; nothing here holds SQL or a business rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from mediconnect.core.policy import Principal
from mediconnect.services import billing_views, claims, claims_views, payments
from mediconnect.services.options import Option


@dataclass(frozen=True)
class InvoiceFilters:
    status: str | None = None
    clinic_id: int | None = None
    overdue_only: bool = False
    text: str = ""
    page: int = 1
    page_size: int = 20
    with_payments: bool = False


def list_invoices(db: Session, principal: Principal, f: InvoiceFilters) -> dict[str, Any]:
    return billing_views.list_invoices(
        session=db,
        principal=principal,
        status=f.status,
        clinic_id=f.clinic_id,
        overdue_only=f.overdue_only,
        search=f.text or None,
        page=f.page,
        page_size=f.page_size,
        with_payments=f.with_payments,
    )


def clinic_options(db: Session, principal: Principal) -> list[Option]:
    return [
        Option(value=str(c["clinic_id"]), label=str(c["name"]))
        for c in billing_views.billing_clinics(session=db, principal=principal)
    ]


def list_topics(found: dict[str, Any]) -> list[str]:
    """The live topics of a listed page: each invoice shown."""
    return [f"invoice:{item.get('invoice_id') or item.get('id')}" for item in found.get("items", [])]


def invoice_detail(db: Session, principal: Principal, invoice_id: int) -> dict[str, Any]:
    return billing_views.invoice_detail(session=db, principal=principal, invoice_id=invoice_id)


def record_payment(
    db: Session,
    principal: Principal,
    *,
    invoice_id: int,
    amount: Decimal,
    method: str,
    reference: str,
    idempotency_key: str | None = None,
) -> dict[str, Any]:
    payment = payments.record_payment(
        session=db,
        principal=principal,
        invoice_id=invoice_id,
        amount=amount,
        method=method,
        reference=reference or None,
        idempotency_key=idempotency_key,
    )
    return payments.payment_json(payment)


def refund(db: Session, principal: Principal, *, payment_id: int, amount: Decimal, reason: str) -> Any:
    row = payments.refund(
        session=db, principal=principal, payment_id=payment_id, amount=amount, reason=reason
    )
    return {"refund_id": row.id, "reference": row.reference}


def receipt(db: Session, principal: Principal, payment_id: int) -> dict[str, Any]:
    data = payments.receipt(session=db, principal=principal, payment_id=payment_id)
    return {**data, **billing_views.receipt_extras(session=db, invoice_id=data["invoice_id"])}


def submit_claim(db: Session, principal: Principal, invoice_id: int) -> str:
    return claims.submit_claim(session=db, principal=principal, invoice_id=invoice_id).claim_number


def decide_claim(
    db: Session, principal: Principal, *, claim_id: int, approved_amount: Decimal | None, reason: str
) -> str:
    """Approved (all or part) when ``approved_amount`` is given, else denied with ``reason``."""
    claim = claims.decide_claim(
        session=db,
        principal=principal,
        claim_id=claim_id,
        approved_amount=approved_amount,
        denied=approved_amount is None,
        reason=reason or None,
    )
    return claim.status.value


def mark_claim_paid(
    db: Session, principal: Principal, *, claim_id: int, amount: Decimal, reference: str
) -> dict[str, Any]:
    payment = claims.mark_claim_paid(
        session=db, principal=principal, claim_id=claim_id, paid_amount=amount, reference=reference or None
    )
    return payments.payment_json(payment)


def list_claims(db: Session, principal: Principal, *, status: str | None, page: int, page_size: int) -> Any:
    return claims_views.list_claims(
        session=db, principal=principal, status=status, page=page, page_size=page_size
    )
