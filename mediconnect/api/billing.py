"""Quotes, invoices, payments and claims over JSON. Every route is ``@bearer_required``; the
billing services decide who may do what (core/permissions.py) and audit it.

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
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from mediconnect.api import deps
from mediconnect.api.auth_guard import NO_STORE, bearer_required, caller
from mediconnect.api.bodies import bad, int_field, read_json, str_field
from mediconnect.models.billing import Claim, Refund
from mediconnect.services import billing, claims, payments
from mediconnect.services.invoice_figures import BillingError
from mediconnect.services.pricing import money, quote_as_json

DEFAULT_TZ = ZoneInfo("Africa/Johannesburg")


def _money_in(data: dict[str, Any], name: str) -> str | None:
    """Money arrives as a string ("250.00") or a JSON number. A missing amount is passed on as
    None: the service refuses it (422) after checking the caller, so a caller without access
    learns nothing from validation."""
    value = data.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float) or len(str(value)) > 20:
        raise bad(f'{name} must be an amount such as "250.00"')
    # A float is read through its shortest repr (0.1 -> "0.1"), never its binary expansion.
    return repr(value) if isinstance(value, float) else str(value)


def _path_id(request: Request, name: str) -> int:
    """The id in the path; a malformed one names nothing (0), so the caller hears what it would
    for any object it cannot reach: DASH_002 for its role, else DASH_006, never a hint."""
    raw = str(request.path_params.get(name, ""))
    if not raw.isdigit() or len(raw) > 12:
        return 0
    return int(raw)


def _failure(exc: BillingError) -> JSONResponse:
    body = exc.as_json()
    body["code"] = f"BILL_{exc.code.upper()}"
    return JSONResponse(body, status_code=exc.status, headers=dict(NO_STORE))


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
        return _failure(exc)
    if isinstance(result, tuple):
        result, status = result
    return JSONResponse(result, status_code=status, headers=dict(NO_STORE))


def _today() -> date:
    return datetime.now(UTC).astimezone(DEFAULT_TZ).date()


# --------------------------------------------------------------------------- routes


@bearer_required
async def quote(request: Request) -> Response:
    _, principal = caller(request)
    data = await read_json(request)
    service_id = int_field(data, "service_id", required=False)
    patient_id = int_field(data, "patient_id", required=False)
    raw_day = str_field(data, "date", 10)
    try:
        on = date.fromisoformat(raw_day) if raw_day else _today()
    except ValueError:
        raise bad("date must be YYYY-MM-DD") from None

    def work(session: Session) -> dict[str, Any]:
        q = billing.quote_for(
            session=session, principal=principal, service_id=service_id, patient_id=patient_id, on=on
        )
        return quote_as_json(q)

    return await _respond(work)


@bearer_required
async def payment_summary(request: Request) -> Response:
    _, principal = caller(request)
    appointment_id = _path_id(request, "appointment_id")
    return await _respond(
        lambda s: billing.payment_summary(session=s, principal=principal, appointment_id=appointment_id)
    )


def _flag(value: str | None, name: str) -> bool:
    if value in (None, "", "0", "false", "no"):
        return False
    if value in ("1", "true", "yes"):
        return True
    raise bad(f"{name} must be true or false")


@bearer_required
async def list_invoices(request: Request) -> Response:
    _, principal = caller(request)
    params = request.query_params
    status = params.get("status") or None
    clinic_raw, page_raw = params.get("clinic_id"), params.get("page", "1")
    if clinic_raw is not None and (not clinic_raw.isdigit() or len(clinic_raw) > 12):
        raise bad("clinic_id must be a positive integer")
    if not page_raw.isdigit() or len(page_raw) > 6:
        raise bad("page must be a positive integer")
    if status is not None and len(status) > 20:
        raise bad("status is too long")
    overdue = _flag(params.get("overdue_only"), "overdue_only")
    clinic_id = int(clinic_raw) if clinic_raw else None
    return await _respond(
        lambda s: billing.list_invoices(
            session=s, principal=principal, status=status, clinic_id=clinic_id, overdue_only=overdue,
            page=int(page_raw),
        )
    )  # fmt: skip


@bearer_required
async def get_invoice(request: Request) -> Response:
    _, principal = caller(request)
    invoice_id = _path_id(request, "invoice_id")
    return await _respond(
        lambda s: billing.get_invoice(session=s, principal=principal, invoice_id=invoice_id)
    )


@bearer_required
async def record_payment(request: Request) -> Response:
    _, principal = caller(request)
    invoice_id = _path_id(request, "invoice_id")
    data = await read_json(request)
    amount = _money_in(data, "amount")
    method = str_field(data, "method", 20)
    reference = str_field(data, "reference", 64)
    key = str_field(data, "idempotency_key", 64) or request.headers.get("idempotency-key")
    if key is not None and len(key) > 64:
        raise bad("the idempotency key is at most 64 characters")

    def work(session: Session) -> tuple[dict[str, Any], int]:
        before = payments.payment_id_for_key(session=session, idempotency_key=key)
        pay = payments.record_payment(
            session=session, principal=principal, invoice_id=invoice_id, amount=amount, method=method,
            reference=reference, idempotency_key=key,
        )  # fmt: skip
        body = payments.payment_json(pay)
        if pay.failure_reason and before is None:
            failed = {"code": "BILL_PAYMENT_FAILED", "message": f"The payment failed: {pay.failure_reason}."}
            return {**failed, "detail": body}, 422
        return body, 200 if before is not None else 201

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


@bearer_required
async def refund(request: Request) -> Response:
    _, principal = caller(request)
    payment_id = _path_id(request, "payment_id")
    data = await read_json(request)
    amount = _money_in(data, "amount")
    reason = str_field(data, "reason", 200) or ""

    def work(session: Session) -> tuple[dict[str, Any], int]:
        row = payments.refund(
            session=session, principal=principal, payment_id=payment_id, amount=amount, reason=reason
        )
        return _refund_json(row), 201

    return await _respond(work)


@bearer_required
async def receipt(request: Request) -> Response:
    _, principal = caller(request)
    payment_id = _path_id(request, "payment_id")
    return await _respond(lambda s: payments.receipt(session=s, principal=principal, payment_id=payment_id))


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


@bearer_required
async def submit_claim(request: Request) -> Response:
    _, principal = caller(request)
    invoice_id = _path_id(request, "invoice_id")

    def work(session: Session) -> tuple[dict[str, Any], int]:
        return claim_json(
            claims.submit_claim(session=session, principal=principal, invoice_id=invoice_id)
        ), 201

    return await _respond(work)


@bearer_required
async def decide_claim(request: Request) -> Response:
    _, principal = caller(request)
    claim_id = _path_id(request, "claim_id")
    data = await read_json(request)
    denied = data.get("denied", False)
    if not isinstance(denied, bool):
        raise bad("denied must be true or false")
    approved = _money_in(data, "approved_amount")
    reason = str_field(data, "reason", 200)

    def work(session: Session) -> dict[str, Any]:
        return claim_json(
            claims.decide_claim(
                session=session, principal=principal, claim_id=claim_id, approved_amount=approved,
                denied=denied, reason=reason,
            )
        )  # fmt: skip

    return await _respond(work)


@bearer_required
async def claim_paid(request: Request) -> Response:
    _, principal = caller(request)
    claim_id = _path_id(request, "claim_id")
    data = await read_json(request)
    paid = _money_in(data, "paid_amount")
    reference = str_field(data, "reference", 64)

    def work(session: Session) -> tuple[dict[str, Any], int]:
        pay = claims.mark_claim_paid(
            session=session, principal=principal, claim_id=claim_id, paid_amount=paid, reference=reference
        )
        return payments.payment_json(pay), 201

    return await _respond(work, retry=True)


routes: list[BaseRoute] = [
    Route("/api/appointments/quote", quote, methods=["POST"]),
    Route("/api/appointments/{appointment_id}/payment-summary", payment_summary, methods=["GET"]),
    Route("/api/invoices", list_invoices, methods=["GET"]),
    Route("/api/invoices/{invoice_id}", get_invoice, methods=["GET"]),
    Route("/api/invoices/{invoice_id}/payments", record_payment, methods=["POST"]),
    Route("/api/invoices/{invoice_id}/claim", submit_claim, methods=["POST"]),
    Route("/api/payments/{payment_id}/refund", refund, methods=["POST"]),
    Route("/api/payments/{payment_id}/receipt", receipt, methods=["GET"]),
    Route("/api/claims/{claim_id}/decision", decide_claim, methods=["POST"]),
    Route("/api/claims/{claim_id}/paid", claim_paid, methods=["POST"]),
]
