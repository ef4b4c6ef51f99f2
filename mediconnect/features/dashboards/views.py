"""The small client-visible shapes the dashboard pages draw, and the formatting they share.

The typed dashboard (``dashboards/<name>/schema.py``) is never sent to the browser as it is:
each section becomes a few short lists of these TypedDicts (and the charts' figures), so a
tab's state stays a few kilobytes. Plain Python (no Reflex) so the conversion is tested like
any function, and checked by mypy against the schema: a renamed key fails the type check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol, TypedDict, TypeVar

from mediconnect.dashboards.doctor.schema import DoctorQuickAction
from mediconnect.features.kit.format import money, short_when
from mediconnect.features.shell.routes import route_exists

D = TypeVar("D")

DASH = "—"
# A figure as the schema holds it: a count, a rate, minutes, or money as its string.
Number = float | int | str | None


class Metric(TypedDict):
    key: str  # data-testid suffix, stable for tests
    title: str
    icon: str
    value: str
    subtitle: str
    change: str  # "+12% vs last month", "" when the data has no comparison
    trend: str  # "up" | "down" | "stable" | ""
    tone: str  # "good" | "bad" | "neutral": the colour of the change (up is not always good)
    target: str  # "Target R 1 500.00", "" when there is none
    progress: int  # 0..100 for the bar, -1 when there is no bar
    progress_label: str


class Alert(TypedDict):
    kind: str
    severity: str  # critical | high | medium | low
    message: str
    who: str  # a patient's name (doctor dashboard) or ""
    href: str
    facts: str  # "Warfarin + Aspirin", "last visit 2023-12-01"
    action: str
    action_label: str  # "Action required" | "Recommendation"


class Insight(TypedDict):
    category: str
    insight: str
    impact: str  # positive | negative | neutral
    recommendation: str


class QuickAction(TypedDict):
    action: str
    label: str
    href: str
    count: int


def num(value: Number) -> float | None:
    try:
        return None if value is None or value == "" else float(value)
    except (TypeError, ValueError):
        return None


def count(value: Number) -> str:
    n = num(value)
    return DASH if n is None else f"{n:,.0f}".replace(",", " ")


def tally(*pairs: tuple[Number, str]) -> str:
    """ "6 completed · 1 in progress": each count with its label."""
    return " · ".join(f"{count(value)} {label}" for value, label in pairs)


def one(value: Number, unit: str = "") -> str:
    n = num(value)
    return DASH if n is None else f"{n:.1f}{unit}"


def pct(rate: Number) -> str:
    """A fraction as a percentage ("0.83" -> "83%")."""
    n = num(rate)
    return DASH if n is None else f"{n * 100:.0f}%"


def cash(value: Number) -> str:
    return DASH if value is None or value == "" else money(value)


def when(value: str | None) -> str:
    return short_when(value, None) if isinstance(value, str) and value else ""


def progress(rate: Number) -> tuple[int, str]:
    n = num(rate)
    return (-1, "") if n is None else (max(0, min(100, round(n * 100))), f"{n * 100:.0f}%")


def trend(word: str | None) -> str:
    return {"increasing": "up", "decreasing": "down", "stable": "stable"}.get(str(word or ""), "")


def signed_pct(rate: Number) -> str:
    n = num(rate)
    return "" if n is None else f"{n * 100:+.0f}%"


def metric(
    key: str,
    title: str,
    icon: str,
    value: str,
    *,
    subtitle: str = "",
    change: str = "",
    direction: str = "",
    up_is_good: bool = True,
    target: str = "",
    rate: Number = None,
) -> Metric:
    bar, label = progress(rate)
    good = {"up": up_is_good, "down": not up_is_good}.get(direction)
    return Metric(
        key=key,
        title=title,
        icon=icon,
        value=value,
        subtitle=subtitle,
        change=change,
        trend=direction,
        tone="neutral" if good is None else ("good" if good else "bad"),
        target=target,
        progress=bar,
        progress_label=label,
    )


def local_path(url: str | None) -> str:
    """Only a path on this site (a dict's link must never send the tab elsewhere)."""
    text = str(url or "")
    return text if text.startswith("/") and not text.startswith("//") and "\\" not in text else ""


def page_link(url: str | None) -> str:
    """A quick action's link when this app has its page; the API keeps the spec's URL either way,
    but a button that ends on the 404 page is worse than a count without a link."""
    path = local_path(url)
    return path if path and route_exists(path) else ""


class InsightItem(Protocol):
    """An insight of either dashboard (``ClinicInsight``, ``DoctorInsight``)."""

    @property
    def category(self) -> str: ...
    @property
    def insight(self) -> str: ...
    @property
    def impact(self) -> str: ...
    @property
    def recommendation(self) -> str: ...


def insights(items: Iterable[InsightItem]) -> list[Insight]:
    return [
        Insight(
            category=(i.category or "").replace("_", " ").capitalize(),
            insight=i.insight or "",
            impact=i.impact or "neutral",
            recommendation=i.recommendation or "",
        )
        for i in items
    ]


def quick_actions(items: Sequence[DoctorQuickAction]) -> list[QuickAction]:
    out = []
    for a in items:
        out.append(QuickAction(action=a.action, label=a.label, href=page_link(a.url), count=a.count))
    return out


SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}


def by_urgency(alerts: list[Alert]) -> list[Alert]:
    """Most urgent first; the dashboard's own order within a severity."""
    return sorted(alerts, key=lambda a: SEVERITY_ORDER.get(a["severity"], 4))


def alert(
    *,
    kind: str,
    severity: str,
    message: str,
    action_required: str | None = None,
    recommendation: str | None = None,
    who: str = "",
    href: str = "",
    facts: str = "",
) -> Alert:
    action = action_required or ""
    advice = recommendation or ""
    return Alert(
        kind=(kind or "").replace("_", " ").capitalize(),
        severity=severity or "low",
        message=message or "",
        who=who,
        href=href,
        facts=facts,
        action=action or advice,
        action_label="Action required" if action else ("Recommendation" if advice else ""),
    )


def by_tier(
    builders: Mapping[str, Callable[[D], dict[str, Any]]], dash: D, tiers: list[str]
) -> dict[str, Any]:
    """The page's vars of the refresh ``tiers`` asked for, each from its section builder."""
    out: dict[str, Any] = {}
    for tier in tiers:
        out.update(builders[tier](dash))
    return out
