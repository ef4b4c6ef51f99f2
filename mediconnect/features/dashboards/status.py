"""The dashboard pages' status parts: loading skeleton, error state with Retry, and the toolbar
with "Last updated", Refresh, Pause/Resume and the refresh timer (values and handlers in)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from mediconnect.features.dashboards import refresh
from mediconnect.features.dashboards.components import CARD_COLUMNS, CHART_COLUMNS, MUTED


def skeleton() -> rx.Component:
    block = rx.skeleton(rx.box(height="132px", width="100%"), loading=True)
    return rx.vstack(
        rx.skeleton(rx.box(height="28px", width="16em"), loading=True),
        rx.grid(*[block for _ in range(8)], grid_template_columns=CARD_COLUMNS, spacing="3", width="100%"),
        rx.grid(
            *[rx.skeleton(rx.box(height="280px", width="100%"), loading=True) for _ in range(3)],
            grid_template_columns=CHART_COLUMNS,
            spacing="3",
            width="100%",
        ),
        spacing="4",
        width="100%",
        data_testid="dash-skeleton",
        aria_busy="true",
    )


def error_state(code: rx.Var, message: rx.Var, help_text: rx.Var, on_retry: Any) -> rx.Component:
    return rx.callout.root(
        rx.callout.icon(rx.icon("triangle-alert")),
        rx.vstack(
            rx.hstack(
                rx.text(message, weight="bold", size="3", data_testid="dash-error-message"),
                rx.badge(code, color_scheme="red", variant="outline", data_testid="dash-error-code"),
                spacing="2",
                align="center",
                wrap="wrap",
            ),
            rx.cond(help_text != "", rx.text(help_text, size="2")),
            rx.button(
                rx.icon("rotate-ccw", size=14), "Retry", on_click=on_retry, size="2", data_testid="dash-retry"
            ),
            spacing="2",
            align="start",
        ),
        color_scheme="red",
        role="alert",
        width="100%",
        data_testid="dash-error",
    )


def toolbar(
    *,
    updated: rx.Var,
    from_cache: rx.Var,
    paused: rx.Var,
    refreshing: rx.Var,
    auto_refreshes: rx.Var,
    on_refresh: Any,
    on_pause: Any,
    on_resume: Any,
    on_tick: Any,
    live: rx.Var,
) -> rx.Component:
    return rx.flex(
        rx.vstack(
            rx.text(
                "Last updated ",
                rx.text(updated, as_="span", weight="bold", data_testid="dash-updated"),
                rx.cond(from_cache, " (cached)", ""),
                size="2",
            ),
            rx.text(rx.cond(paused, "Automatic refresh paused", refresh.LABEL), size="1", color=MUTED),
            spacing="0",
            flex="1 1 14em",
            min_width="0",
        ),
        rx.hstack(
            rx.button(
                rx.icon("refresh-cw", size=14),
                "Refresh",
                on_click=on_refresh,
                loading=refreshing,
                variant="soft",
                size="2",
                data_testid="dash-refresh",
            ),
            rx.cond(
                paused,
                rx.button(
                    rx.icon("play", size=14),
                    "Resume",
                    on_click=on_resume,
                    size="2",
                    data_testid="dash-resume",
                ),
                rx.button(
                    rx.icon("pause", size=14),
                    "Pause",
                    on_click=on_pause,
                    variant="soft",
                    color_scheme="gray",
                    size="2",
                    data_testid="dash-pause",
                ),
            ),
            spacing="2",
        ),
        # The timer exists only while refresh runs: pausing removes it, so nothing ticks at all.
        rx.cond(
            live & ~paused,
            rx.box(
                rx.moment(interval=refresh.TICK_MS, format="HH:mm:ss", on_change=on_tick),
                display="none",
                data_testid="dash-timer",
            ),
        ),
        rx.el.span(hidden=True, data_testid="dash-auto", data_count=auto_refreshes),
        spacing="3",
        align="center",
        wrap="wrap",
        width="100%",
        data_testid="dash-toolbar",
    )
