"""Lab tests for patients with chronic conditions (and some others), with results: recent ones
still ordered, scheduled (some fasting) or collected, and some completed but not yet reviewed."""

from __future__ import annotations

from dataclasses import dataclass, field

from mediconnect.seed.clinical_sim import FLAG
from mediconnect.seed.clock import DAY, HOUR
from mediconnect.seed.rng import Rng, stream
from mediconnect.seed.vocab_clinical import LAB_LOCATIONS, LAB_PANELS
from mediconnect.seed.world import World

PANEL = {name: k for k, (name, *_r) in enumerate(LAB_PANELS)}
FOR_CONDITION = {
    "Hypertension": ("Urea and electrolytes",),
    "Type 2 diabetes mellitus": ("HbA1c", "Fasting glucose"),
    "Hyperlipidaemia": ("Lipid panel",),
    "Hypothyroidism": ("Thyroid function",),
    "Atrial fibrillation": ("INR",),
    "Rheumatoid arthritis": ("Full blood count", "Liver function tests"),
    "Heart failure": ("Urea and electrolytes",),
    "Osteoporosis": ("Vitamin D",),
}
HIGH_WHEN = {
    "HbA1c": "Type 2 diabetes mellitus",
    "Glucose (fasting)": "Type 2 diabetes mellitus",
    "LDL cholesterol": "Hyperlipidaemia",
    "Total cholesterol": "Hyperlipidaemia",
    "TSH": "Hypothyroidism",
}


@dataclass
class Labs:
    tests: list[tuple] = field(default_factory=list)  # type: ignore[type-arg]
    results: list[tuple] = field(default_factory=list)  # type: ignore[type-arg]


def _results(rng: Rng, labs: Labs, test_id: int, panel: int, flags: int) -> bool:
    abnormal = False
    for analyte, unit, low, high in LAB_PANELS[panel][3]:
        span = high - low
        cond = HIGH_WHEN.get(analyte)
        if cond and flags & FLAG[cond] and rng.random() < 0.6:
            value = high + span * rng.between(0.05, 0.6)
        elif rng.random() < 0.08:
            value = (
                high + span * rng.between(0.02, 0.4)
                if rng.random() < 0.6
                else low - span * rng.between(0.02, 0.3)
            )
        else:
            value = low + span * rng.between(0.1, 0.9)
        value = round(max(0.0, value), 2)
        flag = "normal"
        if value > high:
            flag = "critical" if value > high + span * 0.5 else "high"
        elif value < low:
            flag = "low"
        abnormal |= flag != "normal"
        labs.results.append((len(labs.results) + 1, test_id, analyte, value, unit, low, high, flag))
    return abnormal


def simulate(world: World) -> Labs:
    rng, p, flags, now = stream(world.seed, "labs"), world.patients, world.clinical.flags, world.now
    labs = Labs()
    clinicians = [d.id for d in world.doctors if d.kind != "rad"] or [1]
    for i in range(len(p)):
        wanted: list[int] = []
        for condition, panels in FOR_CONDITION.items():
            if flags[i] & FLAG[condition]:
                wanted += [PANEL[x] for x in panels]
        if not wanted and rng.random() < 0.1:
            wanted = [PANEL["Full blood count"]]
        if i == 0:
            wanted += [PANEL["INR"], PANEL["Lipid panel"]]
        doctor = p.primary_doctor[i] or rng.choice(clinicians)
        for panel in wanted[:6]:
            name, fasting, prep, _ = LAB_PANELS[panel]
            for _ in range(rng.randint(1, 2)):
                ordered = now - rng.randint(HOUR, 700 * DAY)
                ordered = max(ordered, p.registered[i])
                age = now - ordered
                status, scheduled, completed, reviewed, summary = "completed", 0, 0, 0, None
                if age < 2 * DAY or (i == 0 and panel == PANEL["Lipid panel"]):
                    status = rng.choice(("ordered", "scheduled", "collected"))
                    if i == 0:
                        status = "scheduled"
                    if status == "scheduled":
                        scheduled = world.local.at(world.today.toordinal() + rng.randint(1, 10), 7 * 60 + 30)
                elif rng.random() < 0.02:
                    status = "cancelled"
                test_id = len(labs.tests) + 1
                if status == "completed":
                    completed = ordered + rng.randint(8 * HOUR, 3 * DAY)
                    if completed > now:
                        status, completed = "collected", 0
                if status == "completed":
                    abnormal = _results(rng, labs, test_id, panel, flags[i])
                    summary = (
                        f"{name}: {'abnormal values flagged' if abnormal else 'results within normal range'}"
                    )
                    if now - completed > 5 * DAY or rng.random() < 0.6:
                        reviewed = min(now, completed + rng.randint(HOUR, 4 * DAY))
                location = rng.choice(LAB_LOCATIONS)
                labs.tests.append(
                    (
                        test_id,
                        i + 1,
                        doctor,
                        name,
                        location,
                        fasting,
                        prep,
                        status,
                        ordered,
                        scheduled,
                        completed,
                        reviewed,
                        summary,
                    )
                )
    return labs
