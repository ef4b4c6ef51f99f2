"""Deterministic random streams: one named stream per generator, so adding draws to one table
never shifts the data of another."""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate
from typing import TypeVar

T = TypeVar("T")


class Rng(random.Random):
    def chance(self, p: float) -> bool:
        return self.random() < p

    def pick(self, items: Sequence[T]) -> T:
        return items[int(self.random() * len(items))]

    def between(self, lo: float, hi: float) -> float:
        return lo + (hi - lo) * self.random()

    def hex(self, nbytes: int) -> str:
        return self.getrandbits(nbytes * 8).to_bytes(nbytes, "big").hex()

    def clipped_gauss(self, mu: float, sigma: float, lo: float, hi: float) -> float:
        return min(hi, max(lo, self.gauss(mu, sigma)))


class Weighted:
    """A fixed weighted choice: O(log n) per draw."""

    __slots__ = ("cum", "items", "total")

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        if len(items) != len(weights) or not items:
            raise ValueError("need as many weights as items, and at least one")
        self.items = list(items)
        self.cum = list(accumulate(weights))
        self.total = self.cum[-1]

    def draw(self, rng: random.Random):  # type: ignore[no-untyped-def]
        return self.items[bisect_right(self.cum, rng.random() * self.total)]


def stream(seed: int, name: str) -> Rng:
    """A generator of its own for `name`; str seeds hash through SHA-512, stable across runs."""
    return Rng(f"mediconnect:{seed}:{name}")
