"""/billing/invoices/[invoice_id]/ state: one invoice, its payments, refunds and claim, and
the actions billing staff take on it.

The invoice is named by the URL only: every handler reads the id from the path it was sent
from and the service checks the caller against that invoice (``require_invoice``), so a
forged id gets the same refusal as a missing one. Payment and claim ids an action needs are
kept in backend vars, set from the rows this tab loaded, and checked again by the service.
"""

from __future__ import annotations

import uuid
from typing import Any

import reflex as rx

from mediconnect.features import live
from mediconnect.features.billing import queries
from mediconnect.features.billing.common import (
    BILLING_ROLES,
    DESK_METHODS,
    DESK_ROLES,
    METHOD_LABELS,
    REFERENCE_REQUIRED,
    parse_amount,
    text_of,
)
from mediconnect.features.billing.views import (
    ClaimRow,
    LineRow,
    PaymentRow,
    RefundRow,
    claim_row,
    day,
    line_row,
    payment_row,
    refund_row,
)
from mediconnect.features.kit.calls import page_call, path_id
from mediconnect.features.kit.format import label_of, money, money_input
from mediconnect.features.shell.state import private_state


def _payment_done(payment: dict[str, Any]) -> tuple[str, str]:
    amount = money(payment.get("amount"))
    if payment.get("status") == "completed":
        return f"Payment of {amount} recorded. Receipt {payment.get('receipt_number')}.", "success"
    if payment.get("status") == "failed":
        return (
            f"The payment of {amount} was declined: {payment.get('failure_reason') or 'no reason given'}.",
            "error",
        )
    return (
        f"Payment of {amount} is {payment.get('status')}; the receipt follows when it completes.",
        "success",
    )


@private_state
class BillingInvoiceState(rx.State):
    loaded: bool = False
    missing: str = ""
    # Header.
    number: str = ""
    status: str = ""
    status_label: str = ""
    patient: str = ""
    clinic: str = ""
    service: str = ""
    issued: str = ""
    due: str = ""
    overdue: bool = False
    total: str = ""
    medical_aid_portion: str = ""
    patient_portion: str = ""
    patient_paid: str = ""
    insurance_paid: str = ""
    balance: str = ""
    balance_value: str = ""
    lines: list[LineRow] = []
    payments: list[PaymentRow] = []
    refunds: list[RefundRow] = []
    claim: list[ClaimRow] = []  # zero or one: the invoice's latest claim
    can_claim: bool = False
    has_aid_portion: bool = False
    can_pay: bool = False
    # Billing staff and admins refund and handle claims; the desk (clinic staff) only takes
    # payments. This only shapes the page: the services refuse the rest whatever is sent.
    can_manage: bool = False
    notice: str = ""
    notice_kind: str = "success"

    # Record payment dialog.
    pay_open: bool = False
    pay_method: str = "card"
    pay_errors: dict[str, str] = {}
    busy: str = ""
    # One key per opened payment form: a submit that reaches the server twice (a double
    # click, a reconnect resending it) records one payment, not two.
    _pay_key: str = ""

    # Refund dialog.
    refund_open: bool = False
    refund_label: str = ""
    refund_default: str = ""
    refund_errors: dict[str, str] = {}
    _refund_payment_id: int = 0

    # Claim decision dialog.
    decide_open: bool = False
    decide_outcome: str = "approved"
    decide_errors: dict[str, str] = {}
    _claim_id: int = 0

    # Claim paid dialog (the scheme's remittance).
    paid_open: bool = False
    paid_errors: dict[str, str] = {}

    # ------------------------------------------------------------------ loading

    def _say(self, message: str, kind: str = "success") -> None:
        self.notice, self.notice_kind = message, kind

    def _path_id(self) -> int | None:
        return path_id(self, "invoices") or None

    def _apply(self, data: dict[str, Any]) -> None:
        tz = data.get("timezone")
        self.number = str(data.get("number") or "")
        self.status = str(data.get("status") or "")
        self.status_label = label_of(self.status)
        self.patient = str(data.get("patient_name") or "")
        self.clinic = str(data.get("clinic_name") or "")
        self.service = str(data.get("service") or "")
        self.issued = day(data.get("issued_at"), tz)
        self.due = day(data.get("due_date"), tz)
        self.overdue = bool(data.get("overdue"))
        self.total = money(data.get("price") or data.get("total"))
        self.medical_aid_portion = money(data.get("medical_aid_portion"))
        self.patient_portion = money(data.get("patient_portion"))
        self.patient_paid = money(data.get("patient_paid"))
        self.insurance_paid = money(data.get("insurance_paid"))
        self.balance = money(data.get("balance"))
        self.balance_value = money_input(data.get("balance"))
        self.lines = [line_row(x) for x in data.get("lines") or []]
        self.payments = [payment_row(x, tz, manage=self.can_manage) for x in data.get("payments") or []]
        self.refunds = [refund_row(x, tz) for x in data.get("refunds") or []]
        claim = data.get("claim")
        self.claim = [claim_row({**claim, "invoice_id": data.get("invoice_id")}, tz)] if claim else []
        self._claim_id = int(claim.get("claim_id") or 0) if claim else 0
        self.can_claim = bool(data.get("can_submit_claim")) and self.can_manage
        self.has_aid_portion = money_input(data.get("medical_aid_portion")) not in ("", "0.00")
        self.can_pay = self.status not in ("paid", "cancelled") and self.balance_value not in ("", "0.00")
        self.loaded, self.missing = True, ""

    async def _fetch(self):  # type: ignore[no-untyped-def]
        invoice_id = self._path_id()
        if invoice_id is None:
            self.reset()
            self.missing, self.loaded = "There is no such invoice.", True
            return
        outcome = await page_call(
            self,
            lambda db, p: (queries.invoice_detail(db, p, invoice_id), p.role in BILLING_ROLES),
            roles=DESK_ROLES,
            on_denied="leave",
        )
        if outcome.redirect is not None:
            self.reset()
            return outcome.redirect
        if outcome.error:
            self.reset()
            self.missing, self.loaded = outcome.error, True
            return
        assert outcome.value is not None
        data, self.can_manage = outcome.value
        self._apply(data)
        await live.watch(self, f"invoice:{invoice_id}")
        return

    async def _on_live(self, event: Any) -> None:
        """A payment, refund or claim decision on this invoice (here or at another desk):
        reload, as the caller (re-checked inside ``page_call``)."""
        if self.loaded and not self.missing:
            await self._fetch()

    @rx.event
    async def load(self):
        self.reset()
        return await self._fetch()

    async def _act(self, work, done, roles=BILLING_ROLES) -> tuple[Any, dict[str, str]]:  # type: ignore[no-untyped-def]
        """Run a write as one of ``roles``; on success say ``done(value)`` and reload. Returns
        (redirect, errors): a refusal's message under the field the service named, else
        under "form"."""
        outcome = await page_call(self, work, roles=roles, on_denied="leave")
        if outcome.redirect is not None:
            self.reset()
            return outcome.redirect, {}
        if outcome.error:
            return None, {outcome.field or "form": outcome.error}
        message, kind = done(outcome.value) if callable(done) else (done, "success")
        redirect = await self._fetch()
        self._say(message, kind)
        return redirect, {}

    # ------------------------------------------------------------------ record a payment

    @rx.event
    def open_payment(self):
        self.pay_open, self.pay_errors, self.pay_method, self.notice = True, {}, "card", ""
        self._pay_key = f"ui-{uuid.uuid4().hex}"

    @rx.event
    def set_pay_open(self, value: bool):
        self.pay_open = bool(value) and self.pay_open
        self.pay_errors = {}

    @rx.event
    def set_pay_method(self, value: str):
        self.pay_method = value if value in DESK_METHODS else "card"
        self.pay_errors = {}

    @rx.event
    async def record_payment(self, form: dict[str, Any]):
        invoice_id = self._path_id()
        amount, problem = parse_amount(form.get("amount"))
        method, reference = self.pay_method, text_of(form, "reference", 64)
        key = self._pay_key or f"ui-{uuid.uuid4().hex}"
        errors: dict[str, str] = {}
        if problem:
            errors["amount"] = problem
        if method not in DESK_METHODS:
            errors["method"] = "Choose how the patient paid."
        if method in REFERENCE_REQUIRED and not reference:
            errors["reference"] = (
                f"Enter the {METHOD_LABELS[method].lower()} reference the patient shows you."
            )
        if errors or invoice_id is None or amount is None:
            self.pay_errors = errors or {"form": "Open the invoice again and retry."}
            return
        self.busy, self.pay_errors = "pay", {}
        yield
        redirect, errors = await self._act(
            lambda db, p: queries.record_payment(
                db,
                p,
                invoice_id=invoice_id,
                amount=amount,
                method=method,
                reference=reference,
                idempotency_key=key,
            ),
            _payment_done,
            roles=DESK_ROLES,
        )
        self.busy = ""
        if errors:
            self.pay_errors = errors
        else:
            # That key now names a recorded payment (completed or declined): a new attempt
            # needs a new one.
            self.pay_open, self._pay_key = False, ""
        if redirect is not None:
            yield redirect

    # ------------------------------------------------------------------ refund

    @rx.event
    def open_refund(self, payment_id: int):
        row = next((r for r in self.payments if r["id"] == payment_id and r["can_refund"]), None)
        if row is None:
            self._say("That payment cannot be refunded.", "error")
            return
        self._refund_payment_id = row["id"]
        self.refund_label = f"{row['method_label']} payment of {row['amount']} ({row['receipt_number']})"
        self.refund_default = row["refundable"]
        self.refund_errors, self.refund_open, self.notice = {}, True, ""

    @rx.event
    def set_refund_open(self, value: bool):
        self.refund_open = bool(value) and self.refund_open
        if not self.refund_open:
            self._refund_payment_id, self.refund_errors = 0, {}

    @rx.event
    async def refund(self, form: dict[str, Any]):
        payment_id = self._refund_payment_id
        amount, problem = parse_amount(form.get("amount"))
        reason = text_of(form, "reason", 200)
        errors: dict[str, str] = {}
        if problem:
            errors["amount"] = problem
        if len(reason) < 3:
            errors["reason"] = "Say why the money goes back (the patient and the auditors will see it)."
        if not payment_id:
            errors["form"] = "Choose the payment to refund from the list."
        if errors or amount is None:
            self.refund_errors = errors
            return
        self.busy, self.refund_errors = "refund", {}
        yield
        redirect, errors = await self._act(
            lambda db, p: queries.refund(db, p, payment_id=payment_id, amount=amount, reason=reason),
            f"Refund of {money(amount)} recorded.",
        )
        self.busy = ""
        if errors:
            self.refund_errors = errors
        else:
            self.refund_open, self._refund_payment_id = False, 0
        if redirect is not None:
            yield redirect

    # ------------------------------------------------------------------ claims

    @rx.event
    async def submit_claim(self):
        invoice_id = self._path_id()
        if invoice_id is None:
            return
        self.busy = "claim"
        yield
        redirect, errors = await self._act(
            lambda db, p: queries.submit_claim(db, p, invoice_id), "Claim submitted to the medical aid."
        )
        self.busy = ""
        if errors:
            self._say(next(iter(errors.values())), "error")
        if redirect is not None:
            yield redirect

    @rx.event
    def open_decision(self):
        if not self._claim_id:
            self._say("Submit a claim first.", "error")
            return
        self.decide_open, self.decide_outcome, self.decide_errors, self.notice = True, "approved", {}, ""

    @rx.event
    def set_decide_open(self, value: bool):
        self.decide_open = bool(value) and self.decide_open
        self.decide_errors = {}

    @rx.event
    def set_decide_outcome(self, value: str):
        self.decide_outcome = value if value in ("approved", "denied") else "approved"
        self.decide_errors = {}

    @rx.event
    async def record_decision(self, form: dict[str, Any]):
        claim_id, outcome = self._claim_id, self.decide_outcome
        approved = None
        reason = text_of(form, "reason", 200)
        if outcome == "approved":
            approved, problem = parse_amount(form.get("approved_amount"))
            if problem:
                self.decide_errors = {"approved_amount": problem}
                return
        elif len(reason) < 3:
            self.decide_errors = {"reason": "Give the medical aid's reason for the denial."}
            return
        if not claim_id:
            self.decide_errors = {"form": "This invoice has no claim to decide."}
            return
        self.busy, self.decide_errors = "decide", {}
        yield
        done = f"Claim approved for {money(approved)}." if approved is not None else "Claim denied."
        redirect, errors = await self._act(
            lambda db, p: queries.decide_claim(
                db, p, claim_id=claim_id, approved_amount=approved, reason=reason
            ),
            done,
        )
        self.busy = ""
        if errors:
            self.decide_errors = errors
        else:
            self.decide_open = False
        if redirect is not None:
            yield redirect

    @rx.event
    def open_claim_paid(self):
        if (
            not self._claim_id
            or not self.claim
            or self.claim[0]["status"] not in ("approved", "partially_approved")
        ):
            self._say("Only an approved claim can be marked paid.", "error")
            return
        self.paid_open, self.paid_errors, self.notice = True, {}, ""

    @rx.event
    def set_paid_open(self, value: bool):
        self.paid_open = bool(value) and self.paid_open
        self.paid_errors = {}

    @rx.event
    async def record_claim_paid(self, form: dict[str, Any]):
        claim_id = self._claim_id
        amount, problem = parse_amount(form.get("paid_amount"))
        reference = text_of(form, "reference", 64)
        if problem:
            self.paid_errors = {"paid_amount": problem}
            return
        if not claim_id or amount is None:
            self.paid_errors = {"form": "This invoice has no approved claim."}
            return
        self.busy, self.paid_errors = "claim_paid", {}
        yield
        redirect, errors = await self._act(
            lambda db, p: queries.mark_claim_paid(
                db, p, claim_id=claim_id, amount=amount, reference=reference
            ),
            f"The medical aid's payment of {money(amount)} is recorded.",
        )
        self.busy = ""
        if errors:
            self.paid_errors = errors
        else:
            self.paid_open = False
        if redirect is not None:
            yield redirect
