"""The layout's parts: top bar with role-aware navigation, and footer.

Components take values, not State classes, except the nav parts, which read the session's
links: the layout is the one place that knows about SessionState.
"""

from __future__ import annotations

import reflex as rx
from reflex_components_core.react_router.dom import ReactRouterLink

from mediconnect.features.shell.state import SessionState
from mediconnect.features.shell.theme import GUTTER, MAX_WIDTH

# Inline links show from 62em (992px, i.e. tablet landscape) up; below, the menu button.
WIDE = rx.breakpoints(initial="none", md="flex")
NARROW = rx.breakpoints(initial="flex", md="none")
# On phones the action buttons move into the menu too.
ROOMY = rx.breakpoints(initial="none", xs="flex")
TIGHT = rx.breakpoints(initial="flex", xs="none")


def brand() -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.center(
                rx.icon("scan-line", size=20, color="white"),
                width="34px",
                height="34px",
                border_radius="10px",
                background="linear-gradient(135deg, var(--teal-9), var(--cyan-10))",
            ),
            rx.text("MediConnect", size="5", weight="bold", color=rx.color("gray", 12)),
            align="center",
            spacing="2",
        ),
        href="/",
        underline="none",
        aria_label="MediConnect home",
        data_testid="brand",
    )


def _is_current(href: rx.Var) -> rx.Var:
    return rx.State.router.url.path == href


def _inline_link(item: rx.Var) -> rx.Component:
    return rx.link(
        item["label"],
        href=item["href"],
        size="2",
        weight="medium",
        underline="none",
        padding_x="0.75em",
        padding_y="0.4em",
        border_radius="var(--radius-2)",
        color=rx.cond(_is_current(item["href"]), rx.color("accent", 11), rx.color("gray", 11)),
        background=rx.cond(_is_current(item["href"]), rx.color("accent", 3), "transparent"),
        _hover={"background": rx.color("gray", 3), "color": rx.color("gray", 12)},
        white_space="nowrap",
    )


def _menu_link(item: rx.Var) -> rx.Component:
    # The item itself becomes the router link (a real <a href>): rx.link would add a second
    # Slot layer, which Radix fails to slot through ("Slot failed to slot onto its children").
    return rx.menu.item(ReactRouterLink.create(item["label"], to=item["href"]), as_child=True)


def _more_menu() -> rx.Component:
    return rx.cond(
        SessionState.nav_more.length() > 0,
        rx.menu.root(
            rx.menu.trigger(
                rx.button("More", rx.icon("chevron-down", size=14), variant="ghost", color_scheme="gray")
            ),
            rx.menu.content(rx.foreach(SessionState.nav_more, _menu_link), align="end"),
        ),
    )


def _action_buttons() -> rx.Component:
    # The last action is the primary one (Register; later Sign out stays alone).
    return rx.hstack(
        rx.foreach(
            SessionState.nav_actions,
            lambda item, i: rx.link(
                rx.button(
                    item["label"],
                    variant=rx.cond(i == SessionState.nav_actions.length() - 1, "solid", "soft"),
                    size="2",
                ),
                href=item["href"],
                underline="none",
            ),
        ),
        spacing="2",
        align="center",
        display=ROOMY,
    )


def _menu_button() -> rx.Component:
    return rx.box(
        rx.menu.root(
            rx.menu.trigger(
                rx.icon_button(
                    rx.icon("menu", size=20),
                    variant="soft",
                    color_scheme="gray",
                    size="2",
                    aria_label="Open navigation menu",
                )
            ),
            rx.menu.content(
                rx.foreach(SessionState.nav_inline, _menu_link),
                rx.foreach(SessionState.nav_more, _menu_link),
                rx.box(
                    rx.menu.separator(),
                    rx.foreach(SessionState.nav_actions, _menu_link),
                    display=TIGHT,
                ),
                align="end",
                min_width="12em",
            ),
        ),
        display=NARROW,
    )


def top_bar() -> rx.Component:
    return rx.el.header(
        rx.hstack(
            brand(),
            rx.el.nav(
                rx.hstack(
                    rx.foreach(SessionState.nav_inline, _inline_link),
                    _more_menu(),
                    spacing="1",
                    align="center",
                ),
                display=WIDE,
                aria_label="Main",
            ),
            rx.spacer(),
            _action_buttons(),
            _menu_button(),
            align="center",
            spacing="4",
            max_width=MAX_WIDTH,
            margin_x="auto",
            padding_x=GUTTER,
            height="64px",
        ),
        position="sticky",
        top="0",
        z_index="20",
        width="100%",
        background="color-mix(in srgb, var(--color-background) 88%, transparent)",
        backdrop_filter="blur(8px)",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
    )


def footer() -> rx.Component:
    return rx.el.footer(
        rx.flex(
            rx.text("© MediConnect · Radiology and clinic practice platform", size="2", color_scheme="gray"),
            rx.spacer(),
            rx.text("Book scans · Secure reports · Live practice dashboards", size="2", color_scheme="gray"),
            direction=rx.breakpoints(initial="column", sm="row"),
            spacing="2",
            max_width=MAX_WIDTH,
            margin_x="auto",
            padding_x=GUTTER,
            padding_y="1.5em",
        ),
        width="100%",
        border_top=f"1px solid {rx.color('gray', 4)}",
        background=rx.color("gray", 2),
    )
