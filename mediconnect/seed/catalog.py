"""Services, medical aid schemes with their per-service tariffs, medicines and interactions."""

from __future__ import annotations

from datetime import date

from mediconnect.seed import datafiles
from mediconnect.seed.rng import stream
from mediconnect.seed.world import Scheme, Service, Tariff, World

CONSULT_KINDS = {
    "General Practice": "gp",
    "Paediatrics": "paed",
    "Cardiology": "cardio",
    "Orthopaedics": "ortho",
}

# Schemes that exclude a service from their plan options (covered=False).
EXCLUSIONS = {
    ("BAO", "DX-BMD"),
    ("BAO", "MR-CARDIAC"),
    ("BAO", "CT-CTA"),
    ("UBC", "CT-CTA"),
    ("COA", "ECG-STRESS"),
    ("UBC", "MR-CARDIAC"),
    ("COA", "MG-DIAG"),
}
# Per-modality adjustment of a scheme's tariff factor: schemes squeeze the expensive scans most.
MODALITY_CAP = {
    "ct": 0.9,
    "mri": 0.88,
    "consultation": 1.0,
    "ecg": 1.0,
    "xray": 0.97,
    "ultrasound": 0.95,
    "mammography": 1.0,
    "fluoroscopy": 0.93,
    "dexa": 0.95,
}


def service_kind(spec: datafiles.ServiceSpec) -> str:
    if spec.room_type == "procedure":
        return "proc"
    if spec.modality == "consultation":
        return CONSULT_KINDS[spec.department]
    if spec.modality == "ecg":
        return "cardio"
    return f"img:{spec.modality}"


def build(world: World) -> None:
    for i, spec in enumerate(datafiles.services(), start=1):
        svc = Service(id=i, spec=spec, kind=service_kind(spec))
        world.services.append(svc)
        world.service_by_code[spec.code] = svc
    rng = stream(world.seed, "tariffs")
    for i, spec in enumerate(datafiles.schemes(), start=1):
        world.schemes.append(Scheme(id=i, spec=spec))
        for svc in world.services:
            s = svc.spec
            factor = spec.tariff_factor * MODALITY_CAP[s.modality] * rng.between(0.97, 1.03)
            cap = round(s.price_cents * factor / 100.0) * 100
            own = None
            if s.modality == "consultation" and spec.code in {"BAO", "COA"}:
                own = 50.0  # hospital-plan style options pay little towards day-to-day consultations
            elif s.modality in {"mri", "ct"} and spec.code == "UBC":
                own = 60.0
            threshold = spec.authorisation_threshold_cents
            needs_auth = s.modality in {"ct", "mri"} or s.category == "procedure"
            needs_auth = needs_auth or (threshold is not None and s.price_cents > threshold)
            world.tariffs[(i, svc.id)] = Tariff(
                cap_cents=cap,
                coverage_percent=own if own is not None else float(spec.coverage_percent),
                own_coverage=own is not None,
                requires_authorisation=needs_auth,
                covered=(spec.code, s.code) not in EXCLUSIONS,
            )
    for i, (name, drug_class) in enumerate(datafiles.medications(), start=1):
        world.medications.append((i, name, drug_class))
        world.medication_by_name[name] = i
    for i, spec in enumerate(datafiles.interactions(), start=1):
        a = world.medication_by_name[spec.medication_a]
        b = world.medication_by_name[spec.medication_b]
        lo, hi = min(a, b), max(a, b)
        world.interactions.append((i, lo, hi, spec.severity, spec.description))
    pairs = [(x[1], x[2]) for x in world.interactions]
    if len(set(pairs)) != len(pairs):
        raise ValueError("medication_interactions.csv lists a pair twice")


def price_factor(world: World, ordinal: int) -> float:
    """Tariffs rise 6% every 1 January; the catalogue holds this year's prices."""
    years_back = world.today.year - date.fromordinal(ordinal).year
    return 1.06 ** (-years_back)
