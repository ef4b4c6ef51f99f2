"""What the booking, appointment and desk pages share: calling a service as the signed-in user,
money and time for people, and a few small components.

``user_call`` is how every handler here touches data (the ``admin_call`` pattern): it asks the
server-side session who is calling (``current_user``, never an id held in page state), resolves
their ``Principal`` from the database now, runs the service off the event loop and commits.
A refusal by the policy (``DashboardError``) or a bad request from the service (``BookingError``
and friends: anything with ``.code`` and ``.message``) comes back as an ``Outcome``; nothing is
half-written because the session rolls back on any exception.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import reflex as rx
from sqlmodel import Session

from mediconnect.core.errors import AuthError, DashboardError
from mediconnect.core.permissions import (
    APPOINTMENT_ACTIONS,
    PAYMENT_SUMMARY_ROLES,
    Action,
    Principal,
)
from mediconnect.core.settings import get_settings
from mediconnect.features.shell.calls import run_as
from mediconnect.features.shell.state import current_user, login_url

T = TypeVar("T")

# Who may open the appointment pages at all (the policy's tables; the object check is the service's).
READERS = frozenset(r for r, acts in APPOINTMENT_ACTIONS.items() if Action.READ in acts)
WRITERS = frozenset(r for r, acts in APPOINTMENT_ACTIONS.items() if Action.WRITE in acts)
PAYERS = PAYMENT_SUMMARY_ROLES

NOT_YOURS = "This appointment does not exist or is not one you can open."


@dataclass
class Outcome(Generic[T]):
    value: T | None = None
    # Send the browser here and show nothing (signed out / deactivated).
    redirect: Any = None
    # The policy refused: the object is not the caller's, or the role may not do this.
    denied: bool = False
    error: str = ""
    code: str = ""
    alternatives: list[Any] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.redirect is None and not self.denied and not self.error


def _service_error(exc: Exception) -> tuple[str, str] | None:
    """(code, message) of a service's bad-request error (BookingError, PricingError, ...)."""
    code, message = getattr(exc, "code", None), getattr(exc, "message", None)
    if isinstance(code, str) and isinstance(message, str) and message:
        return code, message
    errors = getattr(exc, "errors", None)  # AdminFormError style: {field: message}
    if isinstance(errors, dict) and errors:
        return "invalid", "; ".join(str(v) for v in errors.values())
    return None


async def user_call(state: rx.State, work: Callable[[Session, Principal], T]) -> Outcome[T]:
    """Run ``work(session, principal)`` for the tab's signed-in user, off the event loop."""
    user = await current_user(state)
    if user is None:
        return Outcome(redirect=rx.redirect(login_url(state.router.url.path), replace=True))
    try:
        value = await asyncio.to_thread(run_as, user.id, work)
    except DashboardError as exc:
        return Outcome(denied=True, error=NOT_YOURS, code=exc.code.code)
    except AuthError:
        return Outcome(redirect=rx.redirect(login_url(state.router.url.path), replace=True), denied=True)
    except Exception as exc:
        found = _service_error(exc)
        if found is None:
            raise
        return Outcome(
            error=found[1], code=found[0], alternatives=list(getattr(exc, "alternatives", []) or [])
        )
    return Outcome(value=value)


def path_id(state: rx.State, after: str = "appointments") -> int:
    """The numeric id that follows ``after`` in the tab's path, or 0 (never trust anything else)."""
    parts = [p for p in state.router.url.path.split("/") if p]
    for i, part in enumerate(parts[:-1]):
        if part == after and parts[i + 1].isdigit():
            return int(parts[i + 1])
    return 0


# --------------------------------------------------------------------------- formatting

_SYMBOLS = {"ZAR": "R", "USD": "$", "EUR": "€", "GBP": "£", "KES": "KSh", "NGN": "₦", "BWP": "P"}


def money(value: Decimal | str | float | int | None) -> str:
    """ "R 1 250.00": the settings' currency, a space as thousands separator, two decimals."""
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    currency = get_settings().CURRENCY
    symbol = _SYMBOLS.get(currency, currency)
    sign = "-" if amount < 0 else ""
    return f"{sign}{symbol} {abs(amount):,.2f}".replace(",", " ")


def percent(value: Decimal | str | float | None) -> str:
    if value is None or value == "":
        return "—"
    """A rate given as 0-100 ("80.00" -> "80%")."""
    return f"{Decimal(str(value)).normalize():f}%"


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or get_settings().TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Africa/Johannesburg")


def as_local(value: datetime | str | None, tz: str | None) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return aware.astimezone(zone(tz))


def hhmm(value: datetime | str | None, tz: str | None) -> str:
    local = as_local(value, tz)
    return local.strftime("%H:%M") if local else ""


def long_day(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def short_when(value: datetime | str | None, tz: str | None) -> str:
    """ "Thu 21 Nov 2026, 09:50": for table rows."""
    local = as_local(value, tz)
    return f"{local:%a} {local.day} {local:%b %Y}, {local:%H:%M}" if local else ""


def when(value: datetime | str | None, tz: str | None) -> str:
    local = as_local(value, tz)
    return f"{long_day(local.date())}, {local:%H:%M}" if local else ""


STATUS_LABELS = {
    "booked": "Pending",
    "confirmed": "Confirmed",
    "checked_in": "Checked in",
    "in_progress": "In progress",
    "completed": "Completed",
    "cancelled": "Cancelled",
    "no_show": "No-show",
}
STATUS_COLORS = {
    "booked": "amber",
    "confirmed": "teal",
    "checked_in": "blue",
    "in_progress": "violet",
    "completed": "green",
    "cancelled": "gray",
    "no_show": "red",
}
MODALITY_LABELS = {
    "xray": "X-ray",
    "ct": "CT",
    "mri": "MRI",
    "ultrasound": "Ultrasound",
    "mammography": "Mammography",
    "fluoroscopy": "Fluoroscopy",
    "dexa": "DEXA (bone density)",
    "ecg": "ECG",
    "consultation": "Consultation",
}


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status.replace("_", " ").capitalize())


# --------------------------------------------------------------------------- components


def status_badge(status: rx.Var, label: rx.Var) -> rx.Component:
    return rx.badge(
        label,
        color_scheme=rx.match(status, *[(k, v) for k, v in STATUS_COLORS.items()], "gray"),
        variant="soft",
        size="2",
        data_testid="status-badge",
    )


def notice(message: rx.Var, kind: rx.Var | str, *, test_id: str = "notice") -> rx.Component:
    """A callout whose colour follows ``kind`` ("success", "error", "info")."""
    return rx.cond(
        message,
        rx.callout(
            message,
            icon="info",
            color_scheme=rx.match(kind, ("success", "teal"), ("error", "red"), "blue"),
            role="status",
            width="100%",
            data_testid=test_id,
        ),
    )


def fact(label: str, value: rx.Var | str, *, test_id: str | None = None) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="1", weight="medium", color=rx.color("gray", 11), text_transform="uppercase"),
        rx.text(value, size="3", data_testid=test_id),
        spacing="1",
        min_width="0",
    )


def back_link(label: str, href: str | rx.Var) -> rx.Component:
    return rx.link(
        rx.hstack(rx.icon("arrow-left", size=16), rx.text(label), spacing="1", align="center"),
        href=href,
        size="2",
        color_scheme="gray",
    )
