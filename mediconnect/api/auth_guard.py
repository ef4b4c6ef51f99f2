"""Who may call an /api/ route, and no route forgets to say.

A FastAPI route is a bearer route when it depends on ``deps.CurrentUser`` (directly or through
another dependency); a route open to anonymous callers (health, the sign-in endpoints, the
OpenAPI document) is marked ``@public``. ``router.create_api`` refuses to build an app with an
/api/ route that is neither (``check_marked``).

Starlette routes not yet converted (the dashboards) use ``@bearer_required`` and ``caller``:
the same authentication (``deps.require_bearer``) with their errors answered in place.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Literal, TypeVar

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, APIWebSocketRoute
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute

from mediconnect.api.deps import (  # noqa: F401 - re-exported for the dashboard routes
    MAX_TOKEN_LENGTH,
    authenticate_token,
    bearer_token,
    current_user,
    require_bearer,
)
from mediconnect.api.errors import (  # noqa: F401 - re-exported for the dashboard routes
    EXCEPTION_HANDLERS,
    NO_STORE,
    auth_error_response,
    dashboard_error_response,
)
from mediconnect.core.errors import AuthError, ServiceError
from mediconnect.core.policy import Principal
from mediconnect.models.users import User

Access = Literal["public", "bearer"]
_MARK = "__mediconnect_access__"

Endpoint = Callable[[Request], Awaitable[Response]]
E = TypeVar("E", bound=Callable[..., Any])


def caller(request: Request) -> tuple[User, Principal]:
    """Inside a ``@bearer_required`` endpoint: who is calling."""
    try:
        return request.state.user, request.state.principal
    except AttributeError:
        raise RuntimeError("caller() outside a @bearer_required endpoint") from None


# --------------------------------------------------------------------------- marking routes


def public(endpoint: E) -> E:
    """Mark an /api/ endpoint as open to anonymous callers (health, the sign-in endpoints)."""
    setattr(endpoint, _MARK, "public")
    return endpoint


def bearer_required(endpoint: Endpoint) -> Endpoint:
    """Authenticate the bearer token before ``endpoint`` runs; 401 JSON when it does not verify.

    AuthError and DashboardError raised by the endpoint itself become their JSON responses too,
    so a route can call ``permissions.require_*`` and let it raise.
    """

    @functools.wraps(endpoint)
    async def guarded(request: Request) -> Response:
        try:
            await require_bearer(request)
            return await endpoint(request)
        except AuthError as exc:
            return auth_error_response(exc)
        except ServiceError as exc:  # DashboardError, AccessDenied
            return dashboard_error_response(exc)

    setattr(guarded, _MARK, "bearer")
    return guarded


def access_of(endpoint: object) -> Access | None:
    value = getattr(endpoint, _MARK, None)
    return value if value in ("public", "bearer") else None


def _depends_on_caller(dependant: Dependant) -> bool:
    return dependant.call is current_user or any(_depends_on_caller(d) for d in dependant.dependencies)


def route_access(route: BaseRoute) -> Access | None:
    """How a route is marked: a FastAPI route by its dependencies (``CurrentUser``: bearer) or
    ``@public``; a Starlette route by ``@bearer_required`` / ``@public``."""
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
    """/api/ routes that are neither bearer (``CurrentUser`` / ``@bearer_required``) nor ``@public``."""
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
