"""What the billing pages share: calling a billing service as the signed-in user, formatting
money and dates for people, and a few components.

``billing_call`` is ``admin_call``'s twin for the billing pages. It asks the server-side
session who is calling (never an id held in page state), resolves their ``Principal`` from the
database now and runs the service off the event loop; the service checks the role and the
object (``require_invoice`` ...) and audits. The handler gets the value, a message for a
person (bad input, a refused transition), or a redirect (to sign in, or away).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

import reflex as rx
from sqlmodel import Session

from mediconnect.core.errors import AuthError, DashboardError, DashErrorCode
from mediconnect.core.permissions import Principal
from mediconnect.features.shell.calls import run_as
from mediconnect.features.shell.state import DENIED_REDIRECT, current_user, login_url
from mediconnect.models.users import Role

T = TypeVar("T")
# Who each billing page is for (the page decorator and every handler use the same sets).
BILLING_ROLES = frozenset({Role.BILLING_STAFF, Role.ADMIN})
# The front desk (clinic staff) opens an invoice of its clinic to take a payment
# (services.payments: require_desk_payment / require_invoice), nothing else.
DESK_ROLES = BILLING_ROLES | {Role.CLINIC_STAFF}
RECEIPT_ROLES = DESK_ROLES | {Role.PATIENT}
PATIENT_ROLES = frozenset({Role.PATIENT})
CENTS = Decimal("0.01")
DEFAULT_TZ = "Africa/Johannesburg"
# The most one payment or refund may be: a typo guard (R 1 million), far above any scan.
MAX_AMOUNT = Decimal("1000000.00")


@dataclass
class Outcome(Generic[T]):
    value: T | None = None
    redirect: Any = None
    error: str = ""
    code: str = ""
    # The form field the service named, when it named one ("amount", "reference" ...).
    field: str = ""

    @property
    def ok(self) -> bool:
        return self.redirect is None and not self.error


def _service_error(exc: Exception) -> tuple[str, str, str] | None:
    """(code, message, field) of a billing service's refusal meant for a person, else None.

    The billing services raise ``ValueError`` subclasses carrying ``code`` and ``message``
    (``PricingError``, ``BillingError``): those are the caller's mistake or a refused
    transition, said in a sentence. Anything else is a bug and is raised.
    """
    message = getattr(exc, "message", None)
    if isinstance(exc, ValueError) and isinstance(message, str) and message:
        return str(getattr(exc, "code", "") or ""), message, str(getattr(exc, "field", "") or "")
    return None


def _for_roles(
    roles: frozenset[Role], work: Callable[[Session, Principal], T]
) -> Callable[[Session, Principal], T]:
    def guarded(db: Session, principal: Principal) -> T:
        if principal.role not in roles:
            # Not this page's audience, whatever the services would let them read elsewhere.
            raise DashboardError(
                DashErrorCode.DASH_002, f"role {principal.role.value} has no billing page here"
            )
        return work(db, principal)

    return guarded


async def billing_call(
    state: rx.State, work: Callable[[Session, Principal], T], *, roles: Iterable[Role]
) -> Outcome[T]:
    """Run ``work(session, principal)`` for the tab's signed-in user, off the event loop; the
    session commits when ``work`` returns and rolls back when it raises. ``roles``: who the
    page (or the action) is for; anyone else is sent away before any service is asked."""
    user = await current_user(state)
    if user is None:
        return Outcome(redirect=rx.redirect(login_url(state.router.url.path), replace=True))
    try:
        value = await asyncio.to_thread(run_as, user.id, _for_roles(frozenset(roles), work))
    except DashboardError:
        # Not theirs, or not their role: the same answer whether the invoice exists or not.
        return Outcome(redirect=rx.redirect(DENIED_REDIRECT, replace=True))
    except AuthError:
        return Outcome(redirect=rx.redirect(login_url(state.router.url.path), replace=True))
    except Exception as exc:
        refusal = _service_error(exc)
        if refusal is None:
            raise
        return Outcome(error=refusal[1], code=refusal[0], field=refusal[2])
    return Outcome(value=value)


# --------------------------------------------------------------------------- parsing input


def parse_amount(text: Any) -> tuple[Decimal | None, str]:
    """A money amount typed by a person: "1250", "1 250.50", "R1,250.5". (amount, error)."""
    if not isinstance(text, str) or not text.strip():
        return None, "Enter an amount."
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "").replace(",", "")
    if cleaned[:1] in ("R", "r"):
        cleaned = cleaned[1:]
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None, "Enter the amount as a number, for example 250.00."
    if not value.is_finite():
        return None, "Enter the amount as a number, for example 250.00."
    if value <= 0:
        return None, "The amount must be more than R0.00."
    if value != value.quantize(CENTS):
        return None, "Use at most two decimals (cents)."
    if value > MAX_AMOUNT:
        return None, "That amount is too large; check it."
    return value.quantize(CENTS), ""


def parse_id(value: Any) -> int | None:
    """A positive integer id from a URL or an event payload, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 12:
        number = int(value.strip())
        return number if number > 0 else None
    return None


def text_of(form: dict[str, Any], name: str, limit: int = 200) -> str:
    value = form.get(name, "")
    return value.strip()[:limit] if isinstance(value, str) else ""


# --------------------------------------------------------------------------- formatting


def money(value: Decimal | int | str | None) -> str:
    """R1 250.00 (South African style: space thousands separator, two decimals)."""
    if value is None or value == "":
        return ""
    amount = Decimal(str(value)).quantize(CENTS, rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    return f"{sign}R{abs(amount):,.2f}".replace(",", "\u00a0")


def money_input(value: Decimal | int | str | None) -> str:
    """The amount as a form's starting value: 1250.00."""
    if value is None or value == "":
        return ""
    return f"{Decimal(str(value)).quantize(CENTS, rounding=ROUND_HALF_UP):f}"


def local_day(value: date | datetime | None, tz: str | None = None) -> str:
    """21 Nov 2026, in the clinic's zone for a timestamp."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(ZoneInfo(tz or DEFAULT_TZ)) if value.tzinfo else value
        value = value.date()
    return f"{value.day} {value:%b %Y}"


def local_time(value: datetime | None, tz: str | None = None) -> str:
    """21 Nov 2026, 14:05, in the clinic's zone."""
    if value is None:
        return ""
    if value.tzinfo is not None:
        value = value.astimezone(ZoneInfo(tz or DEFAULT_TZ))
    return f"{value.day} {value:%b %Y, %H:%M}"


def label_of(value: Any) -> str:
    """partially_paid -> Partially paid."""
    text = str(getattr(value, "value", value) or "")
    return text.replace("_", " ").capitalize()


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
METHOD_LABELS = {
    "card": "Card",
    "mobile_money": "Mobile money",
    "bank_transfer": "Bank transfer",
    "cash": "Cash",
    "insurance": "Medical aid",
}
# What the desk records by hand; medical aid money arrives through the claim ("Mark claim paid").
DESK_METHODS = ("card", "cash", "bank_transfer", "mobile_money")
# Money that moved elsewhere first: the desk records its proof (mirrors payment_gateway).
REFERENCE_REQUIRED = ("bank_transfer", "mobile_money")


# --------------------------------------------------------------------------- components


def status_badge(status: rx.Var, label: rx.Var, colors: dict[str, str]) -> rx.Component:
    return rx.match(
        status,
        *[
            (key, rx.badge(label, color_scheme=color, variant="soft", white_space="nowrap"))  # type: ignore[arg-type]
            for key, color in colors.items()
        ],
        rx.badge(label, color_scheme="gray", variant="soft"),
    )


def stat(label: str, value: rx.Var, *, test_id: str, tone: str = "gray") -> rx.Component:
    """One figure of a totals strip."""
    return rx.card(
        rx.vstack(
            rx.text(label, size="1", color=rx.color("gray", 11), weight="medium"),
            rx.text(value, size="5", weight="bold", color=rx.color(tone, 12) if tone != "gray" else None),  # type: ignore[arg-type]
            spacing="1",
        ),
        size="1",
        flex="1 1 9em",
        data_testid=test_id,
    )


def amount_cell(value: rx.Var, **props: Any) -> rx.Component:
    return rx.table.cell(
        rx.text(value, size="2", style={"fontVariantNumeric": "tabular-nums"}),
        text_align="right",
        white_space="nowrap",
        **props,
    )


def amount_header(label: str, **props: Any) -> rx.Component:
    return rx.table.column_header_cell(label, text_align="right", white_space="nowrap", **props)


def busy_spinner() -> rx.Component:
    return rx.center(rx.spinner(size="3"), min_height="40vh")


def not_found(message: rx.Var | str, back_href: str, back_label: str) -> rx.Component:
    return rx.callout(
        rx.vstack(
            rx.text(message),
            rx.link(back_label, href=back_href, weight="medium"),
            spacing="2",
        ),
        icon="search-x",
        color_scheme="gray",
        width="100%",
        data_testid="billing-not-found",
    )
