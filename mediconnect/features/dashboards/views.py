"""The small client-visible shapes the dashboard pages draw, and the formatting they share.

The service's dict is never sent to the browser as it is: each section becomes a few short
lists of these TypedDicts (and the charts' figures), so a tab's state stays a few kilobytes.
Plain Python (no Reflex) so the conversion is tested like any function.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict

from mediconnect.features.appointments.common import money, short_when
from mediconnect.features.shell.routes import route_exists

DASH = "—"


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


def get(data: Mapping[str, Any] | None, *path: str) -> Any:
    """``data[path[0]][path[1]]...``, or None where anything is missing (a partial dict shows
    as dashes, never as a crash)."""
    node: Any = data
    for key in path:
        if not isinstance(node, Mapping):
            return None
        node = node.get(key)
    return node


def rows(data: Mapping[str, Any] | None, *path: str) -> list[Mapping[str, Any]]:
    found = get(data, *path)
    return [r for r in found if isinstance(r, Mapping)] if isinstance(found, list) else []


def num(value: Any) -> float | None:
    try:
        return None if value is None or value == "" else float(value)
    except (TypeError, ValueError):
        return None


def count(value: Any) -> str:
    n = num(value)
    return DASH if n is None else f"{n:,.0f}".replace(",", " ")


def tally(source: Mapping[str, Any], *pairs: tuple[str, str]) -> str:
    """ "6 completed · 1 in progress": counts of ``source``'s keys, each with its label."""
    return " · ".join(f"{count(source.get(key))} {label}" for key, label in pairs)


def one(value: Any, unit: str = "") -> str:
    n = num(value)
    return DASH if n is None else f"{n:.1f}{unit}"


def pct(rate: Any) -> str:
    """A fraction as a percentage ("0.83" -> "83%")."""
    n = num(rate)
    return DASH if n is None else f"{n * 100:.0f}%"


def cash(value: Any) -> str:
    return DASH if value is None or value == "" else money(value)


def when(value: Any) -> str:
    return short_when(value, None) if isinstance(value, str) and value else ""


def progress(rate: Any) -> tuple[int, str]:
    n = num(rate)
    return (-1, "") if n is None else (max(0, min(100, round(n * 100))), f"{n * 100:.0f}%")


def trend(word: Any) -> str:
    return {"increasing": "up", "decreasing": "down", "stable": "stable"}.get(str(word or ""), "")


def signed_pct(rate: Any) -> str:
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
    rate: Any = None,
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


def local_path(url: Any) -> str:
    """Only a path on this site (a dict's link must never send the tab elsewhere)."""
    text = str(url or "")
    return text if text.startswith("/") and not text.startswith("//") and "\\" not in text else ""


def page_link(url: Any) -> str:
    """A quick action's link when this app has its page; the API keeps the spec's URL either way,
    but a button that ends on the 404 page is worse than a count without a link."""
    path = local_path(url)
    return path if path and route_exists(path) else ""


def insights(items: list[Mapping[str, Any]]) -> list[Insight]:
    return [
        Insight(
            category=str(i.get("category") or "").replace("_", " ").capitalize(),
            insight=str(i.get("insight") or ""),
            impact=str(i.get("impact") or "neutral"),
            recommendation=str(i.get("recommendation") or ""),
        )
        for i in items
    ]


def quick_actions(items: list[Mapping[str, Any]]) -> list[QuickAction]:
    out = []
    for a in items:
        n = num(a.get("count"))
        out.append(
            QuickAction(
                action=str(a.get("action") or ""),
                label=str(a.get("label") or ""),
                href=page_link(a.get("url")),
                count=int(n or 0),
            )
        )
    return out


SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}


def by_urgency(alerts: list[Alert]) -> list[Alert]:
    """Most urgent first; the dashboard's own order within a severity."""
    return sorted(alerts, key=lambda a: SEVERITY_ORDER.get(a["severity"], 4))


def alert(item: Mapping[str, Any], *, who: str = "", href: str = "", facts: str = "") -> Alert:
    required = item.get("action_required")
    action = required if isinstance(required, str) else ""
    recommendation = str(item.get("recommendation") or "")
    return Alert(
        kind=str(item.get("type") or "").replace("_", " ").capitalize(),
        severity=str(item.get("severity") or item.get("priority") or "low"),
        message=str(item.get("message") or ""),
        who=who,
        href=href,
        facts=facts,
        action=action or recommendation,
        action_label="Action required" if action else ("Recommendation" if recommendation else ""),
    )
