"""The boundary to whoever moves the money: a provider per payment method.

``payments.record_payment`` never touches money itself: it asks ``provider_for(method)`` to
``charge`` and records what the provider answered. Today every method is taken at the desk
(cash in the till, the card machine, a bank transfer or mobile-money payment the patient shows
a reference for), so ``DeskProvider`` answers at once. An online gateway is added by writing a
class with the same two methods (which may answer "processing" and confirm later through a
webhook that completes the Payment) and registering it for its methods in ``_REGISTRY``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from mediconnect.models.billing import PaymentMethod, PaymentStatus

ZERO = Decimal("0.00")
# Methods where the money moved elsewhere first: the desk records the proof (its reference).
REFERENCE_REQUIRED = frozenset({PaymentMethod.BANK_TRANSFER, PaymentMethod.MOBILE_MONEY})
# What the desk records by hand, in the order its form offers them; medical aid money arrives
# through the claim ("Mark claim paid"). The pages read these, never a copy.
DESK_METHODS: tuple[PaymentMethod, ...] = (
    PaymentMethod.CARD,
    PaymentMethod.CASH,
    PaymentMethod.BANK_TRANSFER,
    PaymentMethod.MOBILE_MONEY,
)
METHOD_LABELS: dict[str, str] = {
    PaymentMethod.CARD: "Card",
    PaymentMethod.MOBILE_MONEY: "Mobile money",
    PaymentMethod.BANK_TRANSFER: "Bank transfer",
    PaymentMethod.CASH: "Cash",
    PaymentMethod.INSURANCE: "Medical aid",
}


@dataclass(frozen=True, slots=True)
class ProviderResult:
    status: PaymentStatus  # completed | processing | failed
    provider_reference: str | None = None
    failure_reason: str | None = None
    fee: Decimal = ZERO


class PaymentProvider(Protocol):
    @property
    def name(self) -> str: ...

    def charge(
        self,
        *,
        amount: Decimal,
        currency: str,
        reference: str | None,
        method: PaymentMethod,
        metadata: Mapping[str, str | int],
    ) -> ProviderResult: ...

    def refund(
        self,
        *,
        amount: Decimal,
        currency: str,
        provider_reference: str | None,
        reason: str,
        metadata: Mapping[str, str | int],
    ) -> ProviderResult: ...


@dataclass(frozen=True, slots=True)
class DeskProvider:
    """Money handled in person: it has changed hands when the clerk records it.

    A card-machine slip, transfer or mobile-money reference is kept as the provider reference;
    bank transfers and mobile money must carry one (the clerk checked it), cash never needs one.
    """

    name: str = "desk"
    methods: frozenset[PaymentMethod] = field(default_factory=lambda: frozenset(DESK_METHODS))

    def charge(
        self,
        *,
        amount: Decimal,
        currency: str,
        reference: str | None,
        method: PaymentMethod,
        metadata: Mapping[str, str | int],
    ) -> ProviderResult:
        if method not in self.methods:
            return ProviderResult(
                PaymentStatus.FAILED, failure_reason=f"{method.value} is not taken at the desk"
            )
        if amount <= 0:
            return ProviderResult(PaymentStatus.FAILED, failure_reason="amount must be positive")
        if method in REFERENCE_REQUIRED and not reference:
            return ProviderResult(PaymentStatus.FAILED, failure_reason="a payment reference is required")
        return ProviderResult(PaymentStatus.COMPLETED, provider_reference=reference or None)

    def refund(
        self,
        *,
        amount: Decimal,
        currency: str,
        provider_reference: str | None,
        reason: str,
        metadata: Mapping[str, str | int],
    ) -> ProviderResult:
        if amount <= 0:
            return ProviderResult(PaymentStatus.FAILED, failure_reason="amount must be positive")
        # Paid back over the counter (cash, card reversal on the machine, or a transfer out).
        return ProviderResult(PaymentStatus.COMPLETED, provider_reference=provider_reference)


@dataclass(frozen=True, slots=True)
class SchemeProvider:
    """A medical aid's remittance: recorded when the scheme has paid (claims.mark_claim_paid)."""

    name: str = "scheme"

    def charge(
        self,
        *,
        amount: Decimal,
        currency: str,
        reference: str | None,
        method: PaymentMethod,
        metadata: Mapping[str, str | int],
    ) -> ProviderResult:
        if method is not PaymentMethod.INSURANCE or amount <= 0:
            return ProviderResult(PaymentStatus.FAILED, failure_reason="not a scheme remittance")
        return ProviderResult(PaymentStatus.COMPLETED, provider_reference=reference)

    def refund(
        self,
        *,
        amount: Decimal,
        currency: str,
        provider_reference: str | None,
        reason: str,
        metadata: Mapping[str, str | int],
    ) -> ProviderResult:
        return ProviderResult(PaymentStatus.COMPLETED, provider_reference=provider_reference)


_DESK = DeskProvider()
_SCHEME = SchemeProvider()
_REGISTRY: dict[PaymentMethod, PaymentProvider] = {
    PaymentMethod.CASH: _DESK,
    PaymentMethod.CARD: _DESK,
    PaymentMethod.BANK_TRANSFER: _DESK,
    PaymentMethod.MOBILE_MONEY: _DESK,
    PaymentMethod.INSURANCE: _SCHEME,
}


def provider_for(method: PaymentMethod) -> PaymentProvider:
    return _REGISTRY[method]


def provider_named(name: str, *, method: PaymentMethod) -> PaymentProvider:
    """The provider that took a payment (for refunds); falls back to the method's provider."""
    for provider in _REGISTRY.values():
        if provider.name == name:
            return provider
    return provider_for(method)
