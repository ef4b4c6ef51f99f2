"""The Reflex app: theme, pages and the JSON/WebSocket API mounted in front of Reflex."""

from __future__ import annotations

import reflex as rx

from mediconnect.api.router import create_api
from mediconnect.features.landing import page as _landing  # noqa: F401 - registers its pages
from mediconnect.features.shell.theme import GLOBAL_STYLE, app_theme

app = rx.App(
    theme=app_theme(),
    style=GLOBAL_STYLE,
    html_lang="en",
    api_transformer=create_api(),
)
