"""The one formatting module of the pages: money, percentages, dates and times for people.

Money: the Settings currency's symbol written against the amount, a no-break space between
thousands (so an amount never wraps across lines), two decimals rounded half-up: "R1 250.00",
"-R10.00". Times: stored UTC-aware (a naive value from SQLite is UTC) and shown in the clinic's
zone, its ``timezone`` name, else the Settings default (``services.zones``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from mediconnect.core.money import CENTS, for_people
from mediconnect.services.zones import zone_named

# --------------------------------------------------------------------------- money


def _decimal(value: Decimal | int | float | str | None) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def money(value: Decimal | int | float | str | None) -> str:
    """ "R1 250.00" (no-break space between thousands); "" when there is no amount."""
    amount = _decimal(value)
    if amount is None:
        return "" if value is None or value == "" else str(value)
    return for_people(amount)


def money_input(value: Decimal | int | str | None) -> str:
    """The amount as a form's starting value: 1250.00."""
    amount = _decimal(value)
    return "" if amount is None else f"{amount.quantize(CENTS, rounding=ROUND_HALF_UP):f}"


def percent(value: Decimal | int | float | str | None) -> str:
    """A rate given as 0-100: "80.00" -> "80%", "12.5" -> "12.5%"; "—" when there is none."""
    rate = _decimal(value)
    if rate is None:
        return "—"
    return f"{rate.normalize():f}%"


# --------------------------------------------------------------------------- time


def zone(name: str | None) -> ZoneInfo:
    """The clinic's zone by name, else the Settings default."""
    return zone_named(name)


def as_local(value: datetime | str | None, tz: str | None) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return aware.astimezone(zone(tz))


def hhmm(value: datetime | str | None, tz: str | None) -> str:
    """ "09:50"."""
    local = as_local(value, tz)
    return local.strftime("%H:%M") if local else ""


def clock(value: datetime | str | None, tz: str | None = None) -> str:
    """ "09:50:07": when figures were last updated."""
    local = as_local(value, tz)
    return local.strftime("%H:%M:%S") if local else ""


def long_day(day: date) -> str:
    """ "Thursday 21 November 2026"."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def short_when(value: datetime | str | None, tz: str | None) -> str:
    """ "Thu 21 Nov 2026, 09:50": for table rows."""
    local = as_local(value, tz)
    return f"{local:%a} {local.day} {local:%b %Y}, {local:%H:%M}" if local else ""


def when(value: datetime | str | None, tz: str | None) -> str:
    """ "Thursday 21 November 2026, 09:50"."""
    local = as_local(value, tz)
    return f"{long_day(local.date())}, {local:%H:%M}" if local else ""


def local_day(value: date | datetime | str | None, tz: str | None = None) -> str:
    """ "21 Nov 2026"; a timestamp's day in the clinic's zone."""
    if value is None or value == "":
        return ""
    if isinstance(value, str) and len(value) == 10:
        value = date.fromisoformat(value)
    if isinstance(value, datetime | str):
        local = as_local(value, tz)
        assert local is not None
        value = local.date()
    return f"{value.day} {value:%b %Y}"


def local_time(value: datetime | str | None, tz: str | None = None) -> str:
    """ "21 Nov 2026, 14:05" in the clinic's zone."""
    local = as_local(value, tz)
    return f"{local.day} {local:%b %Y, %H:%M}" if local else ""


# --------------------------------------------------------------------------- words

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


def label_of(value: Any) -> str:
    """partially_paid (or an enum of it) -> Partially paid."""
    text = str(getattr(value, "value", value) or "")
    return text.replace("_", " ").capitalize()
