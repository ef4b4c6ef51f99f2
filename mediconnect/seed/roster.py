"""Who is on duty where: doctors' sessions (each in one room, with its equipment), staff shifts,
and the lanes the scheduler fills with appointments. An appointment always falls inside its
doctor's shift at that clinic, because lanes are made from the shifts."""

from __future__ import annotations

from mediconnect.seed.demo_pins import DEMO_PINS
from mediconnect.seed.rng import Rng, stream
from mediconnect.seed.world import Clinic, Doctor, Lane, Room, World

MODALITY_WEIGHT = {
    "xray": 3.0,
    "ultrasound": 3.0,
    "ct": 1.6,
    "mri": 1.6,
    "mammography": 1.0,
    "procedure": 0.8,
    "fluoroscopy": 0.5,
    "dexa": 0.6,
}
LUNCH = (750, 780)  # 12:30-13:00 local: the break between the morning and afternoon sessions


def _sessions(open_min: int, close_min: int) -> list[tuple[int, int]]:
    if close_min - open_min > 300:
        return [(open_min, LUNCH[0]), (LUNCH[1], close_min)]
    return [(open_min, close_min)]


def _effective_clinic(world: World, doc: Doctor, day: int, weekday: int) -> int:
    cid = doc.pattern.get(weekday, 0)
    if cid and day >= world.clinic(cid).active_until and doc.fallback_clinic:
        cid = doc.fallback_clinic if weekday < 6 else 0
    return cid


def _blocked(world: World, room: Room, start: int, end: int) -> bool:
    """True when the room's equipment is down for more than half of [start, end)."""
    if not room.equipment_id:
        return False
    down = 0
    for b0, b1 in world.equipment[room.equipment_id - 1].blocks:
        if b0 < end and b1 > start:
            down += min(end, b1) - max(start, b0)
    return down * 2 > end - start


def _pick_rooms(rng: Rng, rooms: list[Room], n: int) -> list[Room]:
    """n distinct imaging/procedure rooms, favouring the busy modalities."""
    pool = list(rooms)
    out: list[Room] = []
    while pool and len(out) < n:
        weights = [
            MODALITY_WEIGHT["procedure" if r.room_type == "procedure" else r.modality or "xray"] for r in pool
        ]
        x = rng.random() * sum(weights)
        for k, w in enumerate(weights):
            x -= w
            if x <= 0 or k == len(pool) - 1:
                out.append(pool.pop(k))
                break
    return out


def build(world: World) -> None:
    rng = stream(world.seed, "roster")
    rows = world.shift_rows
    clinic_rooms: dict[int, dict[str, list[Room]]] = {}
    for room in world.rooms:
        groups = clinic_rooms.setdefault(room.clinic_id, {"consult": [], "cardio": [], "imaging": []})
        if room.room_type == "consultation":
            groups["consult"].append(room)
        elif room.room_type == "examination" and room.equipment_id:
            groups["cardio"].append(room)
        elif room.room_type in {"imaging", "procedure"}:
            groups["imaging"].append(room)
    today = world.today.toordinal()
    # The demo patient's scans (scheduler.DEMO_PINS) need that modality staffed at the flagship.
    pinned = {today + offset: kind[4:] for offset, kind, *_ in DEMO_PINS if kind.startswith("img:")}
    shortage_day = today + (1 - (today - 1) % 7) % 7 + 7  # next week's Tuesday: a nurse shortage
    for day in range(world.first_day, world.last_day + 1):
        weekday = (day - 1) % 7
        by_clinic: dict[int, list[Doctor]] = {}
        for doc in world.doctors:
            if day < doc.joined or day in doc.leave:
                continue
            cid = _effective_clinic(world, doc, day, weekday)
            if cid:
                by_clinic.setdefault(cid, []).append(doc)
        lanes: list[Lane] = []
        for clinic in world.clinics:
            if not clinic.open_on(day):
                continue
            open_min, close_min = clinic.hours[weekday]
            docs = by_clinic.get(clinic.id, [])
            groups = clinic_rooms.get(clinic.id, {"consult": [], "cardio": [], "imaging": []})
            for s0, s1 in _sessions(open_min, close_min):
                start_ts, end_ts = world.local.at(day, s0), world.local.at(day, s1)
                consult = list(groups["consult"])
                cardio = list(groups["cardio"])
                imaging = [r for r in groups["imaging"] if not _blocked(world, r, start_ts, end_ts)]
                rads = [d for d in docs if d.kind == "rad"]
                rooms = _pick_rooms(rng, imaging, len(rads))
                wanted = pinned.get(day) if clinic.id == 1 and s0 < LUNCH[0] else None
                if wanted and rooms and not any(r.modality == wanted for r in rooms):
                    rooms[0] = next((r for r in imaging if r.modality == wanted), rooms[0])
                picked = iter(rooms)
                for doc in docs:
                    if doc.kind == "rad":
                        room = next(picked, None)
                        kind = (
                            "proc"
                            if room and room.room_type == "procedure"
                            else f"img:{room and room.modality}"
                        )
                    else:
                        free = cardio if doc.kind == "cardio" else consult
                        room = free.pop(0) if free else None
                        kind = doc.kind
                    if room is None:
                        continue
                    lanes.append(Lane(day, clinic.id, doc.id, room.id, room.equipment_id, kind, s0, s1))
                    rows.append(
                        (
                            len(rows) + 1,
                            clinic.id,
                            doc.user.id,
                            room.department_id,
                            room.id,
                            "radiologist" if doc.kind == "rad" else "doctor",
                            start_ts,
                            end_ts,
                            False,
                        )
                    )
            _staff_shifts(world, rng, clinic, day, weekday, open_min, close_min, day == shortage_day)
        world.lanes_by_day[day] = lanes


def _staff_shifts(
    world: World, rng: Rng, clinic: Clinic, day: int, weekday: int, open_min: int, close_min: int, short: bool
) -> None:
    rows = world.shift_rows
    nurses_kept = 0
    for staff in world.staff:
        if staff.clinic_id != clinic.id or not staff.duty_role or weekday not in staff.weekdays:
            continue
        if day in staff.leave or day < staff.starts_on.toordinal():
            continue
        s0, s1 = open_min, close_min
        if staff.duty_role == "reception":
            s0, s1 = open_min - 15, close_min + 15
        cancelled = rng.chance(0.01) and day < world.today.toordinal()
        if short and clinic.id == 1 and staff.duty_role == "nurse":
            cancelled = nurses_kept >= 1
            nurses_kept += 1
        dept = clinic.departments.get(staff.department or "")
        rows.append(
            (
                len(rows) + 1,
                clinic.id,
                staff.user.id,
                dept,
                None,
                staff.duty_role,
                world.local.at(day, s0),
                world.local.at(day, s1),
                cancelled,
            )
        )
