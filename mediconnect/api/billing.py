"""Quotes, invoices, payments and claims over JSON. Every route is bearer (``deps.CurrentUser``); the
billing services decide who may do what (core/policy/) and audit it.

``POST /api/appointments/quote``  ``{"service_id", "patient_id"?, "date"? (YYYY-MM-DD)}`` -> 200
    the quote: money as strings ("1250.00"), ``coverage_rate`` a fraction, ``lines`` sentences.
``GET  /api/appointments/{appointment_id}/payment-summary`` -> the invoice's numbers for it.
``GET  /api/invoices?status=&clinic_id=&overdue_only=&page=`` -> ``{"items", "page",
    "page_size", "total", "ageing"}`` (billing staff and admin).
``GET  /api/invoices/{invoice_id}`` -> the invoice, its claim and payments.
``POST /api/invoices/{invoice_id}/payments`` ``{"amount", "method", "reference"?,
    "idempotency_key"?}`` (or an ``Idempotency-Key`` header) -> 201 the payment (200 when the key
    replays an earlier one).
``POST /api/payments/{payment_id}/refund`` ``{"amount", "reason"}`` -> 201 the refund.
``GET  /api/payments/{payment_id}/receipt`` -> the receipt.
``POST /api/invoices/{invoice_id}/claim`` -> 201 the claim.
``POST /api/claims/{claim_id}/decision`` ``{"approved_amount"} | {"denied": true, "reason"}``.
``POST /api/claims/{claim_id}/paid`` ``{"paid_amount", "reference"?}`` -> 201 the payment.

Errors: access refusals are the policy's DashboardError (403 DASH_002 / DASH_006; an id in the
path that names nothing, malformed or missing, is DASH_006 like any object out of reach); a
body or query parameter that cannot be read is 400 DASH_004; a refused money operation is ``{"code":
"BILL_<REASON>", "message": <a sentence>, "detail": {"field": <field or null>}}`` with 422 (bad
input), 409 (conflicts with what is recorded) or 404 (nothing to act on, e.g. no invoice yet).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import Header, Query
from pydantic import Field
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response

from mediconnect.api import deps
from mediconnect.api.billing_models import (
    ClaimOut,
    DecisionIn,
    InvoiceOut,
    InvoicePage,
    PaidIn,
    PaymentIn,
    PaymentOut,
    PaymentSummary,
    QuoteIn,
    QuoteOut,
    ReceiptOut,
    RefundIn,
    RefundOut,
    Short,
)
from mediconnect.api.deps import CurrentUser
from mediconnect.api.errors import NO_STORE, ApiError, ErrorBody, dash_004
from mediconnect.api.fields import LenientId, RefId, Text
from mediconnect.api.routing import api_router
from mediconnect.models.billing import Claim, Refund
from mediconnect.services import billing, claims, payments
from mediconnect.services.invoice_figures import BillingError
from mediconnect.services.pricing import money, quote_as_json
from mediconnect.services.zones import default_zone

router = api_router(tags=["billing"])
REFUSALS: dict[int | str, dict[str, Any]] = {
    403: {"model": ErrorBody, "description": "DASH_002 / DASH_006: not allowed, or no such object"},
    404: {"model": ErrorBody, "description": "BILL_<REASON>: nothing to act on"},
    409: {"model": ErrorBody, "description": "BILL_<REASON>: conflicts with what is recorded"},
    422: {"model": ErrorBody, "description": "BILL_<REASON> (detail.field), or BILL_PAYMENT_FAILED"},
}
# --------------------------------------------------------------------------- running a service


def _failure(exc: BillingError) -> ApiError:
    body = exc.as_json()
    body["code"] = f"BILL_{exc.code.upper()}"
    return ApiError(body, exc.status)


def _in_session(work: Callable[[Session], Any]) -> Any:
    with deps.db_session() as session:
        return work(session)


async def _respond(work: Callable[[Session], Any], status: int = 200, *, retry: bool = False) -> Response:
    """Run ``work`` in a committed session off the event loop and answer with its JSON.

    ``retry``: a unique-column race (two requests with one idempotency key) loses its whole
    transaction; running once more finds the winner and answers as a replay.
    """
    try:
        try:
            result = await run_in_threadpool(_in_session, work)
        except IntegrityError:
            if not retry:
                raise
            result = await run_in_threadpool(_in_session, work)
    except BillingError as exc:
        raise _failure(exc) from None
    if isinstance(result, tuple):
        result, status = result
    return JSONResponse(result, status_code=status, headers=dict(NO_STORE))


def _today() -> date:
    """Today in the practice's zone (Settings): a quote names no clinic yet."""
    return datetime.now(UTC).astimezone(default_zone()).date()


# --------------------------------------------------------------------------- routes


@router.post("/api/appointments/quote", response_model=QuoteOut, responses=REFUSALS, summary="A quote")
async def quote(caller: CurrentUser, body: QuoteIn | None = None) -> Response:
    """A patient for themself; staff name the patient. Money as strings, ``coverage_rate`` a
    fraction, ``lines`` sentences."""
    body = body or QuoteIn()
    on = body.date or _today()
    service_id, patient_id = body.service_id, body.patient_id

    def work(session: Session) -> dict[str, Any]:
        q = billing.quote_for(
            session=session, principal=caller.principal, service_id=service_id, patient_id=patient_id, on=on
        )
        return quote_as_json(q)

    return await _respond(work)


@router.get(
    "/api/appointments/{appointment_id}/payment-summary", response_model=PaymentSummary, responses=REFUSALS,
    summary="The invoice's numbers for an appointment",
)  # fmt: skip
async def payment_summary(appointment_id: LenientId, caller: CurrentUser) -> Response:
    return await _respond(
        lambda s: billing.payment_summary(
            session=s, principal=caller.principal, appointment_id=appointment_id
        )
    )


def _flag(value: str | None, name: str) -> bool:
    if value in (None, "", "0", "false", "no"):
        return False
    if value in ("1", "true", "yes"):
        return True
    raise dash_004(f"{name} must be true or false")


@router.get(
    "/api/invoices", response_model=InvoicePage, responses=REFUSALS,
    summary="Invoices with their ageing (billing staff and admin)",
)  # fmt: skip
async def list_invoices(
    caller: CurrentUser,
    status: Annotated[Annotated[Text, Field(max_length=20)] | None, Query()] = None,
    clinic_id: Annotated[RefId | None, Query()] = None,
    overdue_only: Annotated[str | None, Query(description="true|false, 1|0, yes|no")] = None,
    page: Annotated[Annotated[Text, Field(max_length=6)] | None, Query(description="from 1")] = None,
) -> Response:
    page_raw = page if page is not None else "1"
    if not page_raw.isdigit():
        raise dash_004("page must be a positive integer")
    overdue = _flag(overdue_only, "overdue_only")
    return await _respond(
        lambda s: billing.list_invoices(
            session=s, principal=caller.principal, status=status or None, clinic_id=clinic_id,
            overdue_only=overdue, page=int(page_raw),
        )
    )  # fmt: skip


@router.get(
    "/api/invoices/{invoice_id}", response_model=InvoiceOut, responses=REFUSALS,
    summary="An invoice, its claim and payments",
)  # fmt: skip
async def get_invoice(invoice_id: LenientId, caller: CurrentUser) -> Response:
    return await _respond(
        lambda s: billing.get_invoice(session=s, principal=caller.principal, invoice_id=invoice_id)
    )


@router.post(
    "/api/invoices/{invoice_id}/payments", status_code=201, response_model=PaymentOut,
    responses={200: {"model": PaymentOut, "description": "the earlier payment, replayed"}, **REFUSALS},
    summary="Record a payment (200 when the idempotency key replays an earlier one)",
)  # fmt: skip
async def record_payment(
    invoice_id: LenientId,
    caller: CurrentUser,
    body: PaymentIn | None = None,
    idempotency_key: Annotated[Short | None, Header(alias="Idempotency-Key")] = None,
) -> Response:
    body = body or PaymentIn()
    key = body.idempotency_key or idempotency_key
    principal = caller.principal

    def work(session: Session) -> tuple[dict[str, Any], int]:
        before = payments.payment_id_for_key(session=session, idempotency_key=key)
        pay = payments.record_payment(
            session=session, principal=principal, invoice_id=invoice_id, amount=body.amount,
            method=body.method, reference=body.reference, idempotency_key=key,
        )  # fmt: skip
        out = payments.payment_json(pay)
        if pay.failure_reason and before is None:
            failed = {"code": "BILL_PAYMENT_FAILED", "message": f"The payment failed: {pay.failure_reason}."}
            return {**failed, "detail": out}, 422
        return out, 200 if before is not None else 201

    return await _respond(work, retry=True)


def _refund_json(r: Refund) -> dict[str, Any]:
    return {
        "refund_id": r.id,
        "payment_id": r.payment_id,
        "amount": money(r.amount),
        "reason": r.reason,
        "reference": r.reference,
        "refunded_at": r.refunded_at.isoformat(),
    }


@router.post(
    "/api/payments/{payment_id}/refund", status_code=201, response_model=RefundOut, responses=REFUSALS,
    summary="Refund a payment",
)  # fmt: skip
async def refund(payment_id: LenientId, caller: CurrentUser, body: RefundIn | None = None) -> Response:
    body = body or RefundIn()

    def work(session: Session) -> tuple[dict[str, Any], int]:
        row = payments.refund(
            session=session, principal=caller.principal, payment_id=payment_id, amount=body.amount,
            reason=body.reason or "",
        )  # fmt: skip
        return _refund_json(row), 201

    return await _respond(work)


@router.get(
    "/api/payments/{payment_id}/receipt",
    response_model=ReceiptOut,
    responses=REFUSALS,
    summary="A receipt",
)
async def receipt(payment_id: LenientId, caller: CurrentUser) -> Response:
    return await _respond(
        lambda s: payments.receipt(session=s, principal=caller.principal, payment_id=payment_id)
    )


def claim_json(c: Claim) -> dict[str, Any]:
    return {
        "claim_id": c.id,
        "number": c.claim_number,
        "invoice_id": c.invoice_id,
        "status": c.status.value,
        "claimed_amount": money(c.claimed_amount),
        "approved_amount": money(c.approved_amount),
        "paid_amount": money(c.paid_amount),
        "submitted_at": c.submitted_at.isoformat(),
        "decided_at": c.decided_at.isoformat() if c.decided_at else None,
        "paid_at": c.paid_at.isoformat() if c.paid_at else None,
        "denial_reason": c.denial_reason,
    }


@router.post(
    "/api/invoices/{invoice_id}/claim", status_code=201, response_model=ClaimOut, responses=REFUSALS,
    summary="Submit the invoice's claim to the medical aid",
)  # fmt: skip
async def submit_claim(invoice_id: LenientId, caller: CurrentUser) -> Response:
    def work(session: Session) -> tuple[dict[str, Any], int]:
        return claim_json(
            claims.submit_claim(session=session, principal=caller.principal, invoice_id=invoice_id)
        ), 201

    return await _respond(work)


@router.post(
    "/api/claims/{claim_id}/decision", response_model=ClaimOut, responses=REFUSALS,
    summary="Record the scheme's decision: {approved_amount} or {denied: true, reason}",
)  # fmt: skip
async def decide_claim(claim_id: LenientId, caller: CurrentUser, body: DecisionIn | None = None) -> Response:
    body = body or DecisionIn()

    def work(session: Session) -> dict[str, Any]:
        return claim_json(
            claims.decide_claim(
                session=session, principal=caller.principal, claim_id=claim_id,
                approved_amount=body.approved_amount, denied=body.denied, reason=body.reason,
            )
        )  # fmt: skip

    return await _respond(work)


@router.post(
    "/api/claims/{claim_id}/paid", status_code=201, response_model=PaymentOut, responses=REFUSALS,
    summary="Record the scheme's payment of a claim",
)  # fmt: skip
async def claim_paid(claim_id: LenientId, caller: CurrentUser, body: PaidIn | None = None) -> Response:
    body = body or PaidIn()

    def work(session: Session) -> tuple[dict[str, Any], int]:
        pay = claims.mark_claim_paid(
            session=session, principal=caller.principal, claim_id=claim_id, paid_amount=body.paid_amount,
            reference=body.reference,
        )  # fmt: skip
        return payments.payment_json(pay), 201

    return await _respond(work, retry=True)
