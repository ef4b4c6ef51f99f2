"""When the clinic, its rooms and its equipment can be booked: the denominators of utilisation.

A resource is available during the clinic's opening hours on a day that is not a closure,
less every maintenance window that takes it down: its own, its room's (for equipment) and
clinic-wide windows (neither room nor equipment set). Overlapping windows are merged so no
minute is subtracted twice. Equipment that is not operational (in maintenance, out of service)
has no available minutes; retired equipment is ignored altogether.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from mediconnect.dashboards.clinic.context import ClinicContext
from mediconnect.dashboards.kit.calendar import Span
from mediconnect.models.clinics import (
    ClinicClosure,
    ClinicOpeningHours,
    Equipment,
    EquipmentStatus,
    MaintenanceStatus,
    MaintenanceWindow,
    Room,
)


@dataclass(frozen=True)
class RoomRow:
    id: int
    name: str
    department_id: int | None


@dataclass(frozen=True)
class EquipmentRow:
    id: int
    name: str
    modality: str
    status: str
    room_id: int | None
    last_maintenance_at: datetime | None
    installed_on: date | None
    interval_days: int


@dataclass(frozen=True)
class WindowRow:
    id: int
    title: str
    equipment_id: int | None
    room_id: int | None
    starts_at: datetime
    ends_at: datetime
    impact: str | None


@dataclass(frozen=True)
class Capacity:
    ctx: ClinicContext
    hours: dict[int, tuple[time, time]]
    closures: frozenset[date]
    rooms: list[RoomRow]
    equipment: list[EquipmentRow]
    windows: list[WindowRow]

    def open_span(self, day: date) -> Span | None:
        hours = self.hours.get(day.weekday())
        if hours is None or day in self.closures:
            return None
        tz = self.ctx.tz
        opens = datetime.combine(day, hours[0], tzinfo=tz).astimezone(UTC)
        closes = datetime.combine(day, hours[1], tzinfo=tz).astimezone(UTC)
        return opens, closes

    def open_days(self, first: date, last: date) -> list[date]:
        days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
        return [d for d in days if self.open_span(d) is not None]

    def room_minutes(self, room_id: int, first: date, last: date) -> float:
        down = [w for w in self.windows if _clinic_wide(w) or w.room_id == room_id]
        return self._available(down, first, last)

    def equipment_minutes(self, item: EquipmentRow, first: date, last: date) -> float:
        if item.status != EquipmentStatus.OPERATIONAL.value:
            return 0.0
        down = [
            w
            for w in self.windows
            if _clinic_wide(w)
            or w.equipment_id == item.id
            or (item.room_id is not None and w.room_id == item.room_id and w.equipment_id is None)
        ]
        return self._available(down, first, last)

    def _available(self, down: list[WindowRow], first: date, last: date) -> float:
        total = 0.0
        for day in self.open_days(first, last):
            span = self.open_span(day)
            assert span is not None
            total += _minutes(span) - _covered(span, [(w.starts_at, w.ends_at) for w in down])
        return total


def _clinic_wide(w: WindowRow) -> bool:
    return w.room_id is None and w.equipment_id is None


def _minutes(span: Span) -> float:
    return (span[1] - span[0]).total_seconds() / 60.0


def _covered(span: Span, intervals: list[Span]) -> float:
    """Minutes of ``span`` covered by the union of ``intervals``."""
    clipped = sorted((max(s, span[0]), min(e, span[1])) for s, e in intervals if s < span[1] and e > span[0])
    total = 0.0
    cur_start: datetime | None = None
    cur_end: datetime | None = None
    for s, e in clipped:
        if cur_end is None or s > cur_end:
            if cur_start is not None and cur_end is not None:
                total += _minutes((cur_start, cur_end))
            cur_start, cur_end = s, e
        else:
            cur_end = max(cur_end, e)
    if cur_start is not None and cur_end is not None:
        total += _minutes((cur_start, cur_end))
    return total


def load(ctx: ClinicContext, windows_span: Span) -> Capacity:
    """Hours, closures, active rooms, non-retired equipment and live windows over ``windows_span``."""
    s, cid = ctx.session, ctx.clinic_id
    hours_t = sa.inspect(ClinicOpeningHours).local_table
    closures_t = sa.inspect(ClinicClosure).local_table
    rooms_t = sa.inspect(Room).local_table
    equip_t = sa.inspect(Equipment).local_table
    win_t = sa.inspect(MaintenanceWindow).local_table
    hours = {
        r.weekday: (r.opens_at, r.closes_at)
        for r in s.execute(sa.select(hours_t).where(hours_t.c.clinic_id == cid))
    }
    closures = frozenset(
        s.scalars(
            sa.select(closures_t.c.closed_on).where(
                closures_t.c.clinic_id == cid,
                closures_t.c.closed_on >= ctx.week_before[0],
            )
        )
    )
    rooms = [
        RoomRow(r.id, r.name, r.department_id)
        for r in s.execute(
            sa.select(rooms_t).where(rooms_t.c.clinic_id == cid, rooms_t.c.is_active).order_by(rooms_t.c.id)
        )
    ]
    equipment = [
        EquipmentRow(
            e.id,
            e.name,
            str(e.modality),
            str(e.status),
            e.room_id,
            e.last_maintenance_at,
            e.installed_on,
            e.maintenance_interval_days,
        )
        for e in s.execute(
            sa.select(equip_t)
            .where(equip_t.c.clinic_id == cid, equip_t.c.status != EquipmentStatus.RETIRED.value)
            .order_by(equip_t.c.id)
        )
    ]
    windows = [
        WindowRow(w.id, w.title, w.equipment_id, w.room_id, w.starts_at, w.ends_at, w.impact)
        for w in s.execute(
            sa.select(win_t)
            .where(
                win_t.c.clinic_id == cid,
                win_t.c.status != MaintenanceStatus.CANCELLED.value,
                win_t.c.starts_at < windows_span[1],
                win_t.c.ends_at > windows_span[0],
            )
            .order_by(win_t.c.starts_at, win_t.c.id)
        )
    ]
    return Capacity(ctx, hours, closures, rooms, equipment, windows)
