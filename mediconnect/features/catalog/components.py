"""Layout the catalogue pages share: enum choices, grids of fields, dialog buttons, sections.

The fields themselves (``form_field``, ``form_select``, ``form_check``) are ``features/kit``'s."""

from __future__ import annotations

import reflex as rx

from mediconnect.services.options import Option

DIALOG_WIDTH = "min(40em, calc(100vw - 2em))"


LABELS = {"xray": "X-ray", "ct": "CT", "mri": "MRI", "dexa": "DEXA", "ecg": "ECG"}


def enum_options(enum: type) -> list[Option]:
    """One ``Option`` for each member of a StrEnum, labelled for people."""
    return [
        Option(value=e.value, label=LABELS.get(e.value, e.value.replace("_", " ").capitalize())) for e in enum
    ]


def grid(*children: rx.Component, columns: str = "2") -> rx.Component:
    return rx.grid(*children, columns=rx.breakpoints(initial="1", xs=columns), spacing="3", width="100%")


def buttons(*children: rx.Component) -> rx.Component:
    return rx.flex(*children, spacing="2", justify="end", wrap="wrap", width="100%", margin_top="0.5em")


def cancel_button(label: str = "Cancel") -> rx.Component:
    return rx.dialog.close(rx.button(label, type="button", variant="soft", color_scheme="gray", size="3"))


def section(title: str, *children: rx.Component, action: rx.Component | None = None) -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.heading(title, as_="h2", size="4"),
            action or rx.fragment(),
            justify="between",
            align="center",
            wrap="wrap",
            spacing="2",
            width="100%",
        ),
        *children,
        spacing="3",
        width="100%",
    )
