"""Column types and helpers shared by every table module.

Money is NUMERIC(12,2) read back as Decimal; time is stored UTC and always read back
timezone-aware (SQLite keeps no zone, so we attach UTC on the way out).
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum as StrEnum  # re-exported for the table modules
from typing import Any

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

CENTS = Decimal("0.01")


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: store timezone-aware UTC")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Money(TypeDecorator[Decimal]):
    """NUMERIC(12,2); SQLite has no decimal type, so values are quantised on the way back."""

    impl = sa.Numeric(12, 2, asdecimal=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: sa.Dialect) -> Any:
        if value is None:
            return None
        q = Decimal(value).quantize(CENTS)
        return str(q) if dialect.name == "sqlite" else q

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> Decimal | None:
        if value is None:
            return None
        return Decimal(str(value)).quantize(CENTS)


def enum_type(enum_cls: type[enum.Enum], name: str) -> sa.Enum:
    """A VARCHAR with a CHECK constraint: portable, and no PostgreSQL enum types to migrate."""
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_cls) + 4,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


def pk() -> Any:
    return Field(default=None, primary_key=True)


def fk(target: str, *, nullable: bool = False, index: bool = True, ondelete: str | None = None) -> Any:
    extra: dict[str, Any] = {"ondelete": ondelete} if ondelete else {}
    return Field(default=None, foreign_key=target, nullable=nullable, index=index, **extra)


def now_field() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


def ts_field(*, nullable: bool = True, index: bool = False) -> Any:
    return Field(default=None, sa_type=UTCDateTime, nullable=nullable, index=index)


def money_field(*, nullable: bool = False, default: Decimal | None = Decimal("0.00")) -> Any:
    return Field(default=default, sa_type=Money, nullable=nullable)


def enum_field(enum_cls: type[enum.Enum], name: str, default: Any = None, *, index: bool = False) -> Any:
    return Field(default=default, sa_type=enum_type(enum_cls, name), nullable=False, index=index)
