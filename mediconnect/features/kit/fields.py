"""Form fields and the filter bar, shared by every form and list page.

Each field shows its label, an optional hint and its own error message right under it,
announced to screen readers (``errors`` is the state's {field: message} dict). Selects and
checkboxes in forms are uncontrolled and named, so ``on_submit`` receives every value at once and
the service validates them together; the filter bar's selects are controlled (each change
reloads the list).
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from mediconnect.services.options import Option

ERROR_COLOR = rx.color("red", 11)
Options = list[Option] | rx.Var
LABEL_STYLE = {"fontWeight": "500", "fontSize": "var(--font-size-2)"}


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
    errors: Any,
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
            style=LABEL_STYLE,
        ),
        rx.input(**props),
        rx.text(hint, size="1", color=rx.color("gray", 10)) if hint else rx.fragment(),
        field_error(message, name=name),
        spacing="1",
        width="100%",
        align="stretch",
    )


def labelled(label: str, control: rx.Component, *, html_for: str | None = None) -> rx.Component:
    return rx.vstack(
        rx.el.label(label, html_for=html_for, style=LABEL_STYLE),
        control,
        spacing="1",
        width="100%",
    )


def _items(options: Options) -> rx.Component:
    if isinstance(options, rx.Var):
        return rx.select.content(rx.foreach(options, lambda o: rx.select.item(o["label"], value=o["value"])))
    return rx.select.content(*[rx.select.item(o["label"], value=o["value"]) for o in options])


def choice(
    *,
    id_: str,
    value: rx.Var,
    on_change: Any,
    options: Options,
    placeholder: str = "",
    label: str = "",
) -> rx.Component:
    """A controlled select over ``options``; ``label`` names it for screen readers."""
    return rx.select.root(
        rx.select.trigger(placeholder=placeholder, id=id_, width="100%", aria_label=label or None),
        _items(options),
        value=value,
        on_change=on_change,
        size="2",
    )


def form_select(
    label: str, name: str, options: Options, *, errors: Any, default: Any = None, placeholder: str = ""
) -> rx.Component:
    """An uncontrolled, named select with its label and error."""
    props: dict[str, Any] = {"name": name, "size": "3"}
    if default is not None:
        props["default_value"] = default
    return rx.vstack(
        rx.el.label(label, html_for=name, style=LABEL_STYLE),
        rx.select.root(
            rx.select.trigger(placeholder=placeholder or f"Choose {label.lower()}", id=name, width="100%"),
            _items(options),
            **props,
        ),
        field_error(errors[name].to(str), name=name),
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


def submit_button(label: str, *, loading: rx.Var | bool = False, **props: Any) -> rx.Component:
    return rx.button(label, type="submit", size="3", loading=loading, width="100%", **props)


# --------------------------------------------------------------------------- filter bar


def search_box(
    *,
    name: str,
    id_: str,
    value: rx.Var,
    placeholder: str,
    label: str,
    on_submit: Any,
    key: rx.Var | str,
    max_length: int = 100,
    size: str = "2",
) -> rx.Component:
    """A search field with its button; submitting runs ``on_submit`` with {name: text}."""
    return rx.form(
        rx.hstack(
            rx.input(
                rx.input.slot(rx.icon("search", size=16)),
                name=name,
                id=id_,
                default_value=value,
                placeholder=placeholder,
                aria_label=label,
                max_length=max_length,
                size=size,
                width="100%",
            ),
            rx.button("Search", type="submit", size=size),
            spacing="2",
            width="100%",
        ),
        key=key,
        on_submit=on_submit,
        aria_label=label,
        flex="2 1 18em",
    )


def filter_select(
    *, id_: str, value: rx.Var, on_change: Any, options: Options, label: str, flex: str = "1 1 10em"
) -> rx.Component:
    return rx.box(
        choice(id_=id_, value=value, on_change=on_change, options=options, label=label),
        flex=flex,
    )


def filter_switch(
    label: str, *, id_: str, checked: rx.Var, on_change: Any, test_id: str | None = None
) -> rx.Component:
    return rx.el.label(
        rx.hstack(
            rx.switch(checked=checked, on_change=on_change, id=id_, data_testid=test_id),
            rx.text(label, size="2"),
            spacing="2",
            align="center",
        ),
        html_for=id_,
        style={"display": "flex", "alignItems": "center", "cursor": "pointer"},
    )


def filter_bar(*controls: rx.Component, spacing: str = "3") -> rx.Component:
    """The row of a list page's filters, wrapping on narrow screens."""
    return rx.flex(*controls, spacing=spacing, wrap="wrap", align="center", width="100%")
