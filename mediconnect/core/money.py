"""Money, the one way: Decimal rounded half-up to cents, written for the wire or for people.

``wire`` is the spec's string ("1250.00", what the JSON API and the dashboards send);
``for_people`` is what a page or a sentence shows: the Settings currency's symbol against the
amount and a no-break space between thousands, so an amount never wraps ("R1 250.00", "-R10.00").
Every layer that writes an amount calls one of these (services' sentences, dashboards, pages).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from mediconnect.core.settings import get_settings

CENTS = Decimal("0.01")
NBSP = "\u00a0"
_SYMBOLS = {"ZAR": "R", "USD": "$", "EUR": "€", "GBP": "£", "KES": "KSh", "NGN": "₦", "BWP": "P"}


def cents(value: Decimal | int | float) -> Decimal:
    """Round half-up to cents (Decimal's default would be banker's rounding)."""
    return Decimal(value).quantize(CENTS, rounding=ROUND_HALF_UP)


def wire(value: Decimal | int | float | None) -> str:
    """The spec's money string: "1250.00"; a missing amount is "0.00"."""
    return str(cents(value or 0))


def currency_symbol() -> str:
    currency = get_settings().CURRENCY
    return _SYMBOLS.get(currency, currency)


def for_people(value: Decimal | int | float) -> str:
    """ "R1 250.00" (no-break space between thousands), "-R10.00"."""
    amount = cents(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}{currency_symbol()}{abs(amount):,.2f}".replace(",", NBSP)
