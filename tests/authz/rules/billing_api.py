"""Authorization rules for the billing API (mediconnect/api/billing.py).

Who may call what, as the billing services enforce it through core/policy/:

* quote: a patient for themself; clinic staff, billing staff and admins for a patient they may
  read (``require_patient``); doctors, referring doctors and analysts: DASH_002;
* payment summary: the appointment's readers with a billing interest (``require_payment_summary``:
  the patient, clinic staff of its clinic, billing staff of its clinic or doctor, admins);
* the invoice list: billing staff (their ``invoice_scope``) and admins;
* one invoice: ``require_invoice(READ)``: admin, billing staff, the patient, the doctor it names;
* taking a payment: billing staff and admins (invoice write) and the front desk: clinic staff on
  invoices of their own clinics (``require_desk_payment``); patients: DASH_002;
* refunds and claims: billing staff and admins only (invoice write);
* receipts: the invoice's readers and the desk of its clinic (``require_invoice_read``).

A path id that names nothing (malformed or missing) answers like any object out of reach:
DASH_002 for a role that may never act, else DASH_006. Payments and claims have no object kind
in the matrix's world, so their rules build the URL with one the caller may reach (``path``).
Allowed calls with the payloads below may still be refused by business rules (an invoice
already paid: 422 BILL_OVERPAYMENT; a claim already submitted: 409 BILL_CLAIM_EXISTS), past
the access check.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select

from tests.authz.matrix import Ctx, Rule
from tests.authz.matrix import Role as R

ADMIN = frozenset({R.ADMIN})
QUOTERS = frozenset({R.ADMIN, R.PATIENT, R.CLINIC_STAFF, R.BILLING_STAFF})
SUMMARY_READERS = QUOTERS
BILLERS = frozenset({R.ADMIN, R.BILLING_STAFF})
# The front desk reads its own clinic's invoices (policy.INVOICE_ACTIONS).
INVOICE_READERS = frozenset({R.ADMIN, R.BILLING_STAFF, R.DOCTOR, R.PATIENT, R.CLINIC_STAFF})
DESK_PAYERS = frozenset({R.ADMIN, R.BILLING_STAFF, R.CLINIC_STAFF})
RECEIPT_READERS = INVOICE_READERS


def _quote_body(ctx: Ctx) -> list[dict[str, Any]]:
    """An active service and, for staff, a patient the caller may read (a patient: themself)."""
    from mediconnect.core import policy as perm
    from mediconnect.models.catalog import Service
    from mediconnect.models.patients import Patient

    user_id = ctx.subject.user_id
    # Resolved before opening a session: SQLite allows one writer, and the world's sessions write.
    principal = ctx.world.principal(user_id) if user_id is not None else None
    with ctx.world.db() as db:
        service_id = db.exec(
            select(Service.id).where(col(Service.is_active).is_(True)).order_by(col(Service.id))
        ).first()
        body: dict[str, Any] = {"service_id": service_id}
        if principal is not None and ctx.subject.role is not R.PATIENT:
            body["patient_id"] = db.exec(
                select(Patient.id).where(perm.patient_scope(principal=principal)).order_by(col(Patient.id))
            ).first()
    return [body]


def _reachable(ctx: Ctx, model: Any, *, action: str, desk: bool = False) -> int | str:
    """The first payment or claim on an invoice the caller may act on (the world has no object
    kind for them), so an allowed call reaches a real one; callers with none get an id that
    names nothing."""
    from mediconnect.core import policy as perm
    from mediconnect.models.billing import Invoice
    from mediconnect.models.users import Role

    user_id = ctx.subject.user_id
    if user_id is None:
        return "authz-no-such-endpoint"
    principal = ctx.world.principal(user_id)
    if desk and principal.role is Role.CLINIC_STAFF:
        scope = col(Invoice.clinic_id).in_(sorted(principal.clinic_ids) or [-1])
    else:
        scope = perm.invoice_scope(principal=principal, action=action)
    with ctx.world.db() as db:
        found = db.exec(
            select(model.id)
            .join(Invoice, col(Invoice.id) == col(model.invoice_id))
            .where(scope)
            .order_by(col(model.id))
        ).first()
    return found if found is not None else "authz-no-such-endpoint"


def _payment_url(tail: str, *, action: str, desk: bool = False) -> Any:
    def build(ctx: Ctx) -> str:
        from mediconnect.models.billing import Payment

        return f"/api/payments/{_reachable(ctx, Payment, action=action, desk=desk)}/{tail}"

    return build


def _claim_url(tail: str) -> Any:
    def build(ctx: Ctx) -> str:
        from mediconnect.models.billing import Claim

        return f"/api/claims/{_reachable(ctx, Claim, action='write')}/{tail}"

    return build


def _desk_invoice_url(ctx: Ctx) -> str:
    """The payments URL on an invoice the caller may take payments for ("own") or not ("other").

    The world's invoice kind follows ``invoice_scope``, which gives clinic staff no invoices;
    the front desk may take payments on its clinics' invoices (``require_desk_payment``)."""
    from mediconnect.core import policy as perm
    from mediconnect.models.billing import Invoice
    from mediconnect.models.users import Role

    user_id = ctx.subject.user_id
    principal = ctx.world.principal(user_id) if user_id is not None else None
    if principal is None:
        return f"/api/invoices/{ctx.object_id or 'authz-no-such-endpoint'}/payments"
    if principal.role is Role.CLINIC_STAFF:
        scope = col(Invoice.clinic_id).in_(sorted(principal.clinic_ids) or [-1])
    else:
        write = principal.role in (Role.ADMIN, Role.BILLING_STAFF)
        scope = perm.invoice_scope(principal=principal, action="write" if write else "read")
    with ctx.world.db() as db:
        own = db.exec(select(Invoice.id).where(scope).order_by(col(Invoice.id))).first()
        if ctx.which == "own":
            found = own
        elif principal.is_admin:
            found = db.exec(
                select(Invoice.id).where(col(Invoice.id) != own).order_by(col(Invoice.id))
            ).first()
        else:
            found = db.exec(select(Invoice.id).where(sa.not_(scope)).order_by(col(Invoice.id))).first()
    return f"/api/invoices/{found if found is not None else 'authz-no-such-endpoint'}/payments"


def _payment(_: Ctx) -> list[dict[str, Any]]:
    return [{"amount": "0.01", "method": "cash"}]


def _refund(_: Ctx) -> list[dict[str, Any]]:
    return [{"amount": "0.01", "reason": "authorization matrix"}]


API: dict[str, Rule] = {
    "POST /api/appointments/quote": Rule(
        QUOTERS, "price and cover for a patient the caller may read (a patient: themself)",
        payloads=_quote_body,
    ),
    "GET /api/appointments/{appointment_id}/payment-summary": Rule(
        SUMMARY_READERS, "the invoice numbers of an appointment the caller may read, billing roles only",
        obj="appointment", param="appointment_id", others=ADMIN,
    ),
    "GET /api/invoices": Rule(BILLERS, "the billing list: the caller's invoice_scope, with ageing"),
    "GET /api/invoices/{invoice_id}": Rule(
        INVOICE_READERS, "one invoice in the caller's invoice_scope, its claim and payments",
        obj="invoice", param="invoice_id", others=ADMIN,
    ),
    "POST /api/invoices/{invoice_id}/payments": Rule(
        DESK_PAYERS, "take a payment: billing staff on their invoices, the desk on its clinic's",
        obj="invoice", param="invoice_id", others=ADMIN, payloads=_payment, path=_desk_invoice_url,
    ),
    "POST /api/invoices/{invoice_id}/claim": Rule(
        BILLERS, "claim the medical aid portion of an invoice in the caller's scope",
        obj="invoice", param="invoice_id", others=ADMIN,
    ),
    "POST /api/payments/{payment_id}/refund": Rule(
        BILLERS, "refund a payment of an invoice the caller may write", param="payment_id", payloads=_refund,
        path=_payment_url("refund", action="write"),
    ),
    "GET /api/payments/{payment_id}/receipt": Rule(
        RECEIPT_READERS, "the receipt of a payment on an invoice the caller may read (or its desk)",
        param="payment_id", path=_payment_url("receipt", action="read", desk=True),
    ),
    "POST /api/claims/{claim_id}/decision": Rule(
        BILLERS, "record the scheme's decision on a claim of an invoice the caller may write",
        param="claim_id", path=_claim_url("decision"),
    ),
    "POST /api/claims/{claim_id}/paid": Rule(
        BILLERS, "record the scheme's remittance for an approved claim", param="claim_id",
        path=_claim_url("paid"),
    ),
}  # fmt: skip
