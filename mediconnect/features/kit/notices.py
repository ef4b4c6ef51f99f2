"""Messages on a page: notices and alerts, status badges, and the loaded / missing object frame
(the spinner while the object loads, a sentence when it is not there or not the caller's, the
page once it is)."""

from __future__ import annotations

import reflex as rx

from mediconnect.features.kit.layout import busy_spinner

_KINDS = {
    "error": ("red", "triangle-alert"),
    "success": ("teal", "circle-check"),
    "info": ("blue", "info"),
}


def form_alert(message: rx.Var, *, kind: str = "error", test_id: str = "form-alert") -> rx.Component:
    """A callout of a fixed ``kind`` shown while ``message`` is not empty."""
    scheme, icon = _KINDS[kind]
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


def notice(message: rx.Var, kind: rx.Var | str, *, test_id: str = "notice") -> rx.Component:
    """A callout whose colour follows ``kind`` held in state ("success", "error", "info")."""
    return rx.cond(
        message,
        rx.callout(
            message,
            icon="info",
            color_scheme=rx.match(kind, ("success", "teal"), ("error", "red"), "blue"),
            role="status",
            width="100%",
            data_testid=test_id,
        ),
    )


def error_text(message: rx.Var, *, name: str) -> rx.Component:
    """One line in red under a control, announced to screen readers."""
    return rx.cond(
        message,
        rx.text(message, size="2", color=rx.color("red", 11), role="alert", data_testid=f"{name}-error"),
    )


def status_badge(status: rx.Var, label: rx.Var, colors: dict[str, str], **props: object) -> rx.Component:
    """``label`` on a soft badge coloured by ``status`` (``colors``: status -> colour)."""
    return rx.badge(
        label,
        color_scheme=rx.match(status, *colors.items(), "gray"),
        variant="soft",
        white_space="nowrap",
        **props,
    )


def missing_callout(message: rx.Var, *, test_id: str) -> rx.Component:
    """The object is not there, or not one the caller may open (the same sentence for both)."""
    return rx.callout(message, icon="triangle-alert", color_scheme="amber", width="100%", data_testid=test_id)


def not_found(message: rx.Var | str, back_href: str, back_label: str, *, test_id: str) -> rx.Component:
    """``missing_callout`` with a way back."""
    return rx.callout(
        rx.vstack(rx.text(message), rx.link(back_label, href=back_href, weight="medium"), spacing="2"),
        icon="search-x",
        color_scheme="gray",
        width="100%",
        data_testid=test_id,
    )


def object_frame(
    loaded: rx.Var, missing: rx.Var, body: rx.Component, *, when_missing: rx.Component
) -> rx.Component:
    """The page of one object: a spinner until ``loaded``, ``when_missing`` while ``missing`` says
    why there is nothing to show, else ``body``."""
    return rx.cond(loaded, rx.cond(missing, when_missing, body), busy_spinner())
