"""Quote arithmetic against hand-computed cases (SQLite and PostgreSQL).

The world: a R1 250.00 service; an 80 % scheme with a R20 000 annual limit and a R1 000 tariff
cap on that service (see billing_world.world).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlmodel import Session

from mediconnect.models.billing import ClaimStatus
from mediconnect.models.patients import MembershipStatus, PreAuthStatus
from mediconnect.services import pricing
from mediconnect.services.pricing import Quote, quote, quote_as_json
from tests.services import billing_world as bw

D = Decimal
ON = bw.ON


def _q(session: Session, service_id: int | None, patient_id: int | None, on: date = ON) -> Quote:
    assert service_id is not None and patient_id is not None
    return quote(session=session, service_id=service_id, patient_id=patient_id, on=on)


def _figures(q: Quote) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    return q.medical_aid_portion, q.shortfall, q.co_payment, q.patient_portion


def _balanced(q: Quote) -> None:
    assert q.medical_aid_portion + q.patient_portion == q.price
    assert q.due_now == q.patient_portion
    for value in (q.price, q.medical_aid_portion, q.shortfall, q.co_payment, q.patient_portion):
        assert isinstance(value, Decimal) and value == value.quantize(D("0.01")) and value >= 0


def test_private_patient_pays_everything(session: Session) -> None:
    w = bw.world(session)
    q = _q(session, w.service.id, w.private_patient.id)
    _balanced(q)
    assert q.is_private and q.scheme_name is None and q.annual_limit_remaining is None
    assert q.patient_portion == D("1250.00") and q.medical_aid_portion == D("0.00")
    assert q.authorisation_status == "not_required"
    assert any("private" in line and "R1\u00a0250.00" in line for line in q.lines)


def test_full_cover_without_tariff(session: Session) -> None:
    w = bw.world(session)
    svc = bw.service(session, price="1250.00")
    sch = bw.scheme(session, coverage="100")
    _, p = bw.patient(session)
    bw.membership(session, patient=p, scheme=sch)
    q = _q(session, svc.id, p.id)
    _balanced(q)
    assert _figures(q) == (D("1250.00"), D("0.00"), D("0.00"), D("0.00"))
    assert q.tariff_cap is None and q.annual_limit_remaining == D("20000.00")
    assert w.scheme.id != sch.id


def test_coverage_80_percent_without_tariff(session: Session) -> None:
    bw.world(session)
    svc = bw.service(session, price="1250.00")
    sch = bw.scheme(session, coverage="80")
    _, p = bw.patient(session)
    bw.membership(session, patient=p, scheme=sch)
    q = _q(session, svc.id, p.id)
    _balanced(q)
    # 80 % of 1250 = 1000; the patient's 20 % = 250.
    assert _figures(q) == (D("1000.00"), D("0.00"), D("250.00"), D("250.00"))
    assert q.coverage_percent == D("80.00")
    assert any("R250.00" in line and "co-payment" in line for line in q.lines)


def test_tariff_cap_shortfall(session: Session) -> None:
    w = bw.world(session)
    q = _q(session, w.service.id, w.patient.id)
    _balanced(q)
    # covered base min(1250, 1000) = 1000; scheme 80 % = 800; co-pay 200; shortfall 250.
    assert _figures(q) == (D("800.00"), D("250.00"), D("200.00"), D("450.00"))
    assert q.tariff_cap == D("1000.00") and q.due_after_claim == D("0.00")
    assert any("R250.00" in line and "shortfall" in line for line in q.lines)


def test_tariff_coverage_overrides_scheme(session: Session) -> None:
    bw.world(session)
    svc = bw.service(session, price="1250.00")
    sch = bw.scheme(session, coverage="80")
    bw.tariff(session, scheme=sch, service=svc, cap="1000.00", coverage="90")
    _, p = bw.patient(session)
    bw.membership(session, patient=p, scheme=sch)
    q = _q(session, svc.id, p.id)
    _balanced(q)
    assert _figures(q) == (D("900.00"), D("250.00"), D("100.00"), D("350.00"))
    assert q.coverage_percent == D("90.00")


def test_annual_limit_partly_used(session: Session) -> None:
    w = bw.world(session)
    _, p = bw.patient(session)
    m = bw.membership(session, patient=p, scheme=w.scheme)
    # This year: approved 19 000 of 19 200 claimed, 300 still submitted, 5 000 denied (ignored);
    # last year's 10 000 does not count. Remaining: 20 000 - 19 000 - 300 = 700.
    bw.used_claim(
        session,
        membership=m,
        patient=p,
        clinic=w.clinic,
        claimed="19200",
        approved="19000",
        status=ClaimStatus.APPROVED,
    )
    bw.used_claim(session, membership=m, patient=p, clinic=w.clinic, claimed="300")
    bw.used_claim(
        session, membership=m, patient=p, clinic=w.clinic, claimed="5000", status=ClaimStatus.DENIED
    )
    bw.used_claim(
        session,
        membership=m,
        patient=p,
        clinic=w.clinic,
        claimed="10000",
        approved="10000",
        status=ClaimStatus.PAID,
        submitted_at=datetime(2025, 12, 30, 9, tzinfo=UTC),
    )
    q = _q(session, w.service.id, p.id)
    _balanced(q)
    assert q.annual_limit_remaining == D("700.00")
    # Scheme would pay 800 but only 700 is left: 700; co-pay 1000 - 700 = 300; shortfall 250.
    assert _figures(q) == (D("700.00"), D("250.00"), D("300.00"), D("550.00"))
    assert any("R700.00" in line and "annual limit" in line for line in q.lines)


def test_annual_limit_exhausted_never_negative(session: Session) -> None:
    w = bw.world(session)
    _, p = bw.patient(session)
    m = bw.membership(session, patient=p, scheme=w.scheme)
    bw.used_claim(
        session,
        membership=m,
        patient=p,
        clinic=w.clinic,
        claimed="21000",
        approved="21000",
        status=ClaimStatus.APPROVED,
    )
    q = _q(session, w.service.id, p.id)
    _balanced(q)
    assert q.annual_limit_remaining == D("0.00")
    assert _figures(q) == (D("0.00"), D("250.00"), D("1000.00"), D("1250.00"))


def test_unclaimed_booking_uses_the_limit(session: Session) -> None:
    w = bw.world(session)
    _, p = bw.patient(session)
    m = bw.membership(session, patient=p, scheme=w.scheme)
    bw.used_claim(
        session,
        membership=m,
        patient=p,
        clinic=w.clinic,
        claimed="19000",
        approved="19000",
        status=ClaimStatus.APPROVED,
    )
    bw.booked(session, w, patient=p)  # takes 800 of the 1 000 left, not yet claimed
    q = _q(session, w.service.id, p.id)
    _balanced(q)
    assert q.annual_limit_remaining == D("200.00")
    assert _figures(q) == (D("200.00"), D("250.00"), D("800.00"), D("1050.00"))


def test_authorisation_required_by_tariff_not_approved(session: Session) -> None:
    bw.world(session)
    svc = bw.service(session)
    sch = bw.scheme(session)
    bw.tariff(session, scheme=sch, service=svc, cap="1000.00", requires_authorisation=True)
    _, p = bw.patient(session)
    m = bw.membership(session, patient=p, scheme=sch)
    # A declined and an expired pre-authorisation do not count.
    bw.preauth(session, membership=m, service=svc, status=PreAuthStatus.DECLINED)
    bw.preauth(session, membership=m, service=svc, valid_until=date(2026, 6, 14))
    q = _q(session, svc.id, p.id)
    _balanced(q)
    assert q.authorisation_required and q.authorisation_status == "required"
    assert _figures(q) == (D("800.00"), D("250.00"), D("200.00"), D("450.00"))
    assert any("pre-authorise" in line and "R800.00" in line and "R1\u00a0250.00" in line for line in q.lines)


def test_authorisation_approved(session: Session) -> None:
    bw.world(session)
    svc = bw.service(session)
    sch = bw.scheme(session)
    bw.tariff(session, scheme=sch, service=svc, cap="1000.00", requires_authorisation=True)
    _, p = bw.patient(session)
    m = bw.membership(session, patient=p, scheme=sch)
    bw.preauth(session, membership=m, service=svc, valid_until=ON)
    q = _q(session, svc.id, p.id)
    assert q.authorisation_required and q.authorisation_status == "approved"
    assert q.medical_aid_portion == D("800.00")


def test_authorisation_threshold(session: Session) -> None:
    bw.world(session)
    cheap, dear = bw.service(session, price="1000.00"), bw.service(session, price="1000.01")
    sch = bw.scheme(session, threshold="1000.00")
    _, p = bw.patient(session)
    bw.membership(session, patient=p, scheme=sch)
    assert _q(session, cheap.id, p.id).authorisation_status == "not_required"
    q = _q(session, dear.id, p.id)
    assert q.authorisation_status == "required"
    # 80 % of 1000.01 = 800.008 -> 800.01; patient 200.00.
    assert (q.medical_aid_portion, q.patient_portion) == (D("800.01"), D("200.00"))


def test_tariff_not_covered(session: Session) -> None:
    w = bw.world(session)
    svc = bw.service(session)
    bw.tariff(session, scheme=w.scheme, service=svc, cap="1000.00", covered=False)
    q = _q(session, svc.id, w.patient.id)
    _balanced(q)
    assert not q.covered and q.scheme_name == w.scheme.name
    assert _figures(q) == (D("0.00"), D("1250.00"), D("0.00"), D("1250.00"))
    assert any("does not cover" in line for line in q.lines)


@pytest.mark.parametrize(
    ("status", "valid_from", "valid_to"),
    [
        (MembershipStatus.EXPIRED, date(2024, 1, 1), date(2025, 12, 31)),
        (MembershipStatus.ACTIVE, date(2024, 1, 1), date(2026, 6, 14)),  # ended the day before
        (MembershipStatus.SUSPENDED, date(2024, 1, 1), None),
        (MembershipStatus.PENDING, date(2024, 1, 1), None),
        (MembershipStatus.ACTIVE, date(2026, 6, 16), None),  # starts the day after
    ],
)
def test_membership_not_in_force_is_private(
    session: Session, status: MembershipStatus, valid_from: date, valid_to: date | None
) -> None:
    w = bw.world(session)
    _, p = bw.patient(session)
    bw.membership(
        session, patient=p, scheme=w.scheme, status=status, valid_from=valid_from, valid_to=valid_to
    )
    q = _q(session, w.service.id, p.id)
    assert q.is_private and q.patient_portion == D("1250.00")


def test_membership_valid_on_its_last_day(session: Session) -> None:
    w = bw.world(session)
    _, p = bw.patient(session)
    bw.membership(session, patient=p, scheme=w.scheme, valid_to=ON)
    assert _q(session, w.service.id, p.id).medical_aid_portion == D("800.00")


def test_inactive_scheme_is_private(session: Session) -> None:
    w = bw.world(session)
    sch = bw.scheme(session, is_active=False)
    _, p = bw.patient(session)
    bw.membership(session, patient=p, scheme=sch)
    assert _q(session, w.service.id, p.id).is_private


@pytest.mark.parametrize(
    ("price", "coverage", "aid", "patient"),
    [
        ("333.33", "85", "283.33", "50.00"),  # 283.3305 -> 283.33
        ("100.05", "50", "50.03", "50.02"),  # 50.025 -> half-up 50.03 (banker's would give 50.02)
        ("0.01", "50", "0.01", "0.00"),  # 0.005 -> 0.01
        ("999.99", "33.33", "333.30", "666.69"),  # 333.296667 -> 333.30
    ],
)
def test_rounding_half_up_and_exact_sum(
    session: Session, price: str, coverage: str, aid: str, patient: str
) -> None:
    bw.world(session)
    svc = bw.service(session, price=price)
    sch = bw.scheme(session, coverage=coverage)
    _, p = bw.patient(session)
    bw.membership(session, patient=p, scheme=sch)
    q = _q(session, svc.id, p.id)
    _balanced(q)
    assert (q.medical_aid_portion, q.patient_portion) == (D(aid), D(patient))


def test_unknown_or_inactive_service(session: Session) -> None:
    w = bw.world(session)
    w.service.is_active = False
    session.flush()
    with pytest.raises(pricing.PricingError) as err:
        _q(session, w.service.id, w.patient.id)
    assert err.value.code == "unknown_service"
    with pytest.raises(pricing.PricingError):
        _q(session, 10**9, w.patient.id)


def test_quote_as_json(session: Session) -> None:
    w = bw.world(session)
    data = quote_as_json(_q(session, w.service.id, w.patient.id))
    assert data["price"] == "1250.00" and data["medical_aid_portion"] == "800.00"
    assert data["shortfall"] == "250.00" and data["co_payment"] == "200.00"
    assert data["patient_portion"] == "450.00" and data["due_now"] == "450.00"
    assert data["due_after_claim"] == "0.00" and data["tariff_cap"] == "1000.00"
    assert data["coverage_rate"] == 0.8 and data["coverage_percent"] == "80.00"
    assert data["annual_limit_remaining"] == "20000.00" and data["authorisation_status"] == "not_required"
    assert data["scheme_name"] == w.scheme.name and data["date"] == "2026-06-15"
    assert isinstance(data["lines"], list) and data["lines"]
