"""What the practice sells: services and scan types, and what each medical aid pays for them."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from mediconnect.models.base import StrEnum, enum_field, fk, money_field, pk
from mediconnect.models.clinics import Modality, RoomType


class ServiceCategory(StrEnum):
    CONSULTATION = "consultation"
    DIAGNOSTICS = "diagnostics"
    PROCEDURE = "procedure"


class Service(SQLModel, table=True):
    __tablename__ = "services"
    __table_args__ = (
        sa.CheckConstraint("duration_minutes > 0", name="duration_positive"),
        sa.CheckConstraint("price >= 0", name="price_nonneg"),
        sa.CheckConstraint("cost >= 0", name="cost_nonneg"),
    )

    id: int | None = pk()
    code: str = Field(max_length=20, unique=True)
    name: str = Field(max_length=120)
    category: ServiceCategory = enum_field(ServiceCategory, "service_category")
    modality: Modality = enum_field(Modality, "modality", index=True)
    department_name: str = Field(max_length=80)
    duration_minutes: int
    price: Decimal = money_field()
    # Direct cost per service (consumables, contrast, reporting fee): drives margin analytics.
    cost: Decimal = money_field()
    preparation: str | None = Field(default=None, max_length=1000)
    preparation_items: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    fasting_hours: int = 0
    room_type: RoomType = enum_field(RoomType, "room_type")
    # Whether a piece of equipment of the service's modality must be booked alongside the room.
    requires_equipment: bool = False
    referral_required: bool = False
    is_active: bool = True


class SchemeTariff(SQLModel, table=True):
    """A scheme's rule for one service: its tariff cap, own coverage %, and pre-authorisation."""

    __tablename__ = "scheme_tariffs"
    __table_args__ = (
        sa.UniqueConstraint("scheme_id", "service_id"),
        sa.CheckConstraint("tariff_cap >= 0", name="cap_nonneg"),
        sa.CheckConstraint(
            "coverage_percent IS NULL OR coverage_percent BETWEEN 0 AND 100", name="coverage_range"
        ),
    )

    id: int | None = pk()
    scheme_id: int | None = fk("medical_aid_schemes.id", ondelete="CASCADE")
    service_id: int | None = fk("services.id", ondelete="CASCADE")
    tariff_cap: Decimal = money_field()
    coverage_percent: Decimal | None = Field(default=None, sa_type=sa.Numeric(5, 2))
    requires_authorisation: bool = False
    covered: bool = True
