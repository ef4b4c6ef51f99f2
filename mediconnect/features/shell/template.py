"""The page decorator (ARCHITECTURE convention 6): layout, title, on_load and allowed roles.

    @page(route="/analytics/revenue/", title="Revenue", roles={Role.ADMIN, Role.ANALYTICS_STAFF},
          on_load=RevenueState.load)
    def revenue() -> rx.Component: ...

``roles`` adds a server-side on_load guard that sends anonymous visitors to the sign-in page
and other roles to their dashboard. It is a courtesy, not the protection: handlers that read
protected data check the caller again (``shell.state.current_user`` and core.policy).
``ALL_ROLES`` admits any signed-in user.

Pages are added to the app by ``add_pages(app)`` (called once by app.py), not through
``rx.page``: Reflex re-applies rx.page's registry at every compile, and a prod backend worker
compiles again after the build, so each page was added twice ("Page ... is being redefined").
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import reflex as rx
from reflex.event import EventType

from mediconnect.features.live.state import marker as live_marker
from mediconnect.features.shell.components import footer, top_bar
from mediconnect.features.shell.routes import PAGE_ROLES
from mediconnect.features.shell.state import SessionState
from mediconnect.features.shell.theme import GUTTER, MAX_WIDTH
from mediconnect.models.users import Role

BRAND = "MediConnect"
DEFAULT_DESCRIPTION = (
    "Book radiology scans online with live availability, see medical aid cover and "
    "co-payment before you confirm, and receive reports securely."
)

ALL_ROLES: frozenset[Role] = frozenset(Role)

# Every @page, in import order: (render function, add_page keyword arguments).
_PAGES: list[tuple[Callable[[], rx.Component], dict[str, Any]]] = []


def layout(content: rx.Component, *, full_width: bool = False) -> rx.Component:
    main = content if full_width else rx.box(content, max_width=MAX_WIDTH, margin_x="auto", padding=GUTTER)
    return rx.flex(
        top_bar(),
        rx.el.main(main, flex="1", width="100%"),
        footer(),
        live_marker(),
        direction="column",
        min_height="100vh",
        width="100%",
    )


def page(
    *,
    route: str,
    title: str,
    roles: Iterable[Role] | None = None,
    on_load: EventType[()] | Sequence[EventType[()]] | None = None,
    description: str = DEFAULT_DESCRIPTION,
    full_width: bool = False,
) -> Callable[[Callable[[], rx.Component]], Callable[[], rx.Component]]:
    allowed = frozenset(roles) if roles is not None else None
    # Every page first learns who is looking from the server-side session (so the nav is
    # right after a reload or a server restart); restricted pages also send others away.
    events: list = [
        SessionState.require_roles(sorted(role.value for role in allowed))
        if allowed is not None
        else SessionState.load_session
    ]
    if on_load is not None:
        events.extend(on_load if isinstance(on_load, Sequence) else [on_load])

    def decorator(content: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
        @functools.wraps(content)
        def wrapped() -> rx.Component:
            return layout(content(), full_width=full_width)

        PAGE_ROLES[route] = allowed
        kwargs = {
            "route": route,
            "title": title if BRAND in title else f"{title} · {BRAND}",
            "description": description,
            "on_load": events,
        }
        _PAGES.append((wrapped, kwargs))
        return wrapped

    return decorator


def add_pages(app: rx.App) -> None:
    """Add every page declared with ``@page`` to the app, once."""
    for render, kwargs in _PAGES:
        app.add_page(render, **kwargs)
