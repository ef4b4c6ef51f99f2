"""Choosing a day and a time: the rows a day picker and a slot grid show.

The booking page and an appointment's reschedule both offer the same days and times, labelled
in the clinic's zone. How far ahead one may book is the caller's to say (``days``).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, TypedDict

from mediconnect.features.kit.format import as_local, hhmm, long_day
from mediconnect.services.options import Option


class SlotView(TypedDict):
    key: str  # ISO start, UTC
    label: str  # "08:15"


def day_options(today: date, *, days: int) -> list[Option]:
    """Today and the next ``days`` days: value the ISO date, label "Today, Monday 23 November 2026"."""
    out = []
    for i in range(days + 1):
        day = today + timedelta(days=i)
        prefix = "Today, " if i == 0 else "Tomorrow, " if i == 1 else ""
        out.append(Option(value=day.isoformat(), label=prefix + long_day(day)))
    return out


def slot_views(slots: list[Any], tz: str, *, with_day: bool = False) -> list[SlotView]:
    """Key: the UTC start; label: clinic-local "08:15" (or "Mon 23 Nov, 08:15" across days)."""
    out = []
    for s in slots:
        local = as_local(s.start, tz)
        assert local is not None
        label = f"{local:%a} {local.day} {local:%b}, {local:%H:%M}" if with_day else hhmm(s.start, tz)
        out.append(SlotView(key=s.start.isoformat(), label=label))
    return out
