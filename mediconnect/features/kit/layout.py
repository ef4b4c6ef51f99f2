"""Page furniture every feature shares: headings, cards, facts, figures, links and spinners.

Plain functions of values and Vars (ARCHITECTURE convention 7), reflex-dev/templates style.
"""

from __future__ import annotations

from typing import Any

import reflex as rx


def page_heading(title: str, subtitle: str, *actions: rx.Component) -> rx.Component:
    """The h1 of a page, a line saying what it is for, and its actions on the right."""
    return rx.flex(
        rx.vstack(
            rx.heading(title, as_="h1", size="7", weight="bold"),
            rx.text(subtitle, size="3", color=rx.color("gray", 11)),
            spacing="1",
            flex="1 1 20em",
        ),
        rx.hstack(*actions, spacing="2", wrap="wrap"),
        align="end",
        justify="between",
        wrap="wrap",
        spacing="3",
        width="100%",
    )


def centred_card(
    title: str, subtitle: str | rx.Var, *children: rx.Component, width: str = "30em"
) -> rx.Component:
    """A centred card for the sign-in style pages."""
    return rx.center(
        rx.card(
            rx.vstack(
                rx.heading(title, as_="h1", size="7", weight="bold"),
                rx.text(subtitle, size="3", color=rx.color("gray", 11)),
                *children,
                spacing="4",
                width="100%",
            ),
            size="4",
            width="100%",
            max_width=width,
        ),
        padding_y=rx.breakpoints(initial="1.5em", sm="3em"),
        width="100%",
    )


def section_card(title: str, description: str, *children: rx.Component, test_id: str) -> rx.Component:
    """One titled panel of a settings page (profile)."""
    return rx.card(
        rx.vstack(
            rx.heading(title, as_="h2", size="5", weight="bold"),
            rx.text(description, size="2", color=rx.color("gray", 11)),
            *children,
            spacing="4",
            width="100%",
        ),
        size="3",
        width="100%",
        data_testid=test_id,
    )


def fact(label: str, value: rx.Var | str, *, test_id: str | None = None) -> rx.Component:
    """A small uppercase label over its value."""
    return rx.vstack(
        rx.text(label, size="1", weight="medium", color=rx.color("gray", 11), text_transform="uppercase"),
        rx.text(value, size="3", data_testid=test_id),
        spacing="1",
        min_width="0",
    )


def stat(label: str, value: rx.Var, *, test_id: str, tone: str = "gray") -> rx.Component:
    """One figure of a totals strip."""
    return rx.card(
        rx.vstack(
            rx.text(label, size="1", color=rx.color("gray", 11), weight="medium"),
            rx.text(value, size="5", weight="bold", color=rx.color(tone, 12) if tone != "gray" else None),  # type: ignore[arg-type]
            spacing="1",
        ),
        size="1",
        flex="1 1 9em",
        data_testid=test_id,
    )


def back_link(label: str, href: str | rx.Var) -> rx.Component:
    return rx.link(
        rx.hstack(rx.icon("arrow-left", size=16), rx.text(label), spacing="1", align="center"),
        href=href,
        size="2",
        color_scheme="gray",
    )


def text_link(label: str, href: str, **props: Any) -> rx.Component:
    return rx.link(label, href=href, size="2", weight="medium", **props)


def busy_spinner() -> rx.Component:
    """What a page shows while its object loads."""
    return rx.center(rx.spinner(size="3"), width="100%", min_height="40vh")
