"""``performance_insights``: rules comparing the last full week with the week before, and the
month to date with the same days of last month. A rule speaks only when both periods have data;
its text carries the computed figures, its ``impact`` is the direction of the change (steady
within the named tolerance reads ``neutral``) and its recommendation is chosen by that impact.

* efficiency: mean visit duration (shorter is positive), steady within ``STEADY_MINUTES``;
* satisfaction: mean feedback score, steady within ``STEADY_RATING``;
* attendance: no-show rate (lower is positive), steady within ``STEADY_POINTS`` points;
* punctuality: share of visits started on time (higher is positive), same tolerance;
* revenue: revenue generated, month to date, steady within ``common.STABLE_BAND``.
"""

from __future__ import annotations

from typing import Literal

from mediconnect.dashboards.doctor.figures import Figures
from mediconnect.dashboards.doctor.schema import DoctorInsight
from mediconnect.dashboards.kit.conventions import STABLE_BAND, change, money

Impact = Literal["positive", "negative", "neutral"]
STEADY_MINUTES = 1.0
STEADY_RATING = 0.1
STEADY_POINTS = 1.0
# A week this good is worth passing on to colleagues.
SHARE_RATING = 4.5


def _n(value: float) -> str:
    return f"{round(value, 1):g}"


def _impact(delta: float, tolerance: float, *, lower_is_better: bool = False) -> Impact:
    if abs(delta) < tolerance:
        return "neutral"
    better = delta < 0 if lower_is_better else delta > 0
    return "positive" if better else "negative"


def _item(category: str, insight: str, impact: Impact, recommendation: str) -> DoctorInsight:
    return DoctorInsight(category=category, insight=insight, impact=impact, recommendation=recommendation)


def efficiency(last: Figures, before: Figures) -> DoctorInsight | None:
    if last.duration is None or before.duration is None:
        return None
    delta = last.duration - before.duration
    impact = _impact(delta, STEADY_MINUTES, lower_is_better=True)
    if impact == "neutral":
        text = f"Your average appointment duration held steady at {_n(last.duration)} minutes last week"
        advice = "Keep your current appointment lengths"
    else:
        moved = "decreased" if delta < 0 else "increased"
        text = (
            f"Your average appointment duration {moved} by {_n(abs(delta))} minutes last week "
            f"({_n(before.duration)} to {_n(last.duration)})"
        )
        advice = (
            "Continue current time management practices"
            if impact == "positive"
            else "Review whether appointment slots match the time visits take"
        )
    return _item("efficiency", text, impact, advice)


def satisfaction(last: float | None, before: float | None) -> DoctorInsight | None:
    if last is None or before is None:
        return None
    impact = _impact(last - before, STEADY_RATING)
    if impact == "neutral":
        text = f"Patient satisfaction held at {last:.1f}/5.0 last week"
        advice = "Keep doing what patients value"
    else:
        moved = "increased" if impact == "positive" else "decreased"
        text = f"Patient satisfaction {moved} to {last:.1f}/5.0 last week (from {before:.1f})"
        if impact == "negative":
            advice = "Review last week's feedback comments for recurring concerns"
        elif last >= SHARE_RATING:
            advice = "Consider sharing best practices with colleagues"
        else:
            advice = "Keep building on what patients noticed"
    return _item("satisfaction", text, impact, advice)


def _points(
    category: str,
    label: str,
    last: tuple[int, int],
    before: tuple[int, int],
    *,
    lower_is_better: bool,
    advice: dict[Impact, str],
) -> DoctorInsight | None:
    if not last[1] or not before[1]:
        return None
    now_pct = 100.0 * last[0] / last[1]
    was_pct = 100.0 * before[0] / before[1]
    impact = _impact(now_pct - was_pct, STEADY_POINTS, lower_is_better=lower_is_better)
    if impact == "neutral":
        text = f"{label} steady at {_n(now_pct)}% last week"
    else:
        moved = "rose" if now_pct > was_pct else "fell"
        text = f"{label} {moved} to {_n(now_pct)}% last week (from {_n(was_pct)}%)"
    return _item(category, text, impact, advice[impact])


def revenue(month: Figures, same_days_last_month: Figures) -> DoctorInsight | None:
    if not same_days_last_month.revenue:
        return None
    delta = change(month.revenue, same_days_last_month.revenue)
    impact = _impact(delta, STABLE_BAND)
    figures = f"{money(month.revenue)} vs {money(same_days_last_month.revenue)}"
    if impact == "neutral":
        text = f"Revenue this month to date is level with the same days last month ({figures})"
        advice = "Keep your current booking mix"
    else:
        moved = "up" if delta > 0 else "down"
        pct = _n(abs(delta) * 100)
        text = f"Revenue this month to date is {moved} {pct}% on the same days last month ({figures})"
        advice = (
            "Keep your current booking mix" if delta > 0 else "Review open slots and cancellations this month"
        )
    return _item("revenue", text, impact, advice)


def build(
    last_week: Figures,
    week_before: Figures,
    ratings: tuple[float | None, float | None],
    month: Figures,
    same_days_last_month: Figures,
) -> list[DoctorInsight]:
    found = [
        efficiency(last_week, week_before),
        satisfaction(*ratings),
        _points(
            "attendance",
            "No-show rate",
            (last_week.no_show, last_week.due),
            (week_before.no_show, week_before.due),
            lower_is_better=True,
            advice={
                "positive": "Keep the current reminder routine",
                "negative": "Confirm appointments with patients the day before",
                "neutral": "Keep sending appointment reminders",
            },
        ),
        _points(
            "punctuality",
            "On-time starts",
            (last_week.on_time, last_week.started),
            (week_before.on_time, week_before.started),
            lower_is_better=False,
            advice={
                "positive": "Keep buffer time after complex visits",
                "negative": "Start the first appointment on time and review overruns",
                "neutral": "Keep your current schedule",
            },
        ),
        revenue(month, same_days_last_month),
    ]
    return [item for item in found if item is not None]
