"""Tables and paging: a table that scrolls inside its own box, right-aligned money columns,
and the pager under a list."""

from __future__ import annotations

from typing import Any

import reflex as rx


def scroll_table(*children: rx.Component, test_id: str, min_width: str) -> rx.Component:
    """A table that scrolls sideways inside its own box, never the page."""
    return rx.box(
        rx.table.root(*children, variant="surface", size="2", min_width=min_width, width="100%"),
        overflow_x="auto",
        width="100%",
        max_width="100%",
        data_testid=test_id,
    )


def amount_cell(value: rx.Var, **props: Any) -> rx.Component:
    return rx.table.cell(
        rx.text(value, size="2", style={"fontVariantNumeric": "tabular-nums"}),
        text_align="right",
        white_space="nowrap",
        **props,
    )


def amount_header(label: str, **props: Any) -> rx.Component:
    return rx.table.column_header_cell(label, text_align="right", white_space="nowrap", **props)


def pager(
    *, page: Any, pages: Any, total: Any, noun: tuple[str, str], on_prev: Any, on_next: Any
) -> rx.Component:
    """ "12 invoices · page 1 of 2" and Previous / Next. ``noun``: (singular, plural)."""
    return rx.flex(
        rx.text(
            total.to_string(),
            rx.cond(total == 1, f" {noun[0]}", f" {noun[1]}"),
            " · page ",
            page.to_string(),
            " of ",
            pages.to_string(),
            size="2",
            color=rx.color("gray", 11),
            data_testid="pager-status",
        ),
        rx.hstack(
            rx.button(
                rx.icon("chevron-left", size=16),
                "Previous",
                variant="soft",
                color_scheme="gray",
                disabled=page <= 1,
                on_click=on_prev,
            ),
            rx.button(
                "Next",
                rx.icon("chevron-right", size=16),
                variant="soft",
                color_scheme="gray",
                disabled=page >= pages,
                on_click=on_next,
            ),
            spacing="2",
        ),
        justify="between",
        align="center",
        wrap="wrap",
        spacing="2",
        width="100%",
    )
