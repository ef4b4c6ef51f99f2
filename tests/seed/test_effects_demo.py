"""Effects that need more than the tiny scale's 150 patients to show, measured on the demo scale
simulated in memory (the same arrays the emitters write out; no database needed)."""

from __future__ import annotations

import pytest

from mediconnect.seed.clock import MINUTE
from mediconnect.seed.codes import COMPLETED, NO_SHOW
from mediconnect.seed.emit_reports import feedback
from mediconnect.seed.runner import build
from mediconnect.seed.world import World
from tests.seed.helpers import NOW, SEED, TODAY, TZ


@pytest.fixture(scope="module")
def demo() -> World:
    return build("demo", SEED, TODAY, NOW, TZ, progress=False)


def no_show_rate(world: World, keep) -> float:  # type: ignore[no-untyped-def]
    a, p = world.appts, world.patients
    hits = total = 0
    for i in range(len(a)):
        if a.status[i] in (COMPLETED, NO_SHOW) and keep(
            i, p.age_on(a.patient[i] - 1, world.local.local_day(a.start[i]))
        ):
            total += 1
            hits += a.status[i] == NO_SHOW
    assert total > 1000
    return hits / total


def test_demo_volume(demo: World) -> None:
    assert 27_000 <= len(demo.appts) <= 34_000
    assert len(demo.patients) == 2_000


def test_young_adults_miss_more(demo: World) -> None:
    young = no_show_rate(demo, lambda _i, age: 18 <= age <= 30)
    middle = no_show_rate(demo, lambda _i, age: 31 <= age <= 50)
    assert young > middle * 1.3


def test_no_show_by_lead_time_and_reminder(demo: World) -> None:
    a = demo.appts
    short = no_show_rate(demo, lambda i, _age: a.lead_days[i] < 7)
    long = no_show_rate(demo, lambda i, _age: a.lead_days[i] >= 30)
    assert long > 2 * short
    confirmed = no_show_rate(demo, lambda i, _age: a.rem_sent[i] and a.rem_conf[i])
    unconfirmed = no_show_rate(demo, lambda i, _age: a.rem_sent[i] and not a.rem_conf[i])
    assert confirmed < unconfirmed / 2.5


def test_ratings_fall_steadily_with_waits(demo: World) -> None:
    a = demo.appts
    by_band: dict[int, list[int]] = {0: [], 1: [], 2: [], 3: []}
    for row in feedback(demo):
        i = row[1] - 1
        wait = (a.started[i] - max(a.checkin[i], a.start[i])) / MINUTE
        by_band[0 if wait < 10 else 1 if wait < 20 else 2 if wait < 40 else 3].append(row[3])
    means = [sum(v) / len(v) for v in by_band.values()]
    assert all(len(v) >= 50 for v in by_band.values())
    assert means == sorted(means, reverse=True)
    assert means[0] - means[3] > 1.5
