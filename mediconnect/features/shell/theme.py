"""The app's look: calm clinical teal on slate grays, in one place.

Reflex 0.10 deprecates ``rx.App(theme=...)`` in favour of
``rx.plugins.RadixThemesPlugin(theme=app_theme())`` in rxconfig.py; either uses this.
"""

from __future__ import annotations

import reflex as rx

FAVICON = "/favicon.svg"
MAX_WIDTH = "1200px"
# Horizontal padding of every full-width band, so the top bar lines up with the content.
GUTTER = rx.breakpoints(initial="1.25em", sm="2em")
# A faint teal wash behind hero and call-to-action bands.
SOFT_BAND = "linear-gradient(180deg, var(--teal-2) 0%, var(--gray-1) 100%)"


def app_theme() -> rx.Component:
    return rx.theme(
        appearance="light",
        accent_color="teal",
        gray_color="slate",
        radius="large",
        scaling="100%",
        has_background=True,
    )


GLOBAL_STYLE: dict = {
    # Nothing may push the page wider than a tablet's screen.
    "html, body": {"overflow_x": "hidden"},
    "::selection": {"background": "var(--teal-5)"},
}
