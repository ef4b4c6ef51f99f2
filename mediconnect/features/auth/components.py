"""Form building blocks shared by the sign-in, registration, reset and profile pages.

Plain functions of values and Vars (ARCHITECTURE convention 7): each field shows its label,
an optional hint, and its own error message right under it, announced to screen readers.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

ERROR_COLOR = rx.color("red", 11)


def field_error(message: rx.Var, *, name: str) -> rx.Component:
    return rx.cond(
        message,
        rx.text(
            rx.icon("circle-alert", size=14, flex_shrink="0", margin_top="3px"),
            message,
            size="2",
            color=ERROR_COLOR,
            id=f"{name}-error",
            role="alert",
            display="flex",
            gap="0.35em",
            data_testid=f"{name}-error",
        ),
    )


def form_field(
    label: str,
    name: str,
    *,
    errors: rx.Var,
    type_: str = "text",
    autocomplete: str | None = None,
    placeholder: str | None = None,
    hint: str | None = None,
    default_value: Any = None,
    required: bool = False,
    max_length: int | None = None,
    **input_props: Any,
) -> rx.Component:
    message = errors[name].to(str)
    props: dict[str, Any] = {
        "id": name,
        "name": name,
        "type": type_,
        "size": "3",
        "width": "100%",
        "aria_invalid": rx.cond(message, "true", "false"),
        "aria_describedby": f"{name}-error",
        **input_props,
    }
    if autocomplete:
        props["auto_complete"] = autocomplete
    if placeholder:
        props["placeholder"] = placeholder
    if default_value is not None:
        props["default_value"] = default_value
    if max_length:
        props["max_length"] = max_length
    return rx.vstack(
        rx.el.label(
            label,
            rx.text(" *", as_="span", color=rx.color("gray", 10), aria_hidden="true")
            if required
            else rx.fragment(),
            html_for=name,
            style={"fontWeight": "500", "fontSize": "var(--font-size-2)"},
        ),
        rx.input(**props),
        rx.text(hint, size="1", color=rx.color("gray", 10)) if hint else rx.fragment(),
        field_error(message, name=name),
        spacing="1",
        width="100%",
        align="stretch",
    )


def form_alert(message: rx.Var, *, kind: str = "error", test_id: str = "form-alert") -> rx.Component:
    scheme, icon = {
        "error": ("red", "triangle-alert"),
        "success": ("teal", "circle-check"),
        "info": ("blue", "info"),
    }[kind]
    return rx.cond(
        message,
        rx.callout(
            message,
            icon=icon,
            color_scheme=scheme,
            role="alert" if kind == "error" else "status",
            width="100%",
            data_testid=test_id,
        ),
    )


def submit_button(label: str, *, loading: rx.Var | bool = False, **props: Any) -> rx.Component:
    return rx.button(label, type="submit", size="3", loading=loading, width="100%", **props)


def auth_card(
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


def text_link(label: str, href: str, **props: Any) -> rx.Component:
    return rx.link(label, href=href, size="2", weight="medium", **props)
