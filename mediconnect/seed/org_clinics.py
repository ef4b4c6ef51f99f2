"""Clinics, their opening hours and closures, departments, rooms, equipment, maintenance windows,
capacity-reducing events and staffing requirements."""

from __future__ import annotations

from datetime import date, timedelta

from mediconnect.seed import datafiles
from mediconnect.seed.clock import DAY, HOUR, MINUTE, public_holidays
from mediconnect.seed.rng import Rng, stream
from mediconnect.seed.vocab_ops import (
    BREAKDOWNS,
    EQUIPMENT_MODELS,
    EVENTS,
    INFRA_WORK,
    MAINTENANCE_INTERVAL,
    STREETS,
)
from mediconnect.seed.world import Clinic, Equipment, Room, World

SITE_ORDER = (
    "Rosebank",
    "Gardens",
    "Umhlanga",
    "Hatfield",
    "Sandton",
    "Bellville",
    "Soweto",
    "Walmer",
    "Westdene",
    "Berea",
    "Centurion",
    "Polokwane",
    "Pietermaritzburg",
    "Midrand",
    "Benoni",
    "Stellenbosch",
    "George",
    "Vincent",
    "Mthatha",
    "Mbombela",
    "Rustenburg",
    "Kimberley",
    "Mahikeng",
    "Tzaneen",
)
WAIT_TARGETS = {
    "Radiology": 20.0,
    "Women's Imaging": 15.0,
    "General Practice": 15.0,
    "Paediatrics": 15.0,
    "Cardiology": 20.0,
    "Orthopaedics": 20.0,
}
KIND_DEPARTMENT = {
    "gp": "General Practice",
    "paed": "Paediatrics",
    "cardio": "Cardiology",
    "ortho": "Orthopaedics",
}
ROOM_LABEL = {
    "xray": "X-ray Room",
    "ct": "CT Suite",
    "mri": "MRI Suite",
    "ultrasound": "Ultrasound Room",
    "mammography": "Mammography Room",
    "fluoroscopy": "Fluoroscopy Room",
    "dexa": "DEXA Room",
}


def build_clinics(world: World) -> None:
    scale, rng = world.scale, stream(world.seed, "clinics")
    places = sorted(datafiles.places(), key=lambda p: SITE_ORDER.index(p.site))
    total = scale.operating_clinics + scale.pending_clinics + scale.suspended_clinics
    if total > len(places):
        raise ValueError(f"places.csv has {len(places)} sites, the scale needs {total}")
    today = world.today.toordinal()
    holidays: dict[int, str] = {}
    for year in range(world.today.year - 3, world.today.year + 2):
        holidays.update({d.toordinal(): name for d, name in public_holidays(year).items()})
    codes: set[str] = set()
    for i, place in enumerate(places[:total]):
        cid = i + 1
        if i < scale.operating_clinics:
            status = "active"
        elif i < scale.operating_clinics + scale.pending_clinics:
            status = "pending_verification"
        else:
            status = "suspended"
        code = f"MC-{place.site[:3].upper()}"
        while code in codes:
            code = f"MC-{place.site[:2].upper()}{len(codes)}"
        codes.add(code)
        if cid == 1:
            established = date(2012, 3, 1)
        elif status == "pending_verification":
            established = world.today - timedelta(days=20)
        else:
            established = world.today - timedelta(days=rng.randint(3 * 365, 12 * 365))
        active_until = world.last_day + 1
        if status == "suspended":
            active_until = today - 90
        active_from = world.first_day if status != "pending_verification" else world.last_day + 1
        clinic = Clinic(
            id=cid,
            code=code,
            name=f"MediConnect {place.site}",
            place=place,
            address=f"{rng.randint(2, 240)} {rng.pick(STREETS)}, {place.site}",
            phone=f"+27 10 {500 + cid:03d} {rng.randint(1000, 9999)}",
            email=f"{place.site.lower()}@mediconnect.local",
            established=established,
            status=status,
            accreditation=None
            if status == "pending_verification"
            else rng.pick(
                ("COHSASA Accredited", "ISO 9001:2015 Certified", "COHSASA Accredited", "JCI Accredited")
            ),
            created_ts=world.local.at(established.toordinal(), 9 * 60),
            active_from=max(active_from, established.toordinal()),
            active_until=active_until,
            wait_factor=1.25 if cid == 1 else rng.between(0.7, 1.5),
            facility_quality=0.2 if cid == 1 else rng.between(-0.35, 0.3),
        )
        weekday_hours = (450, 1050) if cid == 1 or rng.chance(0.5) else (480, 1020)
        clinic.hours = {wd: weekday_hours for wd in range(5)}
        clinic.hours[5] = (480, 780)  # Saturday: half day
        if cid == 1:
            clinic.hours[6] = (540, 780)  # the flagship's Sunday-morning walk-in session
        for o in range(world.first_day, world.last_day + 1):
            if o in holidays and not (cid == 1 and o == today):
                clinic.closures[o] = holidays[o]
        for year_start in range(world.first_day, world.last_day, 365):
            o = year_start + rng.randint(20, 340)
            if (o - 1) % 7 < 5 and o not in clinic.closures and abs(o - today) > 3:
                clinic.closures[o] = "Staff training day"
        world.clinics.append(clinic)


def _add_department(world: World, clinic: Clinic, name: str) -> int:
    if name not in clinic.departments:
        did = len(world.department_rows) + 1
        world.department_rows.append((did, clinic.id, name, WAIT_TARGETS[name]))
        clinic.departments[name] = did
    return clinic.departments[name]


def _add_room(world: World, clinic: Clinic, dept: str, name: str, room_type: str) -> Room:
    room = Room(len(world.rooms) + 1, clinic.id, _add_department(world, clinic, dept), name, room_type)
    world.rooms.append(room)
    return room


def _add_equipment(world: World, rng: Rng, clinic: Clinic, room: Room, modality: str) -> Equipment:
    eid = len(world.equipment) + 1
    maker, model = rng.pick(EQUIPMENT_MODELS[modality])
    installed = max(clinic.established, world.today - timedelta(days=rng.randint(900, 3000)))
    eq = Equipment(
        eid,
        clinic.id,
        room.id,
        f"{model} ({room.name})",
        modality,
        maker,
        f"{maker[:3].upper()}-{clinic.id:03d}-{eid:05d}",
        installed,
        MAINTENANCE_INTERVAL[modality],
    )
    world.equipment.append(eq)
    room.equipment_id, room.modality = eid, modality
    return eq


def build_facilities(world: World) -> None:
    """Departments, rooms and equipment sized to the doctors who work at each clinic."""
    rng = stream(world.seed, "facilities")
    for clinic in world.clinics:
        docs = [d for d in world.doctors if clinic.id in d.pattern.values() or d.fallback_clinic == clinic.id]
        rads = sum(1 for d in docs if d.kind == "rad")
        big = clinic.id == 1
        modalities = ["xray", "ultrasound"]
        modalities += ["ct", "mammography"] if big or rads >= 2 else []
        modalities += ["mri", "dexa"] if big or rads >= 3 else []
        modalities += ["fluoroscopy"] if big or rads >= 4 else []
        modalities += ["xray", "ultrasound"] if rads >= 5 else []
        counts: dict[str, int] = {}
        for modality in modalities:
            counts[modality] = counts.get(modality, 0) + 1
            dept = "Women's Imaging" if modality == "mammography" else "Radiology"
            label = ROOM_LABEL[modality]
            name = f"{label} {counts[modality]}" if modality in {"xray", "ultrasound"} else label
            _add_equipment(world, rng, clinic, _add_room(world, clinic, dept, name, "imaging"), modality)
        if big or rads >= 4:
            room = _add_room(world, clinic, "Radiology", "Procedure Room", "procedure")
            _add_equipment(world, rng, clinic, room, "ultrasound")
        for kind in ("gp", "paed", "ortho", "cardio"):
            n = sum(1 for d in docs if d.kind == kind)
            if kind == "gp" and clinic.status == "pending_verification":
                n = 2
            for k in range(n):
                dept = KIND_DEPARTMENT[kind]
                if kind == "cardio":
                    room = _add_room(world, clinic, dept, f"Cardiology Room {k + 1}", "examination")
                    _add_equipment(world, rng, clinic, room, "ecg")
                else:
                    _add_room(world, clinic, dept, f"{dept} Consulting Room {k + 1}", "consultation")
        _add_room(world, clinic, "General Practice", "Nurses' Examination Room", "examination")
        if "mammography" in modalities:
            _add_department(world, clinic, "Women's Imaging")
    _maintenance(world, stream(world.seed, "maintenance"))
    _events(world, stream(world.seed, "events"))
    _staffing_requirements(world)


def _status(world: World, start: int, end: int) -> str:
    if end <= world.now:
        return "completed"
    return "in_progress" if start <= world.now else "scheduled"


def _maintenance(world: World, rng: Rng) -> None:
    today = world.today.toordinal()
    rows = world.maintenance_rows
    special_due = next((e.id for e in world.equipment if e.clinic_id == 1 and e.modality == "ct"), 1)
    special_down = next((e.id for e in world.equipment if e.modality == "xray" and e.clinic_id == 2), 0)
    special_overdue = next((e.id for e in world.equipment if e.modality == "dexa"), 0)
    for eq in world.equipment:
        clinic = world.clinic(eq.clinic_id)
        start_day = max(world.first_day, eq.installed_on.toordinal())
        interval = eq.interval_days
        windows: list[tuple[int, int, bool, str, str, str]] = []
        phase = start_day + rng.randint(0, interval - 1)
        if eq.id == special_due:
            phase = today + 3 - interval * ((today + 3 - start_day) // interval)
        o = phase
        while o <= world.last_day:
            day = o
            while (day - 1) % 7 > 5 or day in clinic.closures:
                day += 1
            if (day - 1) % 7 == 5 or (eq.modality not in {"ct", "mri"} and rng.chance(0.5)):
                start = world.local.at(day, 13 * 60 + 30 if (day - 1) % 7 == 5 else 17 * 60 + 30)
                end = start + 4 * HOUR
            else:
                start = world.local.at(day, 7 * 60)
                end = start + (6 if eq.modality in {"ct", "mri"} else 4) * HOUR
            status = _status(world, start, end)
            last_before_today = status == "completed" and o + interval > today
            if eq.id == special_overdue and last_before_today:
                status = "cancelled"
            windows.append(
                (start, end, True, "Preventive maintenance", status, "Room unavailable during service")
            )
            o += interval + rng.randint(-5, 5)
        for year_start in range(start_day, today, 365):
            if rng.chance(0.6):
                day = year_start + rng.randint(0, min(364, today - year_start - 2))
                start = world.local.at(day, 10 * 60)
                end = world.local.at(day + rng.randint(0, 2), 17 * 60)
                if end < world.now:
                    title = f"Unplanned repair: {rng.pick(BREAKDOWNS)}"
                    windows.append(
                        (start, end, False, title, "completed", "Appointments moved to other rooms")
                    )
        if eq.id == special_down:
            start, end = world.local.at(today - 1, 14 * 60), world.local.at(today + 1, 17 * 60)
            windows.append(
                (
                    start,
                    end,
                    False,
                    "Unplanned repair: Detector calibration fault",
                    "in_progress",
                    "Room closed; bookings moved to X-ray Room 2 or other clinics",
                )
            )
            eq.status = "maintenance"
        for start, end, planned, title, status, impact in sorted(windows):
            created = start - rng.randint(1, 30) * DAY if planned else start + 10 * MINUTE
            rows.append(
                (
                    len(rows) + 1,
                    eq.clinic_id,
                    eq.id,
                    None,
                    f"{title}: {eq.name}"[:120],
                    start,
                    end,
                    planned,
                    status,
                    impact,
                    min(created, world.now),
                )
            )
            if status != "cancelled":
                eq.blocks.append((start, end))
            if status == "completed":
                eq.last_maintenance_ts = max(eq.last_maintenance_ts, end)
    for clinic in world.clinics:
        if clinic.status == "pending_verification":
            continue
        day = world.first_day + rng.randint(0, 100)
        while day <= world.last_day:
            while (day - 1) % 7 != 5:
                day += 1
            title, impact = rng.pick(INFRA_WORK)
            start = world.local.at(day, 14 * 60)
            end = start + 4 * HOUR
            rows.append(
                (
                    len(rows) + 1,
                    clinic.id,
                    None,
                    None,
                    title,
                    start,
                    end,
                    True,
                    _status(world, start, end),
                    impact,
                    min(start - 14 * DAY, world.now),
                )
            )
            day += rng.randint(70, 130)


def _events(world: World, rng: Rng) -> None:
    rows = world.event_rows
    for clinic in world.clinics:
        if clinic.status == "pending_verification":
            continue
        first = date.fromordinal(world.first_day).replace(day=1)
        month = first
        while month.toordinal() <= world.last_day:
            # the second Wednesday of each month: a staff education session in the afternoon
            d = month + timedelta(days=(2 - month.weekday()) % 7 + 7)
            kind, title, reduction, impact = EVENTS[(month.month + clinic.id) % 4]
            if month.month == 10 and clinic.id % 2 == 1:
                kind, title, reduction, impact = EVENTS[5]
            o = d.toordinal()
            if world.first_day <= o <= world.last_day and o not in clinic.closures:
                start_min = 9 * 60 if kind in {"community", "inspection"} else 14 * 60
                start = world.local.at(o, start_min)
                end = start + (6 if kind == "community" else 2) * HOUR
                rows.append(
                    (len(rows) + 1, clinic.id, kind, title, start, end, rng.randint(6, 25), reduction, impact)
                )
                if reduction > 0 and clinic.active_from <= o < clinic.active_until:
                    clinic.events.append((start, end, reduction))
            month = (month + timedelta(days=32)).replace(day=1)


def _staffing_requirements(world: World) -> None:
    rows = world.staffing_rows
    for clinic in world.clinics:
        if clinic.status != "active":
            continue
        docs = [d for d in world.doctors if clinic.id in d.pattern.values()]
        rads = sum(1 for d in docs if d.kind == "rad")
        for wd in sorted(clinic.hours):
            half = wd >= 5
            need = {
                "doctor": max(1, round((len(docs) - rads) * (0.3 if half else 0.6))),
                "radiologist": max(1 if rads else 0, round(rads * (0.3 if half else 0.6))),
                "radiographer": 1 if half else 2,
                "sonographer": 1,
                "nurse": 1 if half else 2,
                "reception": 1 if half else 2,
            }
            if wd == 6:
                need = {"doctor": 1, "nurse": 1, "reception": 1}
            for role, n in need.items():
                rows.append((len(rows) + 1, clinic.id, wd, role, n))
