"""What the admin pages share: calling a service as the signed-in admin, and a few components.

``admin_call`` is how every admin handler touches data. It asks the server-side session who
is calling (``current_user``: never an id held in page state), resolves their ``Principal``
from the database now, and runs the service, which checks ``require_admin`` itself and
audits a refusal. The handler then gets the value, a bad-input message, or a redirect (to
sign in, or away from a page that is not theirs) and nothing else.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import reflex as rx
from sqlmodel import Session

from mediconnect.core.errors import AuthError, DashboardError
from mediconnect.core.permissions import Principal
from mediconnect.features.shell.calls import run_as
from mediconnect.features.shell.state import DENIED_REDIRECT, current_user, login_url
from mediconnect.services.accounts import AccountError
from mediconnect.services.admin_access import AdminFormError

T = TypeVar("T")


@dataclass
class Outcome(Generic[T]):
    value: T | None = None
    # Send the browser here and show nothing: signed out, deactivated, or not an admin.
    redirect: Any = None
    denied: bool = False
    # Bad input: one message, and every field's message when the service named them.
    error: str = ""
    errors: dict[str, str] | None = None

    @property
    def ok(self) -> bool:
        return self.redirect is None and not self.error


async def admin_call(state: rx.State, work: Callable[[Session, Principal], T]) -> Outcome[T]:
    """Run ``work(session, principal)`` for the tab's signed-in user, off the event loop."""
    user = await current_user(state)
    if user is None:
        return Outcome(redirect=rx.redirect(login_url(state.router.url.path), replace=True))
    try:
        value = await asyncio.to_thread(run_as, user.id, work)
    except DashboardError:
        return Outcome(redirect=rx.redirect(DENIED_REDIRECT, replace=True), denied=True)
    except AuthError:
        return Outcome(redirect=rx.redirect(login_url(state.router.url.path), replace=True), denied=True)
    except AdminFormError as exc:
        return Outcome(error=exc.message, errors=exc.errors)
    except AccountError as exc:
        return Outcome(error=exc.message, errors={exc.field or "form": exc.message})
    return Outcome(value=value)


def client_ip(state: rx.State) -> str | None:
    return state.router.session.client_ip or None


# --------------------------------------------------------------------------- components


def page_heading(title: str, subtitle: str, *actions: rx.Component) -> rx.Component:
    return rx.flex(
        rx.vstack(
            rx.heading(title, as_="h1", size="7", weight="bold"),
            rx.text(subtitle, size="3", color=rx.color("gray", 11)),
            spacing="1",
            flex="1 1 20em",
        ),
        rx.hstack(*actions, spacing="2", wrap="wrap"),
        align="end",
        justify="between",
        wrap="wrap",
        spacing="3",
        width="100%",
    )


def scroll_table(*children: rx.Component, test_id: str, min_width: str) -> rx.Component:
    """A table that scrolls sideways inside its own box, never the page."""
    return rx.box(
        rx.table.root(*children, variant="surface", size="2", min_width=min_width, width="100%"),
        overflow_x="auto",
        width="100%",
        max_width="100%",
        data_testid=test_id,
    )


def pager(
    *, page: rx.Var, pages: rx.Var, total: rx.Var, noun: tuple[str, str], on_prev: Any, on_next: Any
) -> rx.Component:
    """``noun``: (singular, plural)."""
    return rx.flex(
        rx.text(
            total.to_string(),
            rx.cond(total == 1, f" {noun[0]}", f" {noun[1]}"),
            " · page ",
            page.to_string(),
            " of ",
            pages.to_string(),
            size="2",
            color=rx.color("gray", 11),
            data_testid="pager-status",
        ),
        rx.hstack(
            rx.button(
                rx.icon("chevron-left", size=16),
                "Previous",
                variant="soft",
                color_scheme="gray",
                disabled=page <= 1,
                on_click=on_prev,
            ),
            rx.button(
                "Next",
                rx.icon("chevron-right", size=16),
                variant="soft",
                color_scheme="gray",
                disabled=page >= pages,
                on_click=on_next,
            ),
            spacing="2",
        ),
        justify="between",
        align="center",
        wrap="wrap",
        spacing="2",
        width="100%",
    )


def labelled(label: str, control: rx.Component, *, html_for: str | None = None) -> rx.Component:
    return rx.vstack(
        rx.el.label(label, html_for=html_for, style={"fontWeight": "500", "fontSize": "var(--font-size-2)"}),
        control,
        spacing="1",
        width="100%",
    )


def choice(
    *,
    id_: str,
    value: rx.Var,
    on_change: Any,
    options: rx.Var | list[dict[str, str]],
    placeholder: str = "",
    label: str = "",
) -> rx.Component:
    """A select over ``options`` of {value, label}; ``label`` names it for screen readers."""
    items = (
        rx.foreach(options, lambda o: rx.select.item(o["label"], value=o["value"]))
        if isinstance(options, rx.Var)
        else [rx.select.item(o["label"], value=o["value"]) for o in options]
    )
    content = rx.select.content(items) if isinstance(options, rx.Var) else rx.select.content(*items)
    return rx.select.root(
        rx.select.trigger(placeholder=placeholder, id=id_, width="100%", aria_label=label or None),
        content,
        value=value,
        on_change=on_change,
        size="2",
    )


def error_text(message: rx.Var, *, name: str) -> rx.Component:
    return rx.cond(
        message,
        rx.text(message, size="2", color=rx.color("red", 11), role="alert", data_testid=f"{name}-error"),
    )
