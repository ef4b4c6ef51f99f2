"""The 404 page, inside the normal layout so a visitor can navigate on.

Until their issues land, many nav links lead here.
"""

from __future__ import annotations

import reflex as rx

from mediconnect.features.shell.template import page


@page(route="404", title="Page not found")
def not_found() -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.icon("compass", size=40, color=rx.color("accent", 9)),
            rx.heading("Page not found", size="7"),
            rx.text(
                "This page does not exist, or it is not available yet.",
                size="4",
                color=rx.color("gray", 11),
            ),
            rx.link(rx.button("Back to the home page", size="3"), href="/", underline="none"),
            align="center",
            spacing="4",
            text_align="center",
        ),
        min_height="50vh",
    )
