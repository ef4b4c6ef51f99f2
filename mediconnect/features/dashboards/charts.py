"""Plotly figures built from the typed dashboards' sections (no Reflex here).

Figures carry no template (``template=None``): the page's ``rx.plotly`` adds the light theme,
so a figure in the tab's state is a few hundred bytes instead of several kilobytes. Colours
are the app theme's (Radix teal, amber, red, slate).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

from mediconnect.dashboards.clinic.schema import ClinicHourFlow, ClinicPaymentMethod
from mediconnect.dashboards.doctor.schema import DoctorInsuranceSplit, DoctorWeekTrend
from mediconnect.features.dashboards.views import Number, num

TEAL, CYAN, AMBER, RED, VIOLET, SLATE, GREEN, BLUE = (
    "#12a594",
    "#00a2c7",
    "#ffc53d",
    "#e5484d",
    "#8e4ec6",
    "#8b8d98",
    "#30a46c",
    "#0090ff",
)
PALETTE = [TEAL, AMBER, VIOLET, CYAN, RED, GREEN, BLUE, SLATE]


def _layout(**extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "autosize": True,
        "height": 260,
        "margin": {"l": 44, "r": 16, "t": 12, "b": 36},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "font": {"size": 12},
        "legend": {"orientation": "h", "y": -0.18, "x": 0},
        "showlegend": True,
    }
    base.update(extra)
    return base


def _fig(data: list[Any], **layout: Any) -> go.Figure:
    fig = go.Figure(data=data, layout=_layout(**layout))
    # Plotly fills in its default template on construction; the page supplies the theme.
    fig.layout.template = None
    return fig


def empty() -> go.Figure:
    return _fig([], showlegend=False)


def _n(value: Number) -> float:
    return num(value) or 0.0


def weekly_appointments_revenue(weeks: Sequence[DoctorWeekTrend]) -> go.Figure:
    """Doctor: this month's appointments (total, completed) and revenue by week."""
    labels = [f"Week {w.week}" for w in weeks]
    fig = _fig(
        [
            go.Bar(name="Appointments", x=labels, y=[_n(w.total) for w in weeks], marker_color=TEAL),
            go.Bar(name="Completed", x=labels, y=[_n(w.completed) for w in weeks], marker_color=CYAN),
            go.Scatter(
                name="Revenue",
                x=labels,
                y=[_n(w.revenue) for w in weeks],
                yaxis="y2",
                mode="lines+markers",
                line={"color": AMBER, "width": 3},
            ),
        ],
        barmode="group",
        yaxis={"title": {"text": "Appointments"}, "rangemode": "tozero"},
        yaxis2={"overlaying": "y", "side": "right", "rangemode": "tozero", "showgrid": False},
        margin={"l": 44, "r": 56, "t": 12, "b": 36},
    )
    return fig


def statuses(counts: list[tuple[str, float, str]]) -> go.Figure:
    """One horizontal bar per appointment status (label, count, colour)."""
    return _fig(
        [
            go.Bar(
                x=[c for _, c, _ in counts],
                y=[label for label, _, _ in counts],
                orientation="h",
                marker_color=[colour for _, _, colour in counts],
                text=[f"{c:.0f}" for _, c, _ in counts],
                textposition="auto",
            )
        ],
        showlegend=False,
        yaxis={"autorange": "reversed"},
        margin={"l": 92, "r": 16, "t": 8, "b": 28},
    )


def split(labels: list[str], values: list[float], *, hole: float = 0.55) -> go.Figure:
    """A donut of shares (fractions or amounts)."""
    if not any(values):
        return empty()
    return _fig(
        [
            go.Pie(
                labels=labels,
                values=values,
                hole=hole,
                sort=False,
                marker={"colors": PALETTE[: len(labels)]},
                textinfo="percent",
            )
        ],
        margin={"l": 8, "r": 8, "t": 8, "b": 8},
        legend={"orientation": "v", "x": 1, "y": 0.5},
    )


def bars(
    labels: list[str], series: list[tuple[str, list[float], str]], *, percent: bool = False
) -> go.Figure:
    """Grouped vertical bars: each series (name, values, colour) over ``labels``."""
    return _fig(
        [go.Bar(name=name, x=labels, y=values, marker_color=colour) for name, values, colour in series],
        barmode="group",
        showlegend=len(series) > 1,
        yaxis={"rangemode": "tozero", **({"tickformat": ".0%", "range": [0, 1]} if percent else {})},
    )


def payment_methods(methods: Sequence[ClinicPaymentMethod]) -> go.Figure:
    return split([m.method or "" for m in methods], [_n(m.amount) for m in methods])


def insurance_private(shares: DoctorInsuranceSplit) -> go.Figure:
    return split(["Medical aid", "Private"], [_n(shares.insurance), _n(shares.private)])


def hourly(points: Sequence[ClinicHourFlow]) -> go.Figure:
    """Patient flow by hour: appointments booked to start in each hour, and arrivals."""
    labels = [p.hour or "" for p in points]
    return _fig(
        [
            go.Bar(x=labels, y=[_n(p.booked) for p in points], marker_color=TEAL, name="Booked"),
            go.Bar(x=labels, y=[_n(p.arrived) for p in points], marker_color=VIOLET, name="Arrived"),
        ],
        yaxis={"rangemode": "tozero"},
    )
