"""``upcoming_events``: maintenance windows and clinic events starting in the next 14 days.

Maintenance windows (not cancelled) are ``type: "maintenance"``; clinic events are ``"staff"``
for staff sessions and training, else their own type (``inspection``, ``community``). ``date``
is the UTC start ("...Z"), ``duration`` is computed from start and end. ``impact`` is the row's
own text, else for maintenance what it takes down, for events the capacity reduction
("Reduced capacity: 30%"). Sorted by start.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from mediconnect.dashboards.clinic.capacity import Capacity
from mediconnect.dashboards.clinic.context import ClinicContext
from mediconnect.dashboards.clinic.schema import ClinicUpcomingEvent
from mediconnect.dashboards.kit.conventions import iso_z
from mediconnect.models.clinics import ClinicEvent, ClinicEventType

HORIZON = timedelta(days=14)
STAFF_TYPES = {ClinicEventType.STAFF_SESSION.value, ClinicEventType.TRAINING.value}


def duration(start: datetime, end: datetime) -> str:
    minutes = round((end - start).total_seconds() / 60)
    hours, rest = divmod(minutes, 60)
    if hours == 0:
        return f"{rest} minutes"
    text = f"{hours} hour" + ("" if hours == 1 else "s")
    return text if rest == 0 else f"{text} {rest} minutes"


def _maintenance(ctx: ClinicContext, cap: Capacity) -> list[tuple[datetime, dict[str, Any]]]:
    equipment = {e.id: e.name for e in cap.equipment}
    rooms = {r.id: r.name for r in cap.rooms}
    out = []
    for w in cap.windows:
        if not ctx.now <= w.starts_at < ctx.now + HORIZON:
            continue
        if w.equipment_id is not None:
            down = f"{equipment.get(w.equipment_id, 'Equipment')} unavailable"
        elif w.room_id is not None:
            down = f"{rooms.get(w.room_id, 'Room')} unavailable"
        else:
            down = "Clinic-wide: all rooms unavailable"
        out.append(
            (
                w.starts_at,
                {
                    "type": "maintenance",
                    "title": w.title,
                    "date": iso_z(w.starts_at),
                    "duration": duration(w.starts_at, w.ends_at),
                    "impact": w.impact or down,
                },
            )
        )
    return out


def _events(ctx: ClinicContext) -> list[tuple[datetime, dict[str, Any]]]:
    e = sa.inspect(ClinicEvent).local_table.c  # type: ignore[union-attr]
    rows = ctx.session.execute(
        sa.select(e.event_type, e.title, e.starts_at, e.ends_at, e.attendees, e.capacity_reduction, e.impact)
        .where(e.clinic_id == ctx.clinic_id, e.starts_at >= ctx.now, e.starts_at < ctx.now + HORIZON)
        .order_by(e.starts_at, e.id)
    )
    out = []
    for kind, title, starts, ends, attendees, reduction, impact in rows:
        kind = str(kind)
        computed = f"Reduced capacity: {round(reduction * 100)}%" if reduction else "No capacity impact"
        out.append(
            (
                starts,
                {
                    "type": "staff" if kind in STAFF_TYPES else kind,
                    "title": title,
                    "date": iso_z(starts),
                    "duration": duration(starts, ends),
                    "attendees": attendees,
                    "impact": impact or computed,
                },
            )
        )
    return out


def build(ctx: ClinicContext, cap: Capacity) -> list[ClinicUpcomingEvent]:
    items = _maintenance(ctx, cap) + _events(ctx)
    items.sort(key=lambda pair: pair[0])
    return [ClinicUpcomingEvent.model_validate(item) for _, item in items]
