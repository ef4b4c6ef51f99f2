"""Building blocks of the landing page; plain functions of their values."""

from __future__ import annotations

import reflex as rx

from mediconnect.features.kit.format import money
from mediconnect.features.shell.theme import GUTTER, MAX_WIDTH


def section(*children: rx.Component, background: str | None = None, **props) -> rx.Component:
    return rx.box(
        rx.box(
            *children,
            max_width=MAX_WIDTH,
            margin_x="auto",
            padding_x=GUTTER,
            padding_y=["3em", "3em", "4.5em"],
        ),
        width="100%",
        background=background,
        **props,
    )


def section_heading(eyebrow: str, title: str, lead: str) -> rx.Component:
    return rx.vstack(
        rx.text(eyebrow, size="2", weight="bold", color=rx.color("accent", 11), text_transform="uppercase"),
        rx.heading(title, as_="h2", size=rx.breakpoints(initial="7", md="8"), weight="bold"),
        rx.text(lead, size="4", color=rx.color("gray", 11), max_width="44em"),
        spacing="3",
        margin_bottom="2.5em",
    )


def cta_link(label: str, href: str, *, icon: str | None = None, variant: str = "solid") -> rx.Component:
    children = [label] + ([rx.icon(icon, size=18)] if icon else [])
    return rx.link(rx.button(*children, size="4", variant=variant), href=href, underline="none")


def feature_card(icon: str, title: str, text: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.center(
                rx.icon(icon, size=22, color=rx.color("accent", 11)),
                width="44px",
                height="44px",
                border_radius="12px",
                background=rx.color("accent", 3),
            ),
            rx.heading(title, as_="h3", size="4", weight="bold"),
            rx.text(text, size="3", color=rx.color("gray", 11)),
            spacing="3",
        ),
        size="3",
        height="100%",
    )


def role_card(icon: str, who: str, sees: str) -> rx.Component:
    return rx.hstack(
        rx.icon(icon, size=22, color=rx.color("accent", 11), flex_shrink="0", margin_top="2px"),
        rx.vstack(
            rx.heading(who, as_="h3", size="3", weight="bold"),
            rx.text(sees, size="2", color=rx.color("gray", 11)),
            spacing="1",
        ),
        align="start",
        spacing="3",
        padding="1.25em",
        border_radius="var(--radius-4)",
        border=f"1px solid {rx.color('gray', 5)}",
        background=rx.color("gray", 1),
        height="100%",
    )


def step(number: str, title: str, text: str) -> rx.Component:
    return rx.vstack(
        rx.center(
            rx.text(number, size="4", weight="bold", color="white"),
            width="40px",
            height="40px",
            border_radius="50%",
            background=rx.color("accent", 9),
        ),
        rx.heading(title, as_="h3", size="4"),
        rx.text(text, size="3", color=rx.color("gray", 11)),
        spacing="3",
    )


def _quote_row(label: str, amount: str, *, strong: bool = False) -> rx.Component:
    weight = "bold" if strong else "regular"
    return rx.hstack(
        rx.text(label, size="2", color=rx.color("gray", 11), weight=weight),
        rx.spacer(),
        rx.text(amount, size="2", weight=weight, font_variant_numeric="tabular-nums"),
        width="100%",
    )


def _slot(time: str, *, chosen: bool = False) -> rx.Component:
    return rx.badge(time, size="2", variant="solid" if chosen else "surface", radius="full")


def booking_preview() -> rx.Component:
    """An illustration of the booking summary, with made-up figures."""
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon("calendar-check", size=18, color=rx.color("accent", 11)),
                rx.text("MRI · Knee", size="3", weight="bold"),
                rx.spacer(),
                rx.badge("Example", color_scheme="gray", variant="soft"),
                width="100%",
                align="center",
            ),
            rx.text("Open slots on Thursday", size="2", color=rx.color("gray", 11)),
            rx.flex(
                _slot("08:30"),
                _slot("10:15", chosen=True),
                _slot("13:00"),
                _slot("15:45"),
                wrap="wrap",
                spacing="2",
            ),
            rx.separator(size="4"),
            _quote_row("Scan fee", money(4850)),
            _quote_row("Medical aid cover", money(-4100)),
            _quote_row("Your co-payment", money(750), strong=True),
            rx.button("Confirm booking", size="3", width="100%", tab_index=-1),
            spacing="3",
            width="100%",
        ),
        size="4",
        width="100%",
        max_width="380px",
        box_shadow="0 24px 48px -24px rgba(15, 118, 110, 0.35)",
        # Decoration only: not clickable, and screen readers skip it.
        pointer_events="none",
        aria_hidden="true",
    )
