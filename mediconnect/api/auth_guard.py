"""Who may call an /api/ route, and no route forgets to say.

A FastAPI route is a bearer route when it depends on ``deps.CurrentUser`` (directly or through
another dependency); a route open to anonymous callers (health, the sign-in endpoints, the
OpenAPI document) is marked ``@public``. ``router.create_api`` refuses to build an app with an
/api/ route that is neither (``check_marked``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Literal, TypeVar

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, APIWebSocketRoute
from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute

from mediconnect.api.deps import current_user

Access = Literal["public", "bearer"]
_MARK = "__mediconnect_access__"

E = TypeVar("E", bound=Callable[..., Any])


# --------------------------------------------------------------------------- marking routes


def public(endpoint: E) -> E:
    """Mark an /api/ endpoint as open to anonymous callers (health, the sign-in endpoints)."""
    setattr(endpoint, _MARK, "public")
    return endpoint


def access_of(endpoint: object) -> Access | None:
    return "public" if getattr(endpoint, _MARK, None) == "public" else None


def _depends_on_caller(dependant: Dependant) -> bool:
    return dependant.call is current_user or any(_depends_on_caller(d) for d in dependant.dependencies)


def route_access(route: BaseRoute) -> Access | None:
    """How a route is marked: bearer when a FastAPI route depends on ``CurrentUser``, else
    ``@public`` or nothing (a plain Starlette route can only be ``@public``)."""
    if isinstance(route, APIRoute | APIWebSocketRoute):
        if _depends_on_caller(route.dependant):
            return "bearer"
        return "public" if access_of(route.endpoint) == "public" else None
    if isinstance(route, Route | WebSocketRoute):
        return access_of(route.endpoint)
    return None


def _api_routes(routes: Iterable[BaseRoute], prefix: str = "") -> Iterable[tuple[str, BaseRoute]]:
    for route in routes:
        if isinstance(route, Route):
            yield prefix + route.path, route
        elif isinstance(route, Mount):
            yield from _api_routes(route.routes, prefix + route.path)


def unmarked_routes(routes: Iterable[BaseRoute]) -> list[str]:
    """/api/ routes that are neither bearer (``CurrentUser``) nor ``@public``."""
    return [
        path for path, route in _api_routes(routes) if path.startswith("/api/") and not route_access(route)
    ]


def check_marked(routes: Iterable[BaseRoute]) -> None:
    missing = unmarked_routes(routes)
    if missing:
        raise RuntimeError(
            "these /api/ routes neither depend on deps.CurrentUser nor are @public "
            f"(mediconnect.api.auth_guard): {', '.join(sorted(missing))}"
        )
