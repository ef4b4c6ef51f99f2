"""Which patients a lane can draw from: per clinic (patients mostly use their home clinic) and per
service pool (mammography for women over 40, paediatrics for children...), weighted by each
patient's visit propensity, and only among patients registered before the booking was made."""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate

from mediconnect.seed.rng import Rng
from mediconnect.seed.world import World


def _in_pool(name: str, age: int, sex: str) -> bool:
    female = sex == "female"
    return {
        "any": True,
        "adult": age >= 18,
        "child": age < 18,
        "f_adult": female and age >= 18,
        "f_18_45": female and 18 <= age <= 45,
        "f_40plus": female and age >= 40,
        "older": age >= 50,
    }[name]


class Pool:
    __slots__ = ("cum", "idx", "reg")

    def __init__(self, idx: list[int], reg: list[int], weights: list[float]) -> None:
        self.idx, self.reg, self.cum = idx, reg, list(accumulate(weights))


class PatientPools:
    NAMES = ("any", "adult", "child", "f_adult", "f_18_45", "f_40plus", "older")
    HOME_SHARE = 0.85

    def __init__(self, world: World) -> None:
        p = world.patients
        assert p is not None
        today = world.today.toordinal()
        order = sorted(range(len(p)), key=lambda i: (p.registered[i], i))
        members: dict[tuple[int, str], list[int]] = {}
        for i in order:
            age, sex = p.age_on(i, today), p.sex[i]
            for name in self.NAMES:
                if _in_pool(name, age, sex):
                    members.setdefault((0, name), []).append(i)
                    members.setdefault((p.home_clinic[i], name), []).append(i)
        self.pools = {
            key: Pool(idx, [p.registered[i] for i in idx], [p.propensity[i] for i in idx])
            for key, idx in members.items()
        }

    def pick(self, rng: Rng, clinic_id: int, name: str, booked: int, busy: set[int]) -> int:
        """A patient index (or -1): registered by `booked` and not already booked that day."""
        pool = self.pools.get((clinic_id, name)) if rng.random() < self.HOME_SHARE else None
        pool = pool or self.pools.get((0, name))
        if pool is None:
            return -1
        k = bisect_right(pool.reg, booked)
        if not k:
            return -1
        top = pool.cum[k - 1]
        for _ in range(4):
            j = min(k - 1, bisect_right(pool.cum, rng.random() * top, 0, k))
            pat = pool.idx[j]
            if pat not in busy:
                return pat
        return -1
