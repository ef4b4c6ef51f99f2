"""Each patient's clinical picture: conditions by age, the chronic medicines those conditions
call for (which is how real interacting pairs arise: atrial fibrillation plus coronary disease
puts warfarin next to aspirin), short acute courses, and the demo patient's fixed record."""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from typing import Any

from mediconnect.seed.rng import stream
from mediconnect.seed.vocab_clinical import ACUTE_COURSES, CONDITIONS, DOSAGES
from mediconnect.seed.world import World

CHRONIC_SCRIPT_DAYS = 180
DEMO_CONDITIONS = (
    ("Atrial fibrillation", "managed", 900),
    ("Hypertension", "managed", 1500),
    ("Hyperlipidaemia", "active", 400),
    ("Osteoarthritis of knee", "active", 200),
)
DEMO_MEDICINES = ("Warfarin", "Aspirin", "Lisinopril", "Atorvastatin", "Paracetamol")
FLAG = {name: 1 << k for k, (name, *_rest) in enumerate(CONDITIONS)}


@dataclass
class Clinical:
    # (patient id, condition index, diagnosed ordinal, status, doctor id or 0)
    conditions: list[tuple[int, int, int, str, int]] = field(default_factory=list)
    # (patient id, medication id, doctor id or 0, prescribed ordinal, ends ordinal or 0, status,
    #  refills allowed, refills used, remaining doses, next refill ordinal or 0)
    prescriptions: list[tuple[int, int, int, int, int, str, int, int, int, int]] = field(default_factory=list)
    flags: array = field(default_factory=lambda: array("i"))  # per patient index: bit per condition
    labs: Any = None  # lab_sim.Labs


def simulate(world: World) -> None:
    rng, p, today = stream(world.seed, "clinical"), world.patients, world.today.toordinal()
    med = world.medication_by_name
    out = Clinical(flags=array("i", bytes(4 * len(p))))
    clinicians = [d.id for d in world.doctors if d.kind != "rad"] or [1]
    for i in range(len(p)):
        pid, age = i + 1, p.age_on(i, today)
        doctor = p.primary_doctor[i] or rng.choice(clinicians)
        chosen: list[tuple[int, int, str]] = []
        if i == 0:
            names = [c[0] for c in CONDITIONS]
            chosen = [(names.index(n), today - days, status) for n, status, days in DEMO_CONDITIONS]
        else:
            for k, (_name, _icd, min_age, p_young, p_old, _meds) in enumerate(CONDITIONS):
                if age >= min_age and rng.random() < (p_young if age < 50 else p_old):
                    earliest = max(p.dob[i] + min_age * 365, today - 3650)
                    diagnosed = rng.randint(min(earliest, today - 30), today - 30)
                    status = (
                        "active" if rng.random() < 0.55 else "managed" if rng.random() < 0.8 else "resolved"
                    )
                    chosen.append((k, diagnosed, status))
        medicines: dict[int, int] = {}
        for k, diagnosed, status in chosen:
            out.flags[i] |= 1 << k
            by = doctor if rng.random() < 0.6 or i == 0 else 0
            out.conditions.append((pid, k, diagnosed, status, by))
            if status == "resolved":
                continue
            for group in CONDITIONS[k][5]:
                if i != 0:
                    medicines.setdefault(med[rng.choice(group)], diagnosed)
        if i == 0:
            medicines = {med[name]: today - 400 for name in DEMO_MEDICINES}
        for med_id, since in sorted(medicines.items()):
            _add_chronic(
                out, rng, pid, med_id, world.medications[med_id - 1][1], doctor, since, today, i == 0
            )
        if i and rng.random() < 0.3:
            for _ in range(rng.randint(1, 2)):
                name, _dose, days = rng.choice(ACUTE_COURSES)
                start = today - rng.randint(1, 700)
                ends = start + days
                active = ends >= today
                doses = DOSAGES.get(name, ("", 1))[1]
                out.prescriptions.append(
                    (
                        pid,
                        med[name],
                        doctor,
                        start,
                        ends,
                        "active" if active else "completed",
                        0,
                        0,
                        max(0, ends - today) * doses if active else 0,
                        0,
                    )
                )
    world.clinical = out


def _add_chronic(
    out: Clinical, rng, pid: int, med_id: int, name: str, doctor: int, since: int, today: int, demo: bool
) -> None:  # type: ignore[no-untyped-def]
    doses = DOSAGES.get(name, ("", 1))[1]
    start = max(since, today - 3 * 365)
    if not demo and rng.random() < 0.05:  # stopped (side effects, switched)
        out.prescriptions.append((pid, med_id, doctor, start, start + 90, "stopped", 2, 0, 0, 0))
        return
    # Scripts run for six months with five monthly refills; earlier scripts are completed.
    script = start
    while script + CHRONIC_SCRIPT_DAYS <= today:
        out.prescriptions.append(
            (pid, med_id, doctor, script, script + CHRONIC_SCRIPT_DAYS, "completed", 5, 5, 0, 0)
        )
        script += CHRONIC_SCRIPT_DAYS
    elapsed = today - script
    used = min(5, elapsed // 30)
    left_days = 30 - elapsed % 30 if rng.random() > 0.12 else rng.randint(0, 3)  # some need a refill urgently
    out.prescriptions.append(
        (
            pid,
            med_id,
            doctor,
            script,
            script + CHRONIC_SCRIPT_DAYS,
            "active",
            5,
            used,
            left_days * doses,
            today + left_days,
        )
    )
