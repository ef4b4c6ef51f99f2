"""Client-visible shapes of the booking page, built from service results on the server.

Only these go to the browser: catalogue data everyone may see, and the caller's own quote.
Money is already formatted (``kit.format.money``), times are clinic-local.
"""

from __future__ import annotations

from typing import Any, TypedDict

from mediconnect.features.kit.format import MODALITY_LABELS, money, percent
from mediconnect.services.booking_choices import ClinicChoice, ServiceChoice


class ServiceCard(TypedDict):
    id: str
    name: str
    duration: str
    price: str
    preparation: str
    referral_required: bool


class ServiceGroup(TypedDict):
    label: str
    items: list[ServiceCard]


class ClinicCard(TypedDict):
    """A clinic to choose, shown as a card with its address (richer than a select ``Option``)."""

    id: str
    name: str
    where: str


class QuoteView(TypedDict):
    price: str
    scheme: str
    coverage: str
    tariff_cap: str
    annual_limit_remaining: str
    authorisation: str
    authorisation_kind: str  # ok | warn
    medical_aid_portion: str
    shortfall: str
    co_payment: str
    patient_portion: str
    due_now: str
    due_after_claim: str
    private: bool
    lines: list[str]


def service_groups(services: list[ServiceChoice]) -> list[ServiceGroup]:
    groups: dict[str, list[ServiceCard]] = {}
    for s in services:
        groups.setdefault(s["modality"], []).append(
            ServiceCard(
                id=str(s["id"]),
                name=s["name"],
                duration=f"{s['duration_minutes']} min",
                price=money(s["price"]),
                preparation=s["preparation"],
                referral_required=s["referral_required"],
            )
        )
    order = list(MODALITY_LABELS)
    return [
        ServiceGroup(label=MODALITY_LABELS.get(m, m.title()), items=items)
        for m, items in sorted(groups.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99)
    ]


def clinic_cards(clinics: list[ClinicChoice]) -> list[ClinicCard]:
    return [
        ClinicCard(id=str(c["id"]), name=c["name"], where=f"{c['address']}, {c['city']}") for c in clinics
    ]


def quote_view(q: Any) -> QuoteView:
    status = str(getattr(q, "authorisation_status", "") or "")
    if not q.authorisation_required:
        auth, kind = "Not required", "ok"
    elif status == "approved":
        auth, kind = "Required: approved", "ok"
    else:
        auth, kind = "Required: not yet approved. The clinic requests it before your visit.", "warn"
    private = getattr(q, "scheme_name", None) is None
    return QuoteView(
        price=money(q.price),
        scheme=q.scheme_name or "No medical aid (private)",
        coverage="—" if private else percent(q.coverage_percent),
        tariff_cap=money(q.tariff_cap) if q.tariff_cap is not None else "No cap",
        annual_limit_remaining=money(q.annual_limit_remaining)
        if q.annual_limit_remaining is not None
        else "—",
        authorisation=auth,
        authorisation_kind=kind,
        medical_aid_portion=money(q.medical_aid_portion),
        shortfall=money(q.shortfall),
        co_payment=money(q.co_payment),
        patient_portion=money(q.patient_portion),
        due_now=money(q.due_now),
        due_after_claim=money(q.due_after_claim),
        private=private,
        lines=[str(line) for line in q.lines],
    )
