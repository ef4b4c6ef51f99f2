"""The billing list: invoices in the caller's scope with their ageing (billing staff, admin)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from mediconnect.core import audit, policy
from mediconnect.core.errors import AccessDenied, DashErrorCode
from mediconnect.core.policy import Action, Principal
from mediconnect.models.billing import Invoice, InvoiceStatus
from mediconnect.models.users import Role
from mediconnect.services.invoice_figures import AGEING_BUCKETS, BillingError, ageing_bucket
from mediconnect.services.pricing import ZERO, money

PAGE_SIZE = 50
OPEN_STATUSES = (InvoiceStatus.SENT, InvoiceStatus.PARTIALLY_PAID, InvoiceStatus.OVERDUE)


def _bucket_case(today: date) -> sa.ColumnElement[str]:
    """SQL twin of invoice_figures.ageing_bucket: days past the due date, as date bounds."""
    return sa.case(
        (col(Invoice.due_date) >= today - timedelta(days=30), AGEING_BUCKETS[0]),
        (col(Invoice.due_date) >= today - timedelta(days=60), AGEING_BUCKETS[1]),
        (col(Invoice.due_date) >= today - timedelta(days=90), AGEING_BUCKETS[2]),
        else_=AGEING_BUCKETS[3],
    )


def list_invoices(
    *,
    session: Session,
    principal: Principal,
    status: str | None = None,
    clinic_id: int | None = None,
    overdue_only: bool = False,
    page: int = 1,
    today: date | None = None,
) -> dict[str, Any]:
    """The billing list: invoices in the caller's scope, newest first, 50 a page, with each
    outstanding invoice's ageing bucket and the outstanding total per bucket. Audited."""
    if principal.role not in (Role.ADMIN, Role.BILLING_STAFF):
        raise AccessDenied(DashErrorCode.DASH_002, f"role {principal.role.value} may not list invoices")
    if page < 1 or page > 100_000:
        raise BillingError("invalid_page", "Pages start at 1.", field="page")
    today = today or datetime.now(UTC).date()
    where = [policy.invoice_scope(principal=principal, action=Action.READ)]
    if status is not None:
        try:
            where.append(col(Invoice.status) == InvoiceStatus(status))
        except ValueError:
            choices = ", ".join(s.value for s in InvoiceStatus)
            raise BillingError("invalid_status", f"Status is one of {choices}.", field="status") from None
    if clinic_id is not None:
        where.append(col(Invoice.clinic_id) == clinic_id)
    outstanding = sa.and_(
        col(Invoice.status).in_(OPEN_STATUSES), col(Invoice.amount_paid) < col(Invoice.total)
    )
    if overdue_only:
        where.extend([outstanding, col(Invoice.due_date) < today])
    total = session.scalar(sa.select(sa.func.count()).select_from(Invoice).where(*where)) or 0
    rows = session.exec(
        select(Invoice)
        .where(*where)
        .order_by(col(Invoice.issued_at).desc(), col(Invoice.id).desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    bucket = _bucket_case(today)
    sums = session.execute(
        sa.select(bucket, sa.func.count(), sa.func.sum(col(Invoice.total) - col(Invoice.amount_paid)))
        .where(*where, outstanding)
        .group_by(bucket)
    ).all()
    by_bucket = {name: {"count": 0, "outstanding": "0.00"} for name in AGEING_BUCKETS}
    for name, count, amount in sums:
        by_bucket[name] = {"count": int(count), "outstanding": money(Decimal(str(amount or 0)))}
    items = [
        {
            "invoice_id": inv.id,
            "number": inv.number,
            "status": inv.status.value,
            "patient_id": inv.patient_id,
            "clinic_id": inv.clinic_id,
            "appointment_id": inv.appointment_id,
            "total": money(inv.total),
            "medical_aid_portion": money(inv.medical_aid_portion),
            "patient_portion": money(inv.patient_portion),
            "amount_paid": money(inv.amount_paid),
            "outstanding": money(max(ZERO, inv.total - inv.amount_paid)),
            "issued_at": inv.issued_at.isoformat(),
            "due_date": inv.due_date.isoformat(),
            "overdue": inv.status in OPEN_STATUSES and inv.amount_paid < inv.total and inv.due_date < today,
            "ageing_bucket": ageing_bucket(inv.due_date, today)
            if inv.status in OPEN_STATUSES and inv.amount_paid < inv.total
            else None,
        }
        for inv in rows
    ]
    audit.record(
        session,
        principal_or_user_id=principal,
        action=audit.AuditAction.LIST,
        patient_id=None,
        resource_type="invoice_list",
        detail=f"page {page}: {len(items)} of {total} invoices"[:500],
    )
    return {"items": items, "page": page, "page_size": PAGE_SIZE, "total": total, "ageing": by_bucket}
