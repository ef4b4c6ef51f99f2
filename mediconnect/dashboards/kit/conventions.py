"""Conventions every dashboard builder shares, so the figures read the same everywhere.

* Money: ``Decimal`` summed in SQL, serialised as the spec's strings ("1250.00").
* Rates: fractions (0.83), rounded to 4 places; a rate with a zero denominator is 0.0.
* Minutes and ratings: floats rounded to 1 place.
* Days: a clinic-local calendar date; a day, week or month is turned into a half-open UTC
  range ``[start, end)`` for the indexed ``scheduled_start`` columns.
* Weeks run Monday to Sunday (ISO).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Literal
from zoneinfo import ZoneInfo

from mediconnect.core.money import wire
from mediconnect.services.zones import zone_named

Trend = Literal["increasing", "decreasing", "stable"]
# A change smaller than this share of the previous value reads as "stable".
STABLE_BAND = 0.02


def zone(name: str | None) -> ZoneInfo:
    """A clinic's zone by name; the Settings default (``TIMEZONE``) when empty or unknown."""
    return zone_named(name)


def utcnow() -> datetime:
    return datetime.now(UTC)


def local_date(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()


def day_start(day: date, tz: ZoneInfo) -> datetime:
    """The UTC instant a clinic-local day begins."""
    return datetime.combine(day, time.min, tzinfo=tz).astimezone(UTC)


def day_range(first: date, last: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """UTC ``[start, end)`` covering the local days ``first`` .. ``last`` inclusive."""
    return day_start(first, tz), day_start(last + timedelta(days=1), tz)


def week_of(day: date) -> tuple[date, date]:
    """Monday and Sunday of ``day``'s ISO week."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def previous_week(day: date) -> tuple[date, date]:
    monday, _ = week_of(day)
    return monday - timedelta(days=7), monday - timedelta(days=1)


def month_of(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def previous_month(day: date) -> tuple[date, date]:
    first, _ = month_of(day)
    return month_of(first - timedelta(days=1))


def period_label(first: date, last: date) -> str:
    return f"{first.isoformat()} to {last.isoformat()}"


def money(value: Decimal | int | float | None) -> str:
    """The spec's money string: "1250.00" (``core.money.wire``)."""
    return wire(value)


def rate(part: float | int | Decimal | None, whole: float | int | Decimal | None) -> float:
    """``part / whole`` as a fraction rounded to 4 places; 0.0 when ``whole`` is 0 or missing."""
    if not whole:
        return 0.0
    return round(float(part or 0) / float(whole), 4)


def one_place(value: float | Decimal | None) -> float:
    return 0.0 if value is None else round(float(value), 1)


def change(current: float | int | Decimal, previous: float | int | Decimal) -> float:
    """Relative change ``(current - previous) / previous``, 4 places; 0.0 without a baseline."""
    if not previous:
        return 0.0
    return round((float(current) - float(previous)) / float(previous), 4)


def trend(current: float | int | Decimal, previous: float | int | Decimal) -> Trend:
    delta = change(current, previous)
    if not previous:
        return "increasing" if current else "stable"
    if delta > STABLE_BAND:
        return "increasing"
    if delta < -STABLE_BAND:
        return "decreasing"
    return "stable"


def iso_z(moment: datetime) -> str:
    """A UTC instant as the spec writes it: "2024-01-15T14:30:00Z"."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def age_on(born: date | None, today: date) -> int | None:
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
