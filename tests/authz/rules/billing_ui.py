"""The billing pages (mediconnect/features/billing/) in the authorization matrix.

* /billing/invoices/ and /billing/claims/: billing staff (their clinics and doctors) and
  admins; lists, so every invoiced patient they may see is their business (``others``).
* /billing/invoices/[invoice_id]/: billing staff and admins on invoices in ``invoice_scope``;
  clinic staff at the desk on their clinics' invoices (services.payments takes desk payments).
  Tried on the caller's own invoice and on one outside their scope.
* /billing/receipts/[payment_id]/: whoever may read the payment's invoice (patients their own).
  The matrix has no "payment" object kind yet, so the page is tried with a missing id: the
  role gate is checked here, the object check by the service (see the note in the report).
* /billing/my-invoices/: patients, their own invoices only.

Handlers that act on an invoice read its id from the page path (never from the payload), so
each is sent from the own / other invoice's path; the service checks the caller there.
"""

from __future__ import annotations

from typing import Any

from mediconnect.models.users import Role
from tests.authz.matrix import PUBLIC, Ctx, Rule

BILLING = frozenset({Role.BILLING_STAFF, Role.ADMIN})
DESK = frozenset({Role.BILLING_STAFF, Role.ADMIN, Role.CLINIC_STAFF})
RECEIPTS = frozenset({Role.BILLING_STAFF, Role.ADMIN, Role.CLINIC_STAFF, Role.PATIENT})
PATIENTS = frozenset({Role.PATIENT})
ADMINS = frozenset({Role.ADMIN})

INVOICES_LOADED = "var:billing_invoices_state.loaded"
INVOICE_LOADED = "var:billing_invoice_state.number"
CLAIMS_LOADED = "var:billing_claims_state.loaded"
MY_LOADED = "var:my_invoices_state.loaded"


def invoices_path(_: Ctx) -> str:
    return "/billing/invoices/"


def claims_path(_: Ctx) -> str:
    return "/billing/claims/"


def my_path(_: Ctx) -> str:
    return "/billing/my-invoices/"


def invoice_path(ctx: Ctx) -> str:
    return f"/billing/invoices/{ctx.object_id or 'authz-missing'}/"


def _load_first(ctx: Ctx) -> list[tuple[str, dict[str, Any]]]:
    """Billing staff and admins load the invoice first, as the browser does before acting on
    it (the claim id the claim actions use comes from that load). Other roles call the action
    cold: the front desk could load the invoice, but its data is not what is judged here."""
    return [("BillingInvoiceState.load", {})] if ctx.subject.role in BILLING else []


def _form(**values: str):  # type: ignore[no-untyped-def]
    return lambda ctx: [{"form": dict(values)}]


def _value(value: Any):  # type: ignore[no-untyped-def]
    return lambda ctx: [{"value": value}]


PAGES: dict[str, Rule] = {
    "/billing/invoices/": Rule(
        BILLING, "invoices of the caller's clinics and doctors", others=BILLING, effect=INVOICES_LOADED
    ),
    "/billing/claims/": Rule(BILLING, "claims on those invoices", others=BILLING, effect=CLAIMS_LOADED),
    "/billing/my-invoices/": Rule(PATIENTS, "the patient's own invoices", effect=MY_LOADED),
    "/billing/invoices/[invoice_id]/": Rule(
        DESK,
        "one invoice: billing staff in invoice_scope, the desk of its clinic, any for an admin",
        obj="invoice",
        param="invoice_id",
        others=ADMINS,
        effect=INVOICE_LOADED,
    ),
    "/billing/receipts/[payment_id]/": Rule(
        RECEIPTS,
        "a receipt: the service checks the payment's invoice (tried with a missing id)",
        param="payment_id",
    ),
}


def _list(effect: str, path, payloads=None, **kw: Any) -> Rule:  # type: ignore[no-untyped-def]
    extra = {"payloads": payloads} if payloads else {}
    return Rule(
        BILLING,
        "lists billing data (filter / page + reload)",
        others=BILLING,
        effect=effect,
        path=path,
        **extra,
        **kw,
    )


def _invoice(why: str, *, effect: str | None = None, payloads=None, prelude=_load_first) -> Rule:  # type: ignore[no-untyped-def]
    extra = {"payloads": payloads} if payloads else {}
    return Rule(
        BILLING,
        why,
        obj="invoice",
        others=ADMINS,
        effect=effect,
        path=invoice_path,
        prelude=prelude,
        **extra,
    )


HANDLERS: dict[str, Rule] = {
    # ---- /billing/invoices/
    "BillingInvoicesState.load": _list(INVOICES_LOADED, invoices_path),
    "BillingInvoicesState.search": _list(
        INVOICES_LOADED, invoices_path, payloads=lambda ctx: [{"form": {"text": ctx.victim.email or "x"}}]
    ),
    "BillingInvoicesState.clear": _list(INVOICES_LOADED, invoices_path),
    "BillingInvoicesState.set_status_filter": _list(
        INVOICES_LOADED, invoices_path, payloads=_value("overdue")
    ),
    "BillingInvoicesState.set_clinic_filter": _list(INVOICES_LOADED, invoices_path, payloads=_value("1")),
    "BillingInvoicesState.set_overdue_only": _list(INVOICES_LOADED, invoices_path, payloads=_value(True)),
    "BillingInvoicesState.prev_page": _list(INVOICES_LOADED, invoices_path),
    "BillingInvoicesState.next_page": _list(INVOICES_LOADED, invoices_path),
    # ---- /billing/claims/
    "BillingClaimsState.load": _list(CLAIMS_LOADED, claims_path),
    "BillingClaimsState.set_status_filter": _list(CLAIMS_LOADED, claims_path, payloads=_value("denied")),
    "BillingClaimsState.prev_page": _list(CLAIMS_LOADED, claims_path),
    "BillingClaimsState.next_page": _list(CLAIMS_LOADED, claims_path),
    # ---- /billing/my-invoices/: the service lists by invoice_scope (a patient's own only)
    "MyInvoicesState.load": Rule(PATIENTS, "own invoices", effect=MY_LOADED, path=my_path),
    "MyInvoicesState.prev_page": Rule(PATIENTS, "own invoices, paging", effect=MY_LOADED, path=my_path),
    "MyInvoicesState.next_page": Rule(PATIENTS, "own invoices, paging", effect=MY_LOADED, path=my_path),
    # ---- /billing/receipts/[payment_id]/
    "BillingReceiptState.load": Rule(
        RECEIPTS,
        "a receipt named by the path (sent from /, so nothing to show)",
        path=lambda ctx: "/billing/receipts/authz-missing/",
    ),
    # ---- /billing/invoices/[invoice_id]/: the id comes from the path the event is sent from
    "BillingInvoiceState.load": Rule(
        DESK,
        "one invoice (billing staff / admin; the desk of its clinic)",
        obj="invoice",
        others=ADMINS,
        effect=INVOICE_LOADED,
        path=invoice_path,
    ),
    "BillingInvoiceState.record_payment": Rule(
        DESK,
        "takes a payment on the invoice of the path (services.payments.require_desk_payment)",
        obj="invoice",
        others=ADMINS,
        path=invoice_path,
        prelude=_load_first,
        payloads=_form(amount="0.01", reference="AUTHZ-REF"),
    ),
    "BillingInvoiceState.refund": _invoice(
        "refunds the payment chosen with open_refund (none chosen here: refused)",
        payloads=_form(amount="0.01", reason="authz matrix"),
    ),
    "BillingInvoiceState.submit_claim": _invoice("claims the medical aid portion of the path's invoice"),
    "BillingInvoiceState.record_decision": _invoice(
        "decides the loaded invoice's claim", payloads=_form(approved_amount="0.01")
    ),
    "BillingInvoiceState.record_claim_paid": _invoice(
        "records the scheme's payment on the loaded invoice's claim", payloads=_form(paid_amount="0.01")
    ),
    # Dialog and form state only: nothing read or written.
    "BillingInvoiceState.open_payment": Rule(PUBLIC, "form input only (opens the dialog)"),
    "BillingInvoiceState.set_pay_open": Rule(PUBLIC, "form input only", payloads=_value(False)),
    "BillingInvoiceState.set_pay_method": Rule(PUBLIC, "form input only", payloads=_value("cash")),
    "BillingInvoiceState.open_refund": Rule(
        PUBLIC,
        "form input only (a payment already on the caller's page)",
        payloads=lambda ctx: [{"payment_id": 1}],
    ),
    "BillingInvoiceState.set_refund_open": Rule(PUBLIC, "form input only", payloads=_value(False)),
    "BillingInvoiceState.open_decision": Rule(PUBLIC, "form input only (the loaded claim)"),
    "BillingInvoiceState.set_decide_open": Rule(PUBLIC, "form input only", payloads=_value(False)),
    "BillingInvoiceState.set_decide_outcome": Rule(PUBLIC, "form input only", payloads=_value("denied")),
    "BillingInvoiceState.open_claim_paid": Rule(PUBLIC, "form input only (the loaded claim)"),
    "BillingInvoiceState.set_paid_open": Rule(PUBLIC, "form input only", payloads=_value(False)),
}
