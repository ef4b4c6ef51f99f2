"""What a service costs a patient, before booking: price, medical aid cover and what is due when.

Pure arithmetic over the catalogue, the patient's medical aid membership on the day, the
scheme's per-service tariff and what the scheme has already paid or committed this calendar
year. Nothing is written, so the booking page can quote as often as it likes.

The rules, in order (all money Decimal, rounded half-up to cents once, at the scheme's share):

* No membership active on the day (status active, valid_from <= day <= valid_to, scheme
  active): a private patient, who pays the whole price.
* Tariff row says ``covered = False``: the scheme pays nothing; the whole price is shortfall.
* Otherwise ``covered_base = min(price, tariff_cap)`` (the price when there is no tariff row);
  ``shortfall = price - covered_base``; the scheme pays ``coverage% x covered_base`` (the
  tariff's % overrides the scheme's), never more than the annual limit remaining;
  ``co_payment = covered_base - scheme share``; ``patient_portion = shortfall + co_payment``.
* Annual limit remaining = annual limit - what this membership's claims this calendar year
  have been paid, approved or claimed (denied claims excluded) - the medical aid portion of
  this patient's invoices that are not claimed yet (booked, not yet billed to the scheme), so
  two bookings on one day cannot both spend the same remaining limit. Never below zero.
* Authorisation is required when the tariff says so or the price exceeds the scheme's
  threshold; it counts as approved when an approved pre-authorisation for this membership and
  service is valid on the day. Unapproved, the cover is still shown, flagged "required".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from mediconnect.core.money import CENTS, cents, for_people, wire
from mediconnect.models.billing import Claim, ClaimStatus, Invoice, InvoiceStatus
from mediconnect.models.catalog import SchemeTariff, Service
from mediconnect.models.patients import (
    MedicalAidMembership,
    MedicalAidScheme,
    MembershipStatus,
    PreAuthorisation,
    PreAuthStatus,
)

ZERO = Decimal("0.00")
HUNDRED = Decimal(100)

AUTH_NOT_REQUIRED = "not_required"
AUTH_APPROVED = "approved"
AUTH_REQUIRED = "required"


class PricingError(ValueError):
    """The quote cannot be made (unknown or inactive service, unknown patient)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def rand(value: Decimal) -> str:
    """Money for a sentence: R1 250.00 (``core.money.for_people``)."""
    return for_people(value)


def _pct(value: Decimal) -> str:
    return f"{value.normalize():f}%"


@dataclass(frozen=True, slots=True)
class Quote:
    service_id: int
    service_name: str
    price: Decimal
    on: date
    membership_id: int | None
    scheme_id: int | None
    scheme_name: str | None
    covered: bool
    coverage_percent: Decimal  # 0-100, the rate actually applied
    tariff_cap: Decimal | None
    annual_limit_remaining: Decimal | None
    authorisation_required: bool
    authorisation_status: str  # not_required | approved | required
    medical_aid_portion: Decimal
    shortfall: Decimal
    co_payment: Decimal
    patient_portion: Decimal
    due_now: Decimal
    due_after_claim: Decimal
    lines: tuple[str, ...]

    @property
    def is_private(self) -> bool:
        return self.membership_id is None


def active_membership(
    session: Session, *, patient_id: int, on: date
) -> tuple[MedicalAidMembership, MedicalAidScheme] | None:
    """The membership in force on ``on`` (the primary one first), with its scheme."""
    m, s = MedicalAidMembership, MedicalAidScheme
    row = session.exec(
        select(m, s)
        .join(s, col(s.id) == col(m.scheme_id))
        .where(
            m.patient_id == patient_id,
            m.status == MembershipStatus.ACTIVE,
            col(m.valid_from) <= on,
            sa.or_(col(m.valid_to).is_(None), col(m.valid_to) >= on),
            col(s.is_active).is_(True),
        )
        .order_by(col(m.is_primary).desc(), col(m.id))
    ).first()
    return (row[0], row[1]) if row else None


def used_this_year(session: Session, *, membership: MedicalAidMembership, on: date) -> Decimal:
    """What the scheme has paid, approved or has pending for this membership in ``on``'s year."""
    start = datetime(on.year, 1, 1, tzinfo=UTC)
    end = datetime(on.year + 1, 1, 1, tzinfo=UTC)
    claimed = session.scalar(
        sa.select(
            sa.func.coalesce(
                sa.func.sum(
                    sa.func.coalesce(
                        col(Claim.paid_amount), col(Claim.approved_amount), col(Claim.claimed_amount)
                    )
                ),
                0,
            )
        ).where(
            col(Claim.membership_id) == membership.id,
            col(Claim.status) != ClaimStatus.DENIED,
            col(Claim.submitted_at) >= start,
            col(Claim.submitted_at) < end,
        )
    )
    # Booked but not yet claimed: the cover those invoices promised is already spoken for.
    unclaimed = session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(col(Invoice.medical_aid_portion)), 0)).where(
            col(Invoice.patient_id) == membership.patient_id,
            col(Invoice.status) != InvoiceStatus.CANCELLED,
            col(Invoice.medical_aid_portion) > 0,
            col(Invoice.issued_at) >= start,
            col(Invoice.issued_at) < end,
            ~sa.exists().where(col(Claim.invoice_id) == col(Invoice.id)),
        )
    )
    return cents(Decimal(str(claimed or 0)) + Decimal(str(unclaimed or 0)))


def _tariff(session: Session, *, scheme_id: int | None, service_id: int) -> SchemeTariff | None:
    return session.exec(
        select(SchemeTariff).where(SchemeTariff.scheme_id == scheme_id, SchemeTariff.service_id == service_id)
    ).first()


def authorisation_status(
    session: Session,
    *,
    membership: MedicalAidMembership,
    scheme: MedicalAidScheme,
    service_id: int,
    price: Decimal,
    on: date,
) -> str:
    """not_required | approved | required, for this membership, service, price and day."""
    tariff = _tariff(session, scheme_id=scheme.id, service_id=service_id)
    needed = bool(tariff and tariff.requires_authorisation) or (
        scheme.authorisation_threshold is not None and price > scheme.authorisation_threshold
    )
    if not needed:
        return AUTH_NOT_REQUIRED
    pa = PreAuthorisation
    approved = session.exec(
        select(pa.id).where(
            pa.membership_id == membership.id,
            pa.service_id == service_id,
            pa.status == PreAuthStatus.APPROVED,
            sa.or_(col(pa.valid_until).is_(None), col(pa.valid_until) >= on),
        )
    ).first()
    return AUTH_APPROVED if approved is not None else AUTH_REQUIRED


def quote(*, session: Session, service_id: int, patient_id: int, on: date) -> Quote:
    service = session.get(Service, service_id)
    if service is None or not service.is_active or service.id is None:
        raise PricingError("unknown_service", "That service is not offered.")
    price = cents(service.price)
    found = active_membership(session, patient_id=patient_id, on=on)
    if found is None:
        return _private(service, price, on)
    membership, scheme = found
    tariff = _tariff(session, scheme_id=scheme.id, service_id=service.id)
    remaining = max(ZERO, cents(scheme.annual_limit - used_this_year(session, membership=membership, on=on)))
    common: dict[str, Any] = dict(
        service_id=service.id,
        service_name=service.name,
        price=price,
        on=on,
        membership_id=membership.id,
        scheme_id=scheme.id,
        scheme_name=scheme.name,
        tariff_cap=cents(tariff.tariff_cap) if tariff else None,
        annual_limit_remaining=remaining,
    )
    if tariff is not None and not tariff.covered:
        return _not_covered(common, service.name, scheme.name, price)

    rate = Decimal(
        tariff.coverage_percent if tariff and tariff.coverage_percent is not None else scheme.coverage_percent
    )
    covered_base = min(price, cents(tariff.tariff_cap)) if tariff else price
    shortfall = price - covered_base
    full_share = cents(covered_base * rate / HUNDRED)
    scheme_share = min(full_share, remaining)
    co_payment = covered_base - scheme_share
    patient_portion = shortfall + co_payment
    auth = authorisation_status(
        session,
        membership=membership,
        scheme=scheme,
        service_id=service.id,
        price=price,
        on=on,
    )

    lines = _covered_lines(
        service.name,
        scheme.name,
        price=price,
        covered_base=covered_base,
        rate=rate,
        full_share=full_share,
        scheme_share=scheme_share,
        remaining=remaining,
        auth=auth,
    )
    return Quote(
        **common,
        covered=True,
        coverage_percent=rate.quantize(CENTS),
        authorisation_required=auth != AUTH_NOT_REQUIRED,
        authorisation_status=auth,
        medical_aid_portion=scheme_share,
        shortfall=shortfall,
        co_payment=co_payment,
        patient_portion=patient_portion,
        due_now=patient_portion,
        due_after_claim=ZERO,
        lines=lines,
    )


def _not_covered(common: dict[str, Any], service_name: str, scheme_name: str, price: Decimal) -> Quote:
    """The scheme excludes the service: the patient pays all of it."""
    excluded = (
        f"{service_name} costs {rand(price)}.",
        f"{scheme_name} does not cover this service, so you pay the full {rand(price)}.",
        f"{rand(price)} is due on the day, at the desk before your appointment (or online beforehand).",
    )
    return Quote(
        **common,
        covered=False,
        coverage_percent=ZERO,
        authorisation_required=False,
        authorisation_status=AUTH_NOT_REQUIRED,
        medical_aid_portion=ZERO,
        shortfall=price,
        co_payment=ZERO,
        patient_portion=price,
        due_now=price,
        due_after_claim=ZERO,
        lines=excluded,
    )


def _covered_lines(
    service_name: str,
    scheme_name: str,
    *,
    price: Decimal,
    covered_base: Decimal,
    rate: Decimal,
    full_share: Decimal,
    scheme_share: Decimal,
    remaining: Decimal,
    auth: str,
) -> tuple[str, ...]:
    """The quote explained in sentences, in the order the figures are worked out."""
    shortfall = price - covered_base
    co_payment = covered_base - scheme_share
    patient_portion = shortfall + co_payment
    lines: list[str] = [f"{service_name} costs {rand(price)}."]
    if shortfall > 0:
        lines.append(
            f"{scheme_name} recognises at most {rand(covered_base)} for this service; "
            f"the {rand(shortfall)} above that is a shortfall you pay."
        )
    lines.append(f"{scheme_name} covers {_pct(rate)} of {rand(covered_base)}: {rand(full_share)}.")
    if scheme_share < full_share:
        lines.append(
            f"Only {rand(remaining)} of your annual limit is left this year, so the scheme pays "
            f"{rand(scheme_share)} and the other {rand(full_share - scheme_share)} moves to you."
        )
    if co_payment > 0:
        lines.append(f"Your co-payment on the covered amount is {rand(co_payment)}.")
    if auth == AUTH_APPROVED:
        lines.append("Your scheme has pre-authorised this service.")
    elif auth == AUTH_REQUIRED:
        lines.append(
            f"{scheme_name} must pre-authorise this service: it pays its {rand(scheme_share)} only "
            f"once authorised; without it the full {rand(price)} would be yours to pay."
        )
    lines.append(
        f"You pay {rand(patient_portion)}, due on the day at the desk before your appointment "
        f"(or online beforehand); {scheme_name} is claimed {rand(scheme_share)} after your visit."
    )
    if scheme_share > 0:
        lines.append(f"Nothing more is due after the claim unless {scheme_name} declines it.")
    return tuple(lines)


def _private(service: Service, price: Decimal, on: date) -> Quote:
    assert service.id is not None
    lines = (
        f"{service.name} costs {rand(price)}.",
        "No medical aid membership is active on that day, so this is a private account: "
        f"you pay the full {rand(price)}.",
        f"{rand(price)} is due on the day, at the desk before your appointment (or online beforehand).",
    )
    return Quote(
        service_id=service.id,
        service_name=service.name,
        price=price,
        on=on,
        membership_id=None,
        scheme_id=None,
        scheme_name=None,
        covered=False,
        coverage_percent=ZERO,
        tariff_cap=None,
        annual_limit_remaining=None,
        authorisation_required=False,
        authorisation_status=AUTH_NOT_REQUIRED,
        medical_aid_portion=ZERO,
        shortfall=ZERO,
        co_payment=ZERO,
        patient_portion=price,
        due_now=price,
        due_after_claim=ZERO,
        lines=lines,
    )


def money(value: Decimal | None) -> str | None:
    """The spec's money string, or None where there is no amount (``core.money.wire``)."""
    return None if value is None else wire(value)


def quote_as_json(q: Quote) -> dict[str, Any]:
    """Money as strings ("1250.00"); the coverage rate also as a fraction (0.8)."""
    return {
        "service_id": q.service_id,
        "service_name": q.service_name,
        "date": q.on.isoformat(),
        "private": q.is_private,
        "scheme_name": q.scheme_name,
        "covered": q.covered,
        "coverage_percent": str(q.coverage_percent),
        "coverage_rate": float(q.coverage_percent / HUNDRED),
        "price": money(q.price),
        "tariff_cap": money(q.tariff_cap),
        "annual_limit_remaining": money(q.annual_limit_remaining),
        "authorisation_required": q.authorisation_required,
        "authorisation_status": q.authorisation_status,
        "medical_aid_portion": money(q.medical_aid_portion),
        "shortfall": money(q.shortfall),
        "co_payment": money(q.co_payment),
        "patient_portion": money(q.patient_portion),
        "due_now": money(q.due_now),
        "due_after_claim": money(q.due_after_claim),
        "lines": list(q.lines),
    }
