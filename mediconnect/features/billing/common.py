"""What the billing pages share: who each page is for, reading what a person typed, and the
status colours. Calling services, formatting and widgets come from ``features/kit``; payment
methods and their rules from ``services.payment_gateway``.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from mediconnect.core.money import CENTS, currency_symbol
from mediconnect.features.kit.format import money
from mediconnect.models.users import Role
from mediconnect.services.options import Option
from mediconnect.services.payment_gateway import DESK_METHODS, METHOD_LABELS, REFERENCE_REQUIRED

# Who each billing page is for (the page decorator and every handler use the same sets).
BILLING_ROLES = frozenset({Role.BILLING_STAFF, Role.ADMIN})
# The front desk (clinic staff) opens an invoice of its clinic to take a payment
# (services.payments: require_desk_payment / require_invoice), nothing else.
DESK_ROLES = BILLING_ROLES | {Role.CLINIC_STAFF}
RECEIPT_ROLES = DESK_ROLES | {Role.PATIENT}
PATIENT_ROLES = frozenset({Role.PATIENT})
# The most one payment or refund may be: a typo guard (1 million), far above any scan.
MAX_AMOUNT = Decimal("1000000.00")
# The desk's payment form: the methods the billing service takes by hand, as it names them.
METHOD_OPTIONS: list[Option] = [Option(value=str(m), label=METHOD_LABELS[m]) for m in DESK_METHODS]

# --------------------------------------------------------------------------- parsing input


def parse_amount(text: Any) -> tuple[Decimal | None, str]:
    """A money amount typed by a person: "1250", "1 250.50", "R1,250.5". (amount, error)."""
    if not isinstance(text, str) or not text.strip():
        return None, "Enter an amount."
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "").replace(",", "")
    symbol = currency_symbol()
    if cleaned[: len(symbol)].lower() == symbol.lower():
        cleaned = cleaned[len(symbol) :]
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None, "Enter the amount as a number, for example 250.00."
    if not value.is_finite():
        return None, "Enter the amount as a number, for example 250.00."
    if value <= 0:
        return None, f"The amount must be more than {money(0)}."
    if value != value.quantize(CENTS):
        return None, "Use at most two decimals (cents)."
    if value > MAX_AMOUNT:
        return None, "That amount is too large; check it."
    return value.quantize(CENTS), ""


def text_of(form: dict[str, Any], name: str, limit: int = 200) -> str:
    value = form.get(name, "")
    return value.strip()[:limit] if isinstance(value, str) else ""


# --------------------------------------------------------------------------- status colours

INVOICE_STATUS_COLORS = {
    "draft": "gray",
    "sent": "blue",
    "partially_paid": "amber",
    "paid": "teal",
    "overdue": "red",
    "cancelled": "gray",
}
PAYMENT_STATUS_COLORS = {
    "pending": "gray",
    "processing": "blue",
    "completed": "teal",
    "failed": "red",
    "refunded": "purple",
}
CLAIM_STATUS_COLORS = {
    "submitted": "blue",
    "approved": "teal",
    "partially_approved": "amber",
    "denied": "red",
    "paid": "green",
}

__all__ = [
    "BILLING_ROLES",
    "CLAIM_STATUS_COLORS",
    "DESK_METHODS",
    "DESK_ROLES",
    "INVOICE_STATUS_COLORS",
    "MAX_AMOUNT",
    "METHOD_LABELS",
    "METHOD_OPTIONS",
    "PATIENT_ROLES",
    "PAYMENT_STATUS_COLORS",
    "RECEIPT_ROLES",
    "REFERENCE_REQUIRED",
    "parse_amount",
    "text_of",
]
