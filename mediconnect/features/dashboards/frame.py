"""The frame both dashboard pages share: heading with picker, toolbar, skeleton / error / body.

Full width (up to a wall screen's 1760 px) instead of the 1200 px column of the other pages.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from mediconnect.features.dashboards import components as c
from mediconnect.features.dashboards import status
from mediconnect.features.kit.fields import choice
from mediconnect.features.shell.theme import GUTTER

WALL_WIDTH = "1760px"


def frame(
    state: Any,
    *,
    title: rx.Var,
    about: rx.Var,
    picker_label: str,
    show_picker: rx.Var,
    body: rx.Component,
    test_id: str,
) -> rx.Component:
    heading = rx.flex(
        rx.vstack(
            rx.heading(title, as_="h1", size="7", weight="bold", data_testid="dash-title"),
            rx.text(about, size="3", color=c.MUTED),
            spacing="1",
            flex="1 1 20em",
            min_width="0",
        ),
        rx.cond(
            show_picker,
            rx.box(
                choice(
                    id_="dash-picker",
                    value=state.selected,
                    on_change=state.choose,
                    options=state.options,
                    label=picker_label,
                    placeholder=picker_label,
                ),
                flex="0 1 18em",
                min_width="12em",
            ),
        ),
        align="end",
        justify="between",
        wrap="wrap",
        spacing="3",
        width="100%",
    )
    bar = status.toolbar(
        updated=state.updated,
        from_cache=state.from_cache,
        paused=state.paused,
        refreshing=state.refreshing,
        auto_refreshes=state.auto_refreshes,
        on_refresh=state.refresh,
        on_pause=state.pause,
        on_resume=state.resume,
        on_tick=state.tick,
        live=state.loaded & ~state.denied,
    )
    error = status.error_state(state.error_code, state.error_message, state.error_help, state.retry)
    return rx.box(
        rx.vstack(
            rx.cond(state.denied, rx.fragment(), heading),
            rx.cond(
                state.loading,
                status.skeleton(),
                rx.cond(
                    state.loaded,
                    rx.vstack(bar, rx.cond(state.error_code != "", error), body, spacing="5", width="100%"),
                    rx.cond(
                        state.error_code != "",
                        rx.vstack(
                            error,
                            rx.cond(
                                state.denied,
                                rx.link("Go to your own dashboard", href="/dashboard/", size="2"),
                            ),
                            spacing="3",
                            width="100%",
                        ),
                    ),
                ),
            ),
            spacing="4",
            width="100%",
            data_testid=test_id,
            data_loaded=state.loaded,
        ),
        max_width=WALL_WIDTH,
        margin_x="auto",
        padding=GUTTER,
        padding_y="1.5em",
        width="100%",
        min_width="0",
    )


def two_columns(*children: rx.Component) -> rx.Component:
    return rx.grid(
        *children, columns=rx.breakpoints(initial="1", lg="2"), spacing="4", width="100%", align_items="start"
    )
