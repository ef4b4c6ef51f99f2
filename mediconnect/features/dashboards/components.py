"""Dashboard building blocks (values and handlers in, components out; no State classes here).

Metric cards (value, change with a trend arrow, target and progress), chart cards, alerts,
insights and quick actions. Grids take as many columns as fit, so nothing is wider than a
tablet held upright (768 px) and a wall screen shows a section in one row.
"""

from __future__ import annotations

import reflex as rx

ICONS = (
    "calendar",
    "calendar-check",
    "users",
    "user-plus",
    "banknote",
    "wallet",
    "receipt",
    "timer",
    "clock",
    "hourglass",
    "star",
    "file-check",
    "repeat",
    "door-open",
    "stethoscope",
)
# As many columns as fit: a wall screen shows a whole section in one row, an upright tablet two.
CARD_COLUMNS = "repeat(auto-fit, minmax(min(15em, 100%), 1fr))"
CHART_COLUMNS = "repeat(auto-fit, minmax(min(22em, 100%), 1fr))"
SEVERITY = (("critical", "red"), ("high", "orange"), ("medium", "amber"), ("low", "blue"))
IMPACT = (("positive", "green"), ("negative", "red"))
MUTED = rx.color("gray", 11)


def _icon(name: rx.Var) -> rx.Component:
    return rx.match(name, *[(n, rx.icon(n, size=18)) for n in ICONS], rx.icon("activity", size=18))


def _trend(m: rx.Var) -> rx.Component:
    colour = rx.match(m["tone"], ("good", rx.color("green", 11)), ("bad", rx.color("red", 11)), MUTED)
    arrow = rx.match(
        m["trend"],
        ("up", rx.icon("arrow-up", size=14)),
        ("down", rx.icon("arrow-down", size=14)),
        rx.icon("arrow-right", size=14),
    )
    return rx.cond(
        m["trend"] != "",
        rx.hstack(
            arrow,
            rx.text(m["change"], size="2", weight="medium"),
            spacing="1",
            align="center",
            color=colour,
            data_testid="metric-trend",
            data_trend=m["trend"],
        ),
    )


def metric_card(m: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.center(
                    _icon(m["icon"]),
                    width="32px",
                    height="32px",
                    border_radius="9px",
                    background=rx.color("accent", 3),
                    color=rx.color("accent", 11),
                    flex_shrink="0",
                ),
                rx.text(m["title"], size="2", weight="medium", color=MUTED),
                spacing="2",
                align="center",
            ),
            rx.text(m["value"], size="7", weight="bold", data_testid="metric-value", line_height="1.1"),
            rx.cond(m["subtitle"] != "", rx.text(m["subtitle"], size="2", color=MUTED)),
            _trend(m),
            rx.cond(
                m["progress"] >= 0,
                rx.vstack(
                    rx.hstack(
                        rx.text(m["target"], size="1", color=MUTED),
                        rx.text(m["progress_label"], size="1", weight="bold", data_testid="metric-progress"),
                        justify="between",
                        width="100%",
                    ),
                    rx.progress(value=m["progress"], max=100, size="2", width="100%"),
                    spacing="1",
                    width="100%",
                ),
                rx.cond(m["target"] != "", rx.text(m["target"], size="1", color=MUTED)),
            ),
            spacing="2",
            width="100%",
            min_width="0",
        ),
        size="2",
        width="100%",
        data_testid=f"metric-{m['key']}",
    )


def metric_grid(items: rx.Var, *, test_id: str) -> rx.Component:
    return rx.grid(
        rx.foreach(items, metric_card),
        grid_template_columns=CARD_COLUMNS,
        spacing="3",
        width="100%",
        data_testid=test_id,
    )


def section(
    title: str | rx.Var, *children: rx.Component, note: rx.Var | str = "", test_id: str = ""
) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.heading(title, as_="h2", size="4"),
            rx.text(note, size="2", color=MUTED),
            spacing="3",
            align="baseline",
            wrap="wrap",
        ),
        *children,
        spacing="3",
        width="100%",
        data_testid=test_id or None,
    )


def chart_card(title: str, figure: rx.Var, *, test_id: str, note: str = "") -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(title, size="3", weight="bold"),
            rx.cond(note != "", rx.text(note, size="1", color=MUTED)),
            rx.box(
                rx.plotly(
                    data=figure,
                    config={"displayModeBar": False, "responsive": True},
                    width="100%",
                    height="260px",
                ),
                width="100%",
                min_width="0",
                overflow="hidden",
            ),
            spacing="2",
            width="100%",
            min_width="0",
        ),
        width="100%",
        min_width="0",
        data_testid=test_id,
    )


def chart_grid(*cards: rx.Component) -> rx.Component:
    return rx.grid(*cards, grid_template_columns=CHART_COLUMNS, spacing="3", width="100%")


def empty_note(text: str) -> rx.Component:
    return rx.text(text, size="2", color=MUTED, padding_y="0.5em")


def alert_item(a: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.badge(
                    a["severity"], color_scheme=rx.match(a["severity"], *SEVERITY, "gray"), variant="solid"
                ),
                rx.text(a["kind"], size="2", weight="bold"),
                rx.cond(a["who"] != "", rx.text("· ", a["who"], size="2", weight="medium")),
                spacing="2",
                align="center",
                wrap="wrap",
            ),
            rx.text(a["message"], size="2"),
            rx.cond(a["facts"] != "", rx.text(a["facts"], size="1", color=MUTED)),
            rx.cond(
                a["action"] != "",
                rx.callout(
                    rx.text(rx.text(a["action_label"], ": ", as_="span", weight="bold"), a["action"]),
                    icon="lightbulb",
                    size="1",
                    color_scheme=rx.cond(a["action_label"] == "Action required", "orange", "teal"),
                    width="100%",
                ),
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        data_testid="dash-alert",
        data_severity=a["severity"],
    )


def alert_list(alerts: rx.Var, *, none: str) -> rx.Component:
    """Most urgent first; a long list scrolls in its own box so the rest of the page stays near."""
    return rx.cond(
        alerts.length() > 0,
        rx.box(
            rx.grid(
                rx.foreach(alerts, alert_item),
                grid_template_columns=CHART_COLUMNS,
                spacing="2",
                width="100%",
            ),
            max_height="40em",
            overflow_y="auto",
            width="100%",
            padding_right="2px",
            data_testid="dash-alerts",
        ),
        empty_note(none),
    )


def insight_item(i: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.badge(i["category"], variant="soft", color_scheme="gray"),
                rx.badge(i["impact"], variant="soft", color_scheme=rx.match(i["impact"], *IMPACT, "gray")),
                spacing="2",
            ),
            rx.text(i["insight"], size="2", weight="medium"),
            rx.cond(i["recommendation"] != "", rx.text(i["recommendation"], size="2", color=MUTED)),
            spacing="2",
            width="100%",
        ),
        width="100%",
        data_testid="dash-insight",
    )


def insight_list(items: rx.Var, *, none: str) -> rx.Component:
    return rx.cond(
        items.length() > 0,
        rx.grid(
            rx.foreach(items, insight_item), grid_template_columns=CHART_COLUMNS, spacing="2", width="100%"
        ),
        empty_note(none),
    )


def _action(a: rx.Var) -> rx.Component:
    inner = rx.hstack(
        rx.text(a["label"], size="2", weight="medium"),
        rx.badge(a["count"], variant="solid", radius="full", data_testid="quick-action-count"),
        spacing="2",
        align="center",
    )
    return rx.cond(
        a["href"] != "",
        rx.link(
            rx.button(inner, variant="soft", size="2"),
            href=a["href"],
            underline="none",
            data_testid=f"quick-action-{a['action']}",
        ),
        rx.button(
            inner,
            variant="soft",
            size="2",
            disabled=True,
            title="The count is live; this list has no page of its own yet",
            data_testid=f"quick-action-{a['action']}",
        ),
    )


def quick_actions(actions: rx.Var) -> rx.Component:
    return rx.flex(
        rx.foreach(actions, _action), spacing="2", wrap="wrap", width="100%", data_testid="quick-actions"
    )
