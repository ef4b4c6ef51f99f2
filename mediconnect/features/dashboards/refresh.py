"""When each part of a dashboard is refreshed: the spec's "Auto-refresh Configuration".

One client-side timer ticks every CRITICAL seconds while refresh is not paused; each tick asks
the server which tiers are due. Today's figures are re-read on every tick, the week's every two
minutes, trends every fifteen and the rule-based insights hourly. A domain event (live) or the
Refresh button brings every tier up to date at once.
"""

from __future__ import annotations

from collections.abc import Mapping

CRITICAL = "critical"
STANDARD = "standard"
HISTORICAL = "historical"
ANALYTICS = "analytics"

# Seconds, from the spec's refresh_intervals.
INTERVALS: Mapping[str, float] = {
    CRITICAL: 30.0,
    STANDARD: 120.0,
    HISTORICAL: 900.0,
    ANALYTICS: 3600.0,
}
TIERS: tuple[str, ...] = tuple(INTERVALS)
TICK_MS = int(INTERVALS[CRITICAL] * 1000)
# A tick arriving a little early (timer drift, a slow round trip) still counts.
SLACK_S = 3.0

LABEL = "Auto-refresh: today 30 s · week 2 min · trends 15 min · insights 1 h"


def due(applied: Mapping[str, float], now: float) -> list[str]:
    """The tiers whose interval has passed since they were last shown (never shown: due)."""
    return [t for t in TIERS if t not in applied or now - applied[t] >= INTERVALS[t] - SLACK_S]
