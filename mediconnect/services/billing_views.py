"""Read side of the billing pages: the invoice list with search, names and totals, one invoice
with its lines, refunds and what is still refundable, and a patient's own invoices (the
claims list is in claims_views.py).

Money rules live in ``billing`` / ``invoice_figures`` / ``payments`` / ``claims``; this module
only reads, through the same policy predicates (``invoice_scope``, ``require_invoice``),
so a list never shows what a single fetch would refuse. Lists and views are audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from mediconnect.core import audit, policy
from mediconnect.core.errors import AccessDenied, DashErrorCode
from mediconnect.core.policy import Action, Principal
from mediconnect.models.base import utcnow
from mediconnect.models.billing import (
    ClaimStatus,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    Payment,
    PaymentMethod,
    PaymentStatus,
    Refund,
)
from mediconnect.models.clinics import Clinic
from mediconnect.models.patients import Patient
from mediconnect.models.users import Role
from mediconnect.services import billing
from mediconnect.services.invoice_figures import AGEING_BUCKETS, BillingError, ageing_bucket, invoice_json
from mediconnect.services.pricing import ZERO, money

LIST_ROLES = frozenset({Role.ADMIN, Role.BILLING_STAFF})
MAX_PAGE_SIZE = 100
OPEN_STATUSES = (InvoiceStatus.SENT, InvoiceStatus.PARTIALLY_PAID, InvoiceStatus.OVERDUE)


def page_bounds(page: int, page_size: int) -> tuple[int, int]:
    if page < 1 or page > 100_000:
        raise BillingError("invalid_page", "Pages start at 1.", field="page")
    return page, max(1, min(page_size, MAX_PAGE_SIZE))


def page_count(total: int, size: int) -> int:
    return max(1, -(-total // size))


def _bucket_case(today: date) -> sa.ColumnElement[str]:
    """SQL twin of invoice_figures.ageing_bucket (days past the due date)."""
    return sa.case(
        (col(Invoice.due_date) >= today - timedelta(days=30), AGEING_BUCKETS[0]),
        (col(Invoice.due_date) >= today - timedelta(days=60), AGEING_BUCKETS[1]),
        (col(Invoice.due_date) >= today - timedelta(days=90), AGEING_BUCKETS[2]),
        else_=AGEING_BUCKETS[3],
    )


def _open() -> sa.ColumnElement[bool]:
    return sa.and_(col(Invoice.status).in_(OPEN_STATUSES), col(Invoice.amount_paid) < col(Invoice.total))


def as_decimal(value: Any) -> Decimal:
    return Decimal(str(value or 0))


def billing_clinics(*, session: Session, principal: Principal) -> list[dict[str, Any]]:
    """The clinics whose invoices the caller may list (for the clinic filter)."""
    if principal.role not in LIST_ROLES:
        raise AccessDenied(DashErrorCode.DASH_002, f"role {principal.role.value} may not list invoices")
    ids = sa.select(col(Invoice.clinic_id)).where(policy.invoice_scope(principal=principal)).distinct()
    rows = session.exec(select(Clinic).where(col(Clinic.id).in_(ids)).order_by(col(Clinic.name))).all()
    return [{"clinic_id": c.id, "name": c.name} for c in rows]


def list_invoices(
    *,
    session: Session,
    principal: Principal,
    status: str | None = None,
    clinic_id: int | None = None,
    overdue_only: bool = False,
    search: str | None = None,
    page: int = 1,
    page_size: int = 20,
    with_payments: bool = False,
    today: date | None = None,
) -> dict[str, Any]:
    """Invoices in the caller's scope, newest first, with patient and clinic names, each open
    invoice's ageing bucket, and totals over the whole filter (invoiced, received,
    outstanding, outstanding per bucket). Billing staff and admins; a patient gets their own
    (with ``with_payments``: each invoice's completed payments, for the receipt links)."""
    if principal.role not in LIST_ROLES | {Role.PATIENT}:
        raise AccessDenied(DashErrorCode.DASH_002, f"role {principal.role.value} may not list invoices")
    page, size = page_bounds(page, page_size)
    today = today or datetime.now(UTC).date()
    where = _invoice_filters(
        principal, status=status, clinic_id=clinic_id, overdue_only=overdue_only, search=search, today=today
    )
    total, totals = _invoice_totals(session, where, today)
    rows = _invoice_page(session, where, page=page, size=size)
    items = _invoice_items(session, rows, with_payments=with_payments, today=today)
    audit.record(
        session,
        principal_or_user_id=principal,
        action=audit.AuditAction.LIST,
        patient_id=principal.patient_id if principal.role is Role.PATIENT else None,
        resource_type="invoice_list",
        detail=f"page {page}: {len(items)} of {total} invoices"[:500],
    )
    return {
        "items": items,
        "page": page,
        "page_size": size,
        "pages": page_count(total, size),
        "total": total,
        "totals": totals,
    }


def _invoice_filters(
    principal: Principal,
    *,
    status: str | None,
    clinic_id: int | None,
    overdue_only: bool,
    search: str | None,
    today: date,
) -> list[sa.ColumnElement[bool]]:
    """The list's WHERE clauses: the caller's scope first, then the page's filters."""
    where: list[sa.ColumnElement[bool]] = [policy.invoice_scope(principal=principal, action=Action.READ)]
    if status:
        try:
            where.append(col(Invoice.status) == InvoiceStatus(status))
        except ValueError:
            choices = ", ".join(s.value for s in InvoiceStatus)
            raise BillingError("invalid_status", f"Status is one of {choices}.", field="status") from None
    if clinic_id is not None:
        where.append(col(Invoice.clinic_id) == clinic_id)
    if overdue_only:
        where.extend([_open(), col(Invoice.due_date) < today])
    matches = _search_clause(search)
    if matches is not None:
        where.append(matches)
    return where


def _search_clause(search: str | None) -> sa.ColumnElement[bool] | None:
    """Invoice number or patient name containing the search text (None: no search)."""
    text = " ".join((search or "").split())[:100]
    if not text:
        return None
    like = f"%{text.replace('%', '').replace('_', '')}%"
    # Aliased: the page query joins patients itself, and must not correlate this one away.
    pt = aliased(Patient)
    name = col(pt.first_name) + " " + col(pt.last_name)
    return sa.or_(
        col(Invoice.number).ilike(like),
        sa.exists().where(col(pt.id) == col(Invoice.patient_id), name.ilike(like)),
    )


def _invoice_totals(
    session: Session, where: list[sa.ColumnElement[bool]], today: date
) -> tuple[int, dict[str, Any]]:
    """The count and the money totals over the whole filter, not just the page."""
    total = session.scalar(sa.select(sa.func.count()).select_from(Invoice).where(*where)) or 0
    sums = session.execute(
        sa.select(
            sa.func.coalesce(sa.func.sum(col(Invoice.total)), 0),
            sa.func.coalesce(sa.func.sum(col(Invoice.amount_paid)), 0),
        ).where(*where, col(Invoice.status) != InvoiceStatus.CANCELLED)
    ).one()
    bucket = _bucket_case(today)
    by_bucket = {name: "0.00" for name in AGEING_BUCKETS}
    outstanding = ZERO
    for name, amount in session.execute(
        sa.select(bucket, sa.func.sum(col(Invoice.total) - col(Invoice.amount_paid)))
        .where(*where, _open())
        .group_by(bucket)
    ).all():
        by_bucket[name] = money(as_decimal(amount)) or "0.00"
        outstanding += as_decimal(amount)
    return total, {
        "total": money(as_decimal(sums[0])),
        "amount_paid": money(as_decimal(sums[1])),
        "outstanding": money(outstanding),
        "ageing": by_bucket,
    }


def _invoice_page(
    session: Session, where: list[sa.ColumnElement[bool]], *, page: int, size: int
) -> Sequence[sa.Row[*tuple[Any, ...]]]:
    """One page of invoices with their patient's names and their clinic's name and timezone."""
    return session.execute(
        sa.select(
            Invoice, col(Patient.first_name), col(Patient.last_name), col(Clinic.name), col(Clinic.timezone)
        )
        .outerjoin(Patient, col(Patient.id) == col(Invoice.patient_id))
        .outerjoin(Clinic, col(Clinic.id) == col(Invoice.clinic_id))
        .where(*where)
        .order_by(col(Invoice.issued_at).desc(), col(Invoice.id).desc())
        .offset((page - 1) * size)
        .limit(size)
    ).all()


def _invoice_items(
    session: Session,
    rows: Sequence[sa.Row[*tuple[Any, ...]]],
    *,
    with_payments: bool,
    today: date,
) -> list[dict[str, Any]]:
    ids = [inv.id for inv, *_ in rows]
    services = _first_lines(session, ids)
    payments = _payments_by_invoice(session, ids) if with_payments else {}
    patient_paid = _patient_paid(session, ids)
    items = []
    for inv, first, last, clinic_name, tz in rows:
        is_open = inv.status in OPEN_STATUSES and inv.amount_paid < inv.total
        items.append(
            {
                "invoice_id": inv.id,
                "number": inv.number,
                "status": inv.status.value,
                "patient_name": f"{first} {last}" if first else None,
                "clinic_name": clinic_name,
                "timezone": tz,
                "service": services.get(inv.id),
                "total": money(inv.total),
                "medical_aid_portion": money(inv.medical_aid_portion),
                "patient_portion": money(inv.patient_portion),
                "amount_paid": money(inv.amount_paid),
                "outstanding": money(max(ZERO, inv.total - inv.amount_paid)),
                # What the patient still owes (their portion less their own payments).
                "balance": money(max(ZERO, inv.patient_portion - patient_paid.get(inv.id, ZERO))),
                "issued_at": inv.issued_at.isoformat(),
                "due_date": inv.due_date.isoformat(),
                "overdue": is_open and inv.due_date < today,
                "ageing_bucket": ageing_bucket(inv.due_date, today) if is_open else None,
                "payments": payments.get(inv.id, []),
            }
        )
    return items


def _first_lines(session: Session, invoice_ids: list[int | None]) -> dict[int, str]:
    ids = [i for i in invoice_ids if i is not None]
    if not ids:
        return {}
    out: dict[int, str] = {}
    for invoice_id, description in session.execute(
        sa.select(col(InvoiceLine.invoice_id), col(InvoiceLine.description))
        .where(col(InvoiceLine.invoice_id).in_(ids))
        .order_by(col(InvoiceLine.id))
    ).all():
        out.setdefault(invoice_id, description)
    return out


def _patient_paid(session: Session, invoice_ids: list[int | None]) -> dict[int, Decimal]:
    """Per invoice: the patient's own payments (not the scheme's) less refunds, as
    invoice_figures.payment_totals counts them."""
    ids = [i for i in invoice_ids if i is not None]
    if not ids:
        return {}
    refunded = (
        sa.select(sa.func.coalesce(sa.func.sum(col(Refund.amount)), 0))
        .where(col(Refund.payment_id) == col(Payment.id))
        .scalar_subquery()
    )
    rows = session.execute(
        sa.select(col(Payment.invoice_id), sa.func.sum(col(Payment.amount) - refunded))
        .where(
            col(Payment.invoice_id).in_(ids),
            col(Payment.status).in_([PaymentStatus.COMPLETED, PaymentStatus.REFUNDED]),
            col(Payment.method) != PaymentMethod.INSURANCE,
        )
        .group_by(col(Payment.invoice_id))
    ).all()
    return {invoice_id: as_decimal(amount) for invoice_id, amount in rows}


def _payments_by_invoice(session: Session, invoice_ids: list[int | None]) -> dict[int, list[dict[str, Any]]]:
    ids = [i for i in invoice_ids if i is not None]
    out: dict[int, list[dict[str, Any]]] = {}
    if not ids:
        return out
    for p in session.exec(
        select(Payment)
        .where(
            col(Payment.invoice_id).in_(ids),
            col(Payment.status).in_([PaymentStatus.COMPLETED, PaymentStatus.REFUNDED]),
        )
        .order_by(col(Payment.id))
    ).all():
        assert p.invoice_id is not None
        out.setdefault(p.invoice_id, []).append(
            {
                "payment_id": p.id,
                "amount": money(p.amount),
                "status": p.status.value,
                "receipt_number": p.receipt_number,
            }
        )
    return out


def invoice_detail(*, session: Session, principal: Principal, invoice_id: int) -> dict[str, Any]:
    """The invoice page: the invoice's figures, claim and payments (``invoice_json``) plus
    names, every line, refunds, what each payment can still refund, and whether a claim can
    be submitted now. For the invoice's readers and the desk of its clinic, which takes
    payments there (``require_invoice``, as receipts). Audited."""
    policy.require_invoice(session, principal=principal, invoice_id=invoice_id, action=Action.READ)
    invoice = session.get(Invoice, invoice_id)
    assert invoice is not None
    data = invoice_json(
        session, invoice=invoice, today=billing.clinic_day(session, clinic_id=invoice.clinic_id, at=utcnow())
    )
    audit.record(
        session,
        principal_or_user_id=principal,
        action=audit.AuditAction.VIEW,
        patient_id=invoice.patient_id,
        resource_type="invoice",
        resource_id=invoice_id,
    )
    patient = session.get(Patient, invoice.patient_id) if invoice.patient_id else None
    clinic = session.get(Clinic, invoice.clinic_id) if invoice.clinic_id else None
    lines = session.exec(
        select(InvoiceLine).where(InvoiceLine.invoice_id == invoice_id).order_by(col(InvoiceLine.id))
    ).all()
    refunds = _refunds(session, invoice_id)
    _add_refund_figures(session, data.get("payments", []), invoice_id=invoice_id, refunds=refunds)
    data.update(
        {
            "patient_name": f"{patient.first_name} {patient.last_name}" if patient else None,
            "clinic_name": clinic.name if clinic else None,
            "timezone": clinic.timezone if clinic else None,
            "lines": [_line_json(ln) for ln in lines],
            "refunds": [_refund_json(r, receipt) for r, receipt in refunds],
            "can_submit_claim": _can_submit_claim(invoice, data.get("claim")),
        }
    )
    return data


def _refunds(session: Session, invoice_id: int) -> Sequence[sa.Row[Refund, str | None]]:
    """The invoice's refunds, oldest first, each with its payment's receipt number."""
    return session.execute(
        sa.select(Refund, col(Payment.receipt_number))
        .join(Payment, col(Payment.id) == col(Refund.payment_id))
        .where(col(Payment.invoice_id) == invoice_id)
        .order_by(col(Refund.id))
    ).all()


def _add_refund_figures(
    session: Session,
    payments: list[dict[str, Any]],
    *,
    invoice_id: int,
    refunds: Sequence[sa.Row[Refund, str | None]],
) -> None:
    """Adds to each of ``invoice_json``'s payments its failure reason, what was refunded and
    what is still refundable (only a completed payment's remainder is)."""
    refunded: dict[int, Decimal] = {}
    for row, _receipt in refunds:
        assert row.payment_id is not None
        refunded[row.payment_id] = refunded.get(row.payment_id, ZERO) + row.amount
    reasons = dict(
        session.execute(
            sa.select(col(Payment.id), col(Payment.failure_reason)).where(
                col(Payment.invoice_id) == invoice_id, col(Payment.failure_reason).is_not(None)
            )
        ).all()
    )
    for p in payments:
        p["failure_reason"] = reasons.get(p["payment_id"])
        done = refunded.get(p["payment_id"], ZERO)
        left = as_decimal(p["amount"]) - done if p["status"] == PaymentStatus.COMPLETED.value else ZERO
        p["refunded"] = money(done)
        p["refundable"] = money(max(ZERO, left))


def _can_submit_claim(invoice: Invoice, claim: dict[str, Any] | None) -> bool:
    # Only a denied claim may be submitted again; any other claim still stands.
    return (
        invoice.status is not InvoiceStatus.CANCELLED
        and invoice.medical_aid_portion > 0
        and (claim is None or claim["status"] == ClaimStatus.DENIED.value)
    )


def _line_json(ln: InvoiceLine) -> dict[str, Any]:
    return {
        "description": ln.description,
        "quantity": ln.quantity,
        "unit_price": money(ln.unit_price),
        "amount": money(ln.amount),
        "medical_aid_amount": money(ln.medical_aid_amount),
        "patient_amount": money(ln.patient_amount),
    }


def _refund_json(r: Refund, receipt: str | None) -> dict[str, Any]:
    return {
        "refund_id": r.id,
        "payment_id": r.payment_id,
        "receipt_number": receipt,
        "amount": money(r.amount),
        "reason": r.reason,
        "refunded_at": r.refunded_at.isoformat(),
    }


def receipt_extras(*, session: Session, invoice_id: int) -> dict[str, Any]:
    """The practice's details printed on a receipt (public clinic data; call after the
    receipt itself was allowed by ``payments.receipt``)."""
    invoice = session.get(Invoice, invoice_id)
    clinic = session.get(Clinic, invoice.clinic_id) if invoice and invoice.clinic_id else None
    if clinic is None:
        return {}
    return {
        "clinic_address": ", ".join(x for x in (clinic.address, clinic.city) if x),
        "clinic_phone": clinic.phone,
        "clinic_email": clinic.email,
        "timezone": clinic.timezone,
    }
