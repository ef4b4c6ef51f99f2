"""The billing JSON API over HTTP on a rolled-back database: quote, payment summary, invoices,
payments (idempotent), refunds, receipts and claims; refusals are DASH codes or BILL_ bodies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sqlmodel import Session

from mediconnect.core.tokens import issue_tokens
from mediconnect.models.users import User
from tests.api.documented import schema_errors
from tests.api.test_auth_tokens import call
from tests.services import billing_world as bw

USERS = ("patient_user", "other_user", "private_user", "billing_user", "other_billing_user", "desk_user",
         "other_desk_user", "admin_user")  # fmt: skip


@pytest.fixture
def world(api_db: Callable[[], Session]) -> tuple[bw.World, dict[str, int], dict[str, str]]:
    with api_db() as s:
        w = bw.world(s)
        appt, inv = bw.booked(s, w)  # R1 250: scheme 800, patient 450
        ids = {"appointment": appt.id or 0, "invoice": inv.id or 0}
        tokens = {}
        for name in USERS:
            user: User = getattr(w, name)
            tokens[name] = issue_tokens(s, user=user).access_token
        s.commit()
        return w, ids, tokens


def _ok(r: httpx.Response, status: int = 200) -> Any:
    assert r.status_code == status, r.text
    assert schema_errors(r) == []  # the answer is what the OpenAPI document says
    return r.json()


def _err(r: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    body = r.json()
    assert body["code"] == code and body["message"], body
    assert schema_errors(r) == []  # a documented status, an ErrorBody
    return body


def test_quote(world: tuple[bw.World, dict[str, int], dict[str, str]]) -> None:
    w, _, t = world
    body = {"service_id": w.service.id, "date": "2026-06-15"}
    q = _ok(call("POST", "/api/appointments/quote", token=t["patient_user"], json=body))
    assert q["price"] == "1250.00" and q["tariff_cap"] == "1000.00"
    # The booked invoice's unclaimed 800 is already spoken for, but the limit is large: same split.
    assert (q["medical_aid_portion"], q["shortfall"], q["co_payment"], q["patient_portion"]) == (
        "800.00", "250.00", "200.00", "450.00")  # fmt: skip
    assert q["coverage_rate"] == 0.8 and q["annual_limit_remaining"] == "19200.00" and q["lines"]
    private = _ok(call("POST", "/api/appointments/quote", token=t["private_user"], json=body))
    assert private["private"] and private["patient_portion"] == "1250.00"
    # Staff quote for a patient of theirs, not for someone else's.
    staff_body = {**body, "patient_id": w.patient.id}
    assert (
        _ok(call("POST", "/api/appointments/quote", token=t["desk_user"], json=staff_body))["due_now"]
        == "450.00"
    )
    _err(
        call("POST", "/api/appointments/quote", token=t["other_desk_user"], json=staff_body), 403, "DASH_006"
    )
    _err(call("POST", "/api/appointments/quote", token=t["other_user"], json=staff_body), 403, "DASH_006")
    _err(
        call("POST", "/api/appointments/quote", token=t["desk_user"], json=body), 422, "BILL_PATIENT_REQUIRED"
    )
    _err(call("POST", "/api/appointments/quote", token=t["patient_user"], json={"service_id": 10**9}), 422,
         "BILL_UNKNOWN_SERVICE")  # fmt: skip
    _err(
        call("POST", "/api/appointments/quote", token=t["patient_user"], json={"service_id": "x"}),
        400,
        "DASH_004",
    )
    bad_day = {**body, "date": "15/06"}
    _err(call("POST", "/api/appointments/quote", token=t["patient_user"], json=bad_day), 400, "DASH_004")
    _err(call("POST", "/api/appointments/quote", token=t["patient_user"], content=b"[1]"), 400, "DASH_004")
    assert call("POST", "/api/appointments/quote", json=body).status_code == 401


def test_payment_flow_summary_receipt_refund(world: tuple[bw.World, dict[str, int], dict[str, str]]) -> None:
    _, ids, t = world
    inv, appt = ids["invoice"], ids["appointment"]
    pay_url = f"/api/invoices/{inv}/payments"
    first = _ok(call("POST", pay_url, token=t["desk_user"], json={"amount": "200.00", "method": "cash"}), 201)
    assert first["status"] == "completed" and first["receipt_number"] and first["amount"] == "200.00"
    keyed = {"amount": 50, "method": "card", "reference": "SLIP-1"}
    second = _ok(
        call("POST", pay_url, token=t["desk_user"], json=keyed, headers={"Idempotency-Key": "k-1"}), 201
    )
    replay = _ok(
        call("POST", pay_url, token=t["desk_user"], json=keyed, headers={"Idempotency-Key": "k-1"}), 200
    )
    assert replay["payment_id"] == second["payment_id"]
    over = _err(call("POST", pay_url, token=t["desk_user"], json={"amount": "200.01", "method": "cash"}), 422,
                "BILL_OVERPAYMENT")  # fmt: skip
    assert over["detail"] == {"field": "amount"} and "200.00" in over["message"]
    _err(call("POST", pay_url, token=t["desk_user"], json={"amount": "1.999", "method": "cash"}), 422,
         "BILL_INVALID_AMOUNT")  # fmt: skip
    _err(call("POST", pay_url, token=t["desk_user"], json={"amount": "1", "method": "cheque"}), 422,
         "BILL_INVALID_METHOD")  # fmt: skip
    _err(
        call("POST", pay_url, token=t["desk_user"], json={"amount": True, "method": "cash"}), 400, "DASH_004"
    )
    _err(
        call("POST", pay_url, token=t["patient_user"], json={"amount": "1", "method": "cash"}),
        403,
        "DASH_002",
    )
    _err(
        call("POST", pay_url, token=t["other_desk_user"], json={"amount": "1", "method": "cash"}),
        403,
        "DASH_006",
    )

    summary = _ok(call("GET", f"/api/appointments/{appt}/payment-summary", token=t["patient_user"]))
    assert (summary["patient_portion"], summary["patient_paid"], summary["balance"]) == (
        "450.00",
        "250.00",
        "200.00",
    )
    assert summary["status"] == "partially_paid" and len(summary["payments"]) == 2
    _err(call("GET", f"/api/appointments/{appt}/payment-summary", token=t["other_user"]), 403, "DASH_006")

    rec = _ok(call("GET", f"/api/payments/{first['payment_id']}/receipt", token=t["patient_user"]))
    assert rec["receipt_number"] == first["receipt_number"] and rec["balance"] == "200.00"
    _err(call("GET", f"/api/payments/{first['payment_id']}/receipt", token=t["other_user"]), 403, "DASH_006")

    refund_url = f"/api/payments/{first['payment_id']}/refund"
    _err(
        call("POST", refund_url, token=t["desk_user"], json={"amount": "10", "reason": "x"}), 403, "DASH_002"
    )
    _err(call("POST", refund_url, token=t["billing_user"], json={"amount": "200.01", "reason": "x"}), 422,
         "BILL_OVER_REFUND")  # fmt: skip
    r = _ok(
        call("POST", refund_url, token=t["billing_user"], json={"amount": "200.00", "reason": "Cancelled"}),
        201,
    )
    assert r["amount"] == "200.00" and r["reference"].startswith("RFD-")
    again = call("POST", refund_url, token=t["billing_user"], json={"amount": "1", "reason": "x"})
    _err(again, 409, "BILL_NOT_REFUNDABLE")
    got = _ok(call("GET", f"/api/invoices/{inv}", token=t["billing_user"]))
    assert got["patient_paid"] == "50.00" and [p["status"] for p in got["payments"]] == [
        "refunded",
        "completed",
    ]


def test_claims_and_invoice_list(world: tuple[bw.World, dict[str, int], dict[str, str]]) -> None:
    _, ids, t = world
    inv = ids["invoice"]
    _err(call("POST", f"/api/invoices/{inv}/claim", token=t["desk_user"]), 403, "DASH_002")
    _err(call("POST", f"/api/invoices/{inv}/claim", token=t["other_billing_user"]), 403, "DASH_006")
    claim = _ok(call("POST", f"/api/invoices/{inv}/claim", token=t["billing_user"]), 201)
    assert claim["status"] == "submitted" and claim["claimed_amount"] == "800.00"
    _err(call("POST", f"/api/invoices/{inv}/claim", token=t["billing_user"]), 409, "BILL_CLAIM_EXISTS")
    decision = f"/api/claims/{claim['claim_id']}/decision"
    _err(call("POST", decision, token=t["billing_user"], json={"denied": "yes"}), 400, "DASH_004")
    _err(call("POST", decision, token=t["billing_user"], json={"approved_amount": "900"}), 422,
         "BILL_INVALID_DECISION")  # fmt: skip
    decided = _ok(call("POST", decision, token=t["billing_user"], json={"approved_amount": "700.00",
                                                                       "reason": "Tariff"}))  # fmt: skip
    assert decided["status"] == "partially_approved" and decided["approved_amount"] == "700.00"
    paid = _ok(call("POST", f"/api/claims/{claim['claim_id']}/paid", token=t["billing_user"],
                    json={"paid_amount": "700.00", "reference": "REM-1"}), 201)  # fmt: skip
    assert paid["method"] == "insurance" and paid["status"] == "completed"
    summary = _ok(
        call("GET", f"/api/appointments/{ids['appointment']}/payment-summary", token=t["desk_user"])
    )
    assert summary["claim_status"] == "paid" and summary["balance"] == "550.00"
    assert summary["moved_to_patient_by_claim"] == "100.00"

    listed = _ok(call("GET", "/api/invoices?overdue_only=false&page=1", token=t["billing_user"]))
    assert [i["invoice_id"] for i in listed["items"]] == [inv] and set(listed["ageing"]) == {
        "0-30", "31-60", "61-90", "90+"}  # fmt: skip
    assert _ok(call("GET", "/api/invoices", token=t["other_billing_user"]))["items"] == []
    _err(call("GET", "/api/invoices", token=t["patient_user"]), 403, "DASH_002")
    _err(call("GET", "/api/invoices?page=x", token=t["billing_user"]), 400, "DASH_004")
    _err(call("GET", "/api/invoices?status=nope", token=t["billing_user"]), 422, "BILL_INVALID_STATUS")
    _err(call("GET", "/api/invoices/abc", token=t["billing_user"]), 403, "DASH_006")
    _err(call("GET", "/api/invoices/abc", token=t["desk_user"]), 403, "DASH_006")  # may read its clinic's
    _err(call("GET", "/api/payments/abc/receipt", token=t["patient_user"]), 403, "DASH_006")
    _err(call("POST", "/api/payments/12345678/refund", token=t["patient_user"], json={}), 403, "DASH_002")
    _err(call("POST", "/api/claims/abc/paid", token=t["desk_user"], json={}), 403, "DASH_002")
    _err(call("GET", "/api/invoices/999999", token=t["billing_user"]), 403, "DASH_006")
