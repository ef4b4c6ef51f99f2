"""The registry of table emitters: each names its table, its columns (all of them, ids included),
a generator of row tuples over the simulated world and an optional row-count estimate."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from mediconnect.seed.world import World

Rows = Iterable[tuple[Any, ...]]


@dataclass(frozen=True, slots=True)
class Emitter:
    table: str
    columns: tuple[str, ...]
    rows: Callable[[World], Rows]
    total: Callable[[World], int | None]


EMITTERS: dict[str, Emitter] = {}


def emits(table: str, columns: str, total: Callable[[World], int | None] | None = None) -> Callable[..., Any]:
    """Register `fn(world) -> rows` for `table`; `columns` is a whitespace-separated list."""

    def register(fn: Callable[[World], Rows]) -> Callable[[World], Rows]:
        if table in EMITTERS:
            raise ValueError(f"two emitters for {table}")
        EMITTERS[table] = Emitter(table, tuple(columns.split()), fn, total or (lambda _w: None))
        return fn

    return register


_CENT = Decimal("0.01")


def money(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2) if cents else Decimal("0.00")


def day(ordinal: int) -> date | None:
    return date.fromordinal(ordinal) if ordinal else None
