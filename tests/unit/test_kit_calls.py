"""features/kit/calls.page_call: one mapping of what a service raises to an Outcome, with each
page choosing how a refusal shows (stay with a sentence, or leave for the dashboard)."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest

from mediconnect.core.errors import AccessDenied, AuthError, AuthErrorCode, DashboardError, DashErrorCode
from mediconnect.features.kit import calls
from mediconnect.models.users import Role
from mediconnect.services.account_errors import AccountError
from mediconnect.services.admin_access import AdminFormError
from mediconnect.services.booking import BookingError
from mediconnect.services.invoice_figures import BillingError

STATE: Any = SimpleNamespace(router=SimpleNamespace(url=SimpleNamespace(path="/somewhere/")))


@pytest.fixture(autouse=True)
def signed_in(monkeypatch: pytest.MonkeyPatch) -> None:
    async def user(_state: Any) -> Any:
        return SimpleNamespace(id=7)

    def run_as(user_id: int, work: Any) -> Any:
        return work(None, SimpleNamespace(user_id=user_id, role=Role.PATIENT))

    monkeypatch.setattr(calls, "current_user", user)
    monkeypatch.setattr(calls, "run_as", run_as)


def call(exc: Exception | None, **kw: Any) -> calls.Outcome[Any]:
    def work(_db: Any, p: Any) -> Any:
        if exc is not None:
            raise exc
        return p.user_id

    return asyncio.run(calls.page_call(STATE, work, **kw))


def test_value() -> None:
    outcome = call(None)
    assert outcome.ok and outcome.value == 7


def test_signed_out(monkeypatch: pytest.MonkeyPatch) -> None:
    async def nobody(_state: Any) -> None:
        return None

    monkeypatch.setattr(calls, "current_user", nobody)
    outcome = call(None)
    assert outcome.redirect is not None and outcome.denied and not outcome.ok


def test_deactivated_while_signed_in() -> None:
    outcome = call(AuthError(AuthErrorCode.ACCOUNT_INACTIVE))
    assert outcome.redirect is not None and outcome.denied


def test_refusal_shown_in_place_or_leaving() -> None:
    shown = call(AccessDenied.not_associated("x"), denied_text="Not yours.")
    assert shown.denied and shown.redirect is None
    assert (shown.code, shown.error, shown.detail) == ("DASH_006", "Not yours.", "x")
    spec = call(AccessDenied.not_allowed())
    assert spec.error == DashErrorCode.DASH_002.message
    left = call(AccessDenied.not_allowed(), on_denied="leave")
    assert left.denied and left.redirect is not None and left.code == "DASH_002"


def test_other_dashboard_errors_keep_their_code() -> None:
    outcome = call(DashboardError(DashErrorCode.DASH_005))
    assert outcome.denied and outcome.code == "DASH_005" and outcome.error == "Clinic not found"


def test_roles_gate_refuses_before_the_work() -> None:
    outcome = call(None, roles={Role.ADMIN}, on_denied="leave")
    assert outcome.denied and outcome.code == "DASH_002" and outcome.redirect is not None
    assert call(None, roles={Role.PATIENT}).value == 7


def test_bad_input_from_each_service() -> None:
    booking = call(BookingError("slot_taken", "That time was just taken.", alternatives=[1, 2]))
    assert (booking.code, booking.error, booking.alternatives) == (
        "slot_taken",
        "That time was just taken.",
        [1, 2],
    )
    assert not booking.denied and not booking.ok
    billing = call(BillingError("over_refund", "Too much.", field="amount"))
    assert (billing.code, billing.field, billing.errors) == ("over_refund", "amount", {"amount": "Too much."})
    account = call(AccountError("Enter your phone.", field="phone"))
    assert account.errors == {"phone": "Enter your phone."}
    form = call(AdminFormError({"email": "Taken.", "role": "Choose one."}))
    assert form.error == "Taken." and form.errors == {"email": "Taken.", "role": "Choose one."}


def test_a_bug_is_raised_unless_the_page_reports_failures() -> None:
    with pytest.raises(RuntimeError):
        call(RuntimeError("boom"))
    outcome = call(RuntimeError("boom"), report_failures=True)
    assert outcome.code == "DASH_003" and outcome.error == DashErrorCode.DASH_003.message


@pytest.mark.parametrize(
    ("path", "after", "expected"),
    [
        ("/appointments/42/", "appointments", 42),
        ("/appointments/42/cancel/", "appointments", 42),
        ("/billing/invoices/7/", "invoices", 7),
        ("/billing/invoices/abc/", "invoices", 0),
        ("/billing/invoices/", "invoices", 0),
        # No row of ours has ten digits; the database's integer would overflow.
        ("/billing/receipts/99999999999/", "receipts", 0),
        ("/clinics/3/dashboard/", "appointments", 0),
    ],
)
def test_path_id(path: str, after: str, expected: int) -> None:
    state: Any = SimpleNamespace(router=SimpleNamespace(url=SimpleNamespace(path=path)))
    assert calls.path_id(state, after) == expected
