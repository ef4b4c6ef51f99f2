"""Services, medical aid schemes and tariffs, medicines and their curated interactions."""

from __future__ import annotations

from decimal import Decimal

from mediconnect.seed.emitters import Rows, emits, money
from mediconnect.seed.world import World


@emits(
    "services",
    "id code name category modality department_name duration_minutes price cost preparation "
    "preparation_items fasting_hours room_type requires_equipment referral_required is_active",
)
def services(w: World) -> Rows:
    for s in w.services:
        x = s.spec
        yield (
            s.id,
            x.code,
            x.name,
            x.category,
            x.modality,
            x.department,
            x.duration,
            money(x.price_cents),
            money(x.cost_cents),
            x.preparation,
            list(x.preparation_items),
            x.fasting_hours,
            x.room_type,
            x.requires_equipment,
            x.referral_required,
            True,
        )


@emits(
    "medical_aid_schemes",
    "id code name coverage_percent annual_limit authorisation_threshold claim_turnaround_days is_active",
)
def schemes(w: World) -> Rows:
    for s in w.schemes:
        x = s.spec
        threshold = (
            money(x.authorisation_threshold_cents) if x.authorisation_threshold_cents is not None else None
        )
        yield (
            s.id,
            x.code,
            x.name,
            x.coverage_percent,
            money(x.annual_limit_cents),
            threshold,
            x.claim_turnaround_days,
            True,
        )


@emits("scheme_tariffs", "id scheme_id service_id tariff_cap coverage_percent requires_authorisation covered")
def tariffs(w: World) -> Rows:
    for i, ((scheme_id, service_id), t) in enumerate(sorted(w.tariffs.items()), start=1):
        own = Decimal(f"{t.coverage_percent:.2f}") if t.own_coverage else None
        yield (i, scheme_id, service_id, money(t.cap_cents), own, t.requires_authorisation, t.covered)


@emits("medications", "id name drug_class")
def medications(w: World) -> Rows:
    yield from w.medications


@emits("medication_interactions", "id medication_a_id medication_b_id severity description")
def interactions(w: World) -> Rows:
    yield from w.interactions
