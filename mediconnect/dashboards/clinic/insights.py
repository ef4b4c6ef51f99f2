"""``trends_and_insights``: rules comparing periods; every sentence is built from the numbers.

"This month" is the 1st to today (the rollup's days plus today live); "last month" its first
``today.day`` days (capped at its length), from the rollup. Each rule only speaks when it has a
baseline:

* appointments: relative change in volume, month vs last month; beyond +/-5% it is an
  increase/decrease.
* satisfaction: change in mean rating, last full week vs the week before (feedback is read live,
  so a short, recent comparison); 0.1 points or more either way is a change.
* no_show: no-shows / appointments, month vs last month; 1 percentage point or more either way.
* revenue: month-to-date revenue generated against the monthly target prorated to the days
  elapsed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from mediconnect.dashboards.clinic.schema import ClinicInsight
from mediconnect.dashboards.kit.conventions import change, money

VOLUME_BAND = 0.05
RATING_BAND = 0.1
NO_SHOW_BAND = 1.0  # percentage points


@dataclass(frozen=True)
class MonthFigures:
    appointments: int
    no_shows: int
    revenue: Decimal


def _item(category: str, insight: str, impact: str, recommendation: str) -> ClinicInsight:
    return ClinicInsight(category=category, insight=insight, impact=impact, recommendation=recommendation)


def volume(this: MonthFigures, last: MonthFigures) -> ClinicInsight | None:
    if not last.appointments:
        return None
    delta = change(this.appointments, last.appointments)
    pct = round(abs(delta) * 100)
    if delta > VOLUME_BAND:
        return _item(
            "appointments",
            f"{pct}% increase in appointment volume vs last month",
            "positive",
            "Consider expanding hours or adding providers",
        )
    if delta < -VOLUME_BAND:
        return _item(
            "appointments",
            f"{pct}% decrease in appointment volume vs last month",
            "negative",
            "Review referral sources and follow-up booking",
        )
    sign = "+" if delta >= 0 else "-"
    return _item(
        "appointments",
        f"Appointment volume steady vs last month ({sign}{pct}%)",
        "neutral",
        "Maintain current scheduling capacity",
    )


def satisfaction(current: float | None, previous: float | None) -> ClinicInsight | None:
    if current is None or previous is None:
        return None
    now, before = round(current, 1), round(previous, 1)
    delta = round(now - before, 1)
    if delta >= RATING_BAND:
        return _item(
            "satisfaction",
            f"Patient satisfaction improved by {delta:.1f} points vs the week before"
            f" ({before:.1f} to {now:.1f})",
            "positive",
            "Identify and replicate successful practices",
        )
    if delta <= -RATING_BAND:
        return _item(
            "satisfaction",
            f"Patient satisfaction declined by {-delta:.1f} points vs the week before"
            f" ({before:.1f} to {now:.1f})",
            "negative",
            "Review recent feedback comments for recurring issues",
        )
    return _item(
        "satisfaction", f"Patient satisfaction steady at {now:.1f}", "neutral", "Keep monitoring feedback"
    )


def no_show(this: MonthFigures, last: MonthFigures) -> ClinicInsight | None:
    if not this.appointments or not last.appointments:
        return None
    now = round(100 * this.no_shows / this.appointments, 1)
    before = round(100 * last.no_shows / last.appointments, 1)
    delta = round(now - before, 1)
    if delta >= NO_SHOW_BAND:
        return _item(
            "no_show",
            f"No-show rate rose from {before:.1f}% to {now:.1f}% vs last month",
            "negative",
            "Send reminders earlier and confirm bookings by phone",
        )
    if delta <= -NO_SHOW_BAND:
        return _item(
            "no_show",
            f"No-show rate fell from {before:.1f}% to {now:.1f}% vs last month",
            "positive",
            "Keep the current reminder routine",
        )
    return _item(
        "no_show", f"No-show rate stable at {now:.1f}%", "neutral", "Keep the current reminder routine"
    )


def revenue(this: MonthFigures, target: Decimal | None, elapsed: int, days: int) -> ClinicInsight | None:
    if not target:
        return None
    pace = target * elapsed / days
    ratio = float(this.revenue / pace)
    text = (
        f"Revenue at {round(ratio * 100)}% of the monthly target pace"
        f" ({money(this.revenue)} of {money(pace)})"
    )
    if ratio >= 1:
        return _item("revenue", text, "positive", "Keep current pricing and scheduling mix")
    return _item("revenue", text, "negative", "Review unfilled slots and outstanding invoices")


def build(
    this: MonthFigures,
    last: MonthFigures,
    ratings: tuple[float | None, float | None],
    target: Decimal | None,
    elapsed: int,
    days: int,
) -> list[ClinicInsight]:
    """``ratings``: (last full week's mean rating, the week before's)."""
    rules = [
        volume(this, last),
        satisfaction(*ratings),
        no_show(this, last),
        revenue(this, target, elapsed, days),
    ]
    return [r for r in rules if r is not None]
