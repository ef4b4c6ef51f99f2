"""The data files shipped in mediconnect/data, parsed into small immutable records."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[1] / "data"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _cents(text: str) -> int:
    return int((Decimal(text) * 100).to_integral_value())


@dataclass(frozen=True, slots=True)
class ServiceSpec:
    code: str
    name: str
    category: str
    modality: str
    department: str
    duration: int
    price_cents: int
    cost_cents: int
    preparation: str | None
    preparation_items: tuple[str, ...]
    fasting_hours: int
    room_type: str
    requires_equipment: bool
    referral_required: bool
    popularity: float
    pool: str


@dataclass(frozen=True, slots=True)
class SchemeSpec:
    code: str
    name: str
    coverage_percent: Decimal
    annual_limit_cents: int
    authorisation_threshold_cents: int | None
    claim_turnaround_days: int
    tariff_factor: float
    denial_rate: float
    market_share: float


@dataclass(frozen=True, slots=True)
class Place:
    region: str
    city: str
    site: str
    area_shares: tuple[float, float, float]  # urban, suburban, rural
    weight: float


@dataclass(frozen=True, slots=True)
class InteractionSpec:
    medication_a: str
    medication_b: str
    severity: str
    description: str


def _bool(text: str) -> bool:
    return text.strip().lower() in {"1", "true", "yes"}


@lru_cache
def services() -> tuple[ServiceSpec, ...]:
    return tuple(
        ServiceSpec(
            code=r["code"],
            name=r["name"],
            category=r["category"],
            modality=r["modality"],
            department=r["department"],
            duration=int(r["duration_minutes"]),
            price_cents=_cents(r["price"]),
            cost_cents=_cents(r["cost"]),
            preparation=r["preparation"] or None,
            preparation_items=tuple(i for i in r["preparation_items"].split("|") if i),
            fasting_hours=int(r["fasting_hours"]),
            room_type=r["room_type"],
            requires_equipment=_bool(r["requires_equipment"]),
            referral_required=_bool(r["referral_required"]),
            popularity=float(r["popularity"]),
            pool=r["patient_pool"],
        )
        for r in _rows("services.csv")
    )


@lru_cache
def schemes() -> tuple[SchemeSpec, ...]:
    return tuple(
        SchemeSpec(
            code=r["code"],
            name=r["name"],
            coverage_percent=Decimal(r["coverage_percent"]),
            annual_limit_cents=_cents(r["annual_limit"]),
            authorisation_threshold_cents=_cents(r["authorisation_threshold"])
            if r["authorisation_threshold"]
            else None,
            claim_turnaround_days=int(r["claim_turnaround_days"]),
            tariff_factor=float(r["tariff_factor"]),
            denial_rate=float(r["denial_rate"]),
            market_share=float(r["market_share"]),
        )
        for r in _rows("medical_aid_schemes.csv")
    )


@lru_cache
def medications() -> tuple[tuple[str, str], ...]:
    return tuple((r["name"], r["drug_class"]) for r in _rows("medications.csv"))


@lru_cache
def interactions() -> tuple[InteractionSpec, ...]:
    return tuple(
        InteractionSpec(r["medication_a"], r["medication_b"], r["severity"], r["description"])
        for r in _rows("medication_interactions.csv")
    )


@lru_cache
def names() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {"female": [], "male": [], "surname": []}
    for r in _rows("names.csv"):
        out[r["kind"]].append(r["value"])
    return {k: tuple(v) for k, v in out.items()}


@lru_cache
def places() -> tuple[Place, ...]:
    return tuple(
        Place(
            region=r["region"],
            city=r["city"],
            site=r["site"],
            area_shares=(float(r["urban_share"]), float(r["suburban_share"]), float(r["rural_share"])),
            weight=float(r["weight"]),
        )
        for r in _rows("places.csv")
    )
