"""Read side of the claims page: claims on invoices in the caller's scope, by status, with
counts and totals. The same policy predicate as the invoice list (``invoice_scope``); the
claim transitions themselves are in services/claims.py. Audited."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from mediconnect.core import audit, policy
from mediconnect.core.errors import AccessDenied, DashErrorCode
from mediconnect.core.policy import Principal
from mediconnect.models.billing import Claim, ClaimStatus, Invoice
from mediconnect.models.clinics import Clinic
from mediconnect.models.patients import MedicalAidScheme, Patient
from mediconnect.services.billing_views import LIST_ROLES, as_decimal, page_bounds, page_count
from mediconnect.services.invoice_figures import BillingError
from mediconnect.services.pricing import money


def list_claims(
    *, session: Session, principal: Principal, status: str | None = None, page: int = 1, page_size: int = 20
) -> dict[str, Any]:
    """Claims on invoices in the caller's scope, newest first, with totals and counts per
    status (billing staff and admins)."""
    if principal.role not in LIST_ROLES:
        raise AccessDenied(DashErrorCode.DASH_002, f"role {principal.role.value} may not list claims")
    page, size = page_bounds(page, page_size)
    where: list[sa.ColumnElement[bool]] = [policy.invoice_scope(principal=principal)]
    # Counted before the status filter: the page's tabs show every status's count.
    counts = _counts_by_status(session, where)
    if status:
        where.append(_status_clause(status))
    total, sums = _claim_totals(session, where)
    items = [_claim_json(*row) for row in _claim_page(session, where, page=page, size=size)]
    audit.record(
        session,
        principal_or_user_id=principal,
        action=audit.AuditAction.LIST,
        patient_id=None,
        resource_type="claim_list",
        detail=f"page {page}: {len(items)} of {total} claims"[:500],
    )
    return {
        "items": items,
        "page": page,
        "page_size": size,
        "pages": page_count(total, size),
        "total": total,
        "by_status": {s.value: counts.get(s, 0) for s in ClaimStatus},
        "totals": sums,
    }


def _on_invoice() -> sa.ColumnElement[bool]:
    return col(Invoice.id) == col(Claim.invoice_id)


def _counts_by_status(session: Session, where: list[sa.ColumnElement[bool]]) -> dict[ClaimStatus, int]:
    return {
        s: int(n)
        for s, n in session.execute(
            sa.select(col(Claim.status), sa.func.count())
            .select_from(Claim)
            .join(Invoice, _on_invoice())
            .where(*where)
            .group_by(col(Claim.status))
        ).all()
    }


def _status_clause(status: str) -> sa.ColumnElement[bool]:
    try:
        return col(Claim.status) == ClaimStatus(status)
    except ValueError:
        choices = ", ".join(s.value for s in ClaimStatus)
        raise BillingError("invalid_status", f"Status is one of {choices}.", field="status") from None


def _claim_totals(session: Session, where: list[sa.ColumnElement[bool]]) -> tuple[int, dict[str, str | None]]:
    """The count and the amounts over the whole filter, not just the page."""
    total = (
        session.scalar(
            sa.select(sa.func.count()).select_from(Claim).join(Invoice, _on_invoice()).where(*where)
        )
        or 0
    )
    sums = session.execute(
        sa.select(
            sa.func.coalesce(sa.func.sum(col(Claim.claimed_amount)), 0),
            sa.func.coalesce(sa.func.sum(col(Claim.approved_amount)), 0),
            sa.func.coalesce(sa.func.sum(col(Claim.paid_amount)), 0),
        )
        .select_from(Claim)
        .join(Invoice, _on_invoice())
        .where(*where)
    ).one()
    return total, {
        "claimed": money(as_decimal(sums[0])),
        "approved": money(as_decimal(sums[1])),
        "paid": money(as_decimal(sums[2])),
    }


def _claim_page(
    session: Session, where: list[sa.ColumnElement[bool]], *, page: int, size: int
) -> Sequence[sa.Row[Claim, str, str | None, str | None, str | None, str | None]]:
    """One page of claims with their invoice number, patient's names, scheme and clinic timezone."""
    return session.execute(
        sa.select(
            Claim,
            col(Invoice.number),
            col(Patient.first_name),
            col(Patient.last_name),
            col(MedicalAidScheme.name),
            col(Clinic.timezone),
        )
        .join(Invoice, _on_invoice())
        .outerjoin(Patient, col(Patient.id) == col(Invoice.patient_id))
        .outerjoin(MedicalAidScheme, col(MedicalAidScheme.id) == col(Claim.scheme_id))
        .outerjoin(Clinic, col(Clinic.id) == col(Invoice.clinic_id))
        .where(*where)
        .order_by(col(Claim.submitted_at).desc(), col(Claim.id).desc())
        .offset((page - 1) * size)
        .limit(size)
    ).all()


def _claim_json(
    c: Claim, number: str, first: str | None, last: str | None, scheme: str | None, tz: str | None
) -> dict[str, Any]:
    return {
        "claim_id": c.id,
        "number": c.claim_number,
        "invoice_id": c.invoice_id,
        "invoice_number": number,
        "patient_name": f"{first} {last}" if first else None,
        "scheme_name": scheme,
        "timezone": tz,
        "status": c.status.value,
        "claimed_amount": money(c.claimed_amount),
        "approved_amount": money(c.approved_amount),
        "paid_amount": money(c.paid_amount),
        "submitted_at": c.submitted_at.isoformat(),
        "decided_at": c.decided_at.isoformat() if c.decided_at else None,
        "paid_at": c.paid_at.isoformat() if c.paid_at else None,
        "denial_reason": c.denial_reason,
    }
