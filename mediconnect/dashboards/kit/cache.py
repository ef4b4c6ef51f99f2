"""The dashboards' cache: the spec's keys and durations, and invalidation on domain events.

Keys (dashboards-api.md, "Caching Strategy"):

* ``dash:doctor:{doctor_user_id}:today`` the doctor dashboard, ``real_time_metrics`` (30 s)
* ``dash:doctor:{doctor_user_id}:{period}[...]`` analytics, ``hourly_summaries`` (1 h); custom
  ranges, a clinic filter and comparison add a suffix, and the as-of date is appended so a
  relative period ("month") never outlives the day it was computed on
* ``dash:clinic:{clinic_id}:metrics`` the clinic dashboard, ``real_time_metrics`` (30 s)

Every value belongs to a family whose generation invalidation increments (see core/cache.py):
``dash:gen:doctor:{doctor_id}`` (the dashboard and every analytics key of that doctor) and
``dash:gen:clinic:{clinic_id}``. Families are keyed by doctor id, which every event carries, so
invalidating needs no database lookup inside the commit.

``bootstrap.wire()`` registers ``invalidate`` as a commit hook in every process (app, Celery,
CLI), so every process that commits changes through a service invalidates, whether or not it
ever serves a dashboard.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from mediconnect.core import events
from mediconnect.core.cache import Tag, get_cache

if TYPE_CHECKING:
    from mediconnect.dashboards.doctor.analytics import AnalyticsParams

# The spec's cache_durations.
REAL_TIME_METRICS = 30
HOURLY_SUMMARIES = 3600
DAILY_ANALYTICS = 86400
HISTORICAL_TRENDS = 604800

DOCTOR_TTL = REAL_TIME_METRICS
ANALYTICS_TTL = HOURLY_SUMMARIES
CLINIC_TTL = REAL_TIME_METRICS


def doctor_key(doctor_user_id: int) -> str:
    return f"dash:doctor:{doctor_user_id}:today"


def analytics_key(doctor_user_id: int, params: AnalyticsParams, as_of: date) -> str:
    parts = [f"dash:doctor:{doctor_user_id}:{params.period}"]
    if params.start_date or params.end_date:
        parts.append(f"{params.start_date or ''}..{params.end_date or ''}")
    if params.clinic_id is not None:
        parts.append(f"clinic={params.clinic_id}")
    if params.comparison:
        parts.append("cmp")
    parts.append(as_of.isoformat())
    return ":".join(parts)


def clinic_key(clinic_id: int) -> str:
    return f"dash:clinic:{clinic_id}:metrics"


def doctor_family(doctor_id: int) -> str:
    return f"dash:gen:doctor:{doctor_id}"


def clinic_family(clinic_id: int) -> str:
    return f"dash:gen:clinic:{clinic_id}"


# ----------------------------------------------------------------------------- values


@dataclass(frozen=True, slots=True)
class Entry:
    data: dict[str, Any]
    generated_at: datetime


@dataclass(frozen=True, slots=True)
class Lookup:
    entry: Entry | None
    # The generations current when the lookup was made: what a value computed now is stored under.
    tag: Tag


def _default(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def lookup(key: str, family: str) -> Lookup:
    raw, tag = get_cache().read(key, (family,))
    if raw is None or not tag:
        return Lookup(None, tag)
    try:
        stored = json.loads(raw)
        if tuple(stored["tag"]) != tag:
            return Lookup(None, tag)
        return Lookup(Entry(stored["data"], datetime.fromisoformat(stored["generated_at"])), tag)
    except (ValueError, KeyError, TypeError):
        return Lookup(None, tag)


def store(key: str, tag: Tag, data: Mapping[str, Any], generated_at: datetime, ttl: int) -> None:
    if not tag:
        return  # the cache was unreachable at lookup: nothing trustworthy to tag it with
    payload = {"tag": list(tag), "generated_at": generated_at.isoformat(), "data": data}
    get_cache().set(key, json.dumps(payload, default=_default, separators=(",", ":")).encode(), ttl)


def clear() -> None:
    get_cache().clear("dash:")


# ----------------------------------------------------------------------------- invalidation

# The spec's invalidation_triggers, extended to every event that changes a dashboard figure.
APPOINTMENT_EVENTS = frozenset({"appointment_created", "appointment_updated", "appointment_cancelled"})
MONEY_EVENTS = frozenset({"payment_received", "payment_refunded", "invoice_updated", "claim_updated"})
CLINIC_SETUP_EVENTS = frozenset({"schedule_changed", "catalog_changed"})
TRIGGERS = APPOINTMENT_EVENTS | MONEY_EVENTS | CLINIC_SETUP_EVENTS


def _int(value: object) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


def families_for(evt: events.DomainEvent) -> list[str]:
    """The cache families an event makes stale."""
    if evt.name not in TRIGGERS:
        return []
    families: list[str] = []
    clinic_id = _int(evt.ids.get("clinic_id", ""))
    doctor_id = _int(evt.ids.get("doctor_id", ""))
    if clinic_id is not None:
        families.append(clinic_family(clinic_id))
    if doctor_id is not None:
        families.append(doctor_family(doctor_id))
    return families


def invalidate(evt: events.DomainEvent) -> None:
    families = families_for(evt)
    if not families:
        return
    clinic_id = _int(evt.ids.get("clinic_id", ""))
    # The clinic value's key is known, so drop it outright; doctors' keys are by user id and
    # are retired through their generation alone.
    get_cache().bump(families, delete=[clinic_key(clinic_id)] if clinic_id is not None else [])
