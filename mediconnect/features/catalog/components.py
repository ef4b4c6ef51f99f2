"""Form pieces the catalogue pages share: labelled selects, checkboxes and dialog buttons.

Selects and checkboxes are uncontrolled and named, so a form's ``on_submit`` receives every
value at once and the service validates them together (one message per field)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from mediconnect.features.auth.components import form_field

DIALOG_WIDTH = "min(40em, calc(100vw - 2em))"
Options = list[dict[str, str]] | rx.Var


LABELS = {"xray": "X-ray", "ct": "CT", "mri": "MRI", "dexa": "DEXA", "ecg": "ECG"}


def enum_options(enum: type) -> list[dict[str, str]]:
    """{value, label} for each member of a StrEnum, labelled for people."""
    return [
        {"value": e.value, "label": LABELS.get(e.value, e.value.replace("_", " ").capitalize())} for e in enum
    ]


def field_error(errors: rx.Var, name: str) -> rx.Component:
    message = errors[name].to(str)
    return rx.cond(
        message,
        rx.text(message, size="2", color=rx.color("red", 11), role="alert", id=f"{name}-error"),
    )


def form_select(
    label: str, name: str, options: Options, *, errors: rx.Var, default: Any = None, placeholder: str = ""
) -> rx.Component:
    if isinstance(options, rx.Var):
        items: Any = rx.foreach(options, lambda o: rx.select.item(o["label"], value=o["value"]))
        content = rx.select.content(items)
    else:
        content = rx.select.content(*[rx.select.item(o["label"], value=o["value"]) for o in options])
    props: dict[str, Any] = {"name": name, "size": "3"}
    if default is not None:
        props["default_value"] = default
    return rx.vstack(
        rx.el.label(label, html_for=name, style={"fontWeight": "500", "fontSize": "var(--font-size-2)"}),
        rx.select.root(
            rx.select.trigger(placeholder=placeholder or f"Choose {label.lower()}", id=name, width="100%"),
            content,
            **props,
        ),
        field_error(errors, name),
        spacing="1",
        width="100%",
    )


def form_check(label: str, name: str, *, default: Any = False) -> rx.Component:
    return rx.el.label(
        rx.hstack(
            rx.checkbox(name=name, default_checked=default, id=name),
            rx.text(label, size="2"),
            spacing="2",
            align="center",
        ),
        html_for=name,
    )


def text_field(label: str, name: str, *, errors: rx.Var, **props: Any) -> rx.Component:
    return form_field(label, name, errors=errors, **props)


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
