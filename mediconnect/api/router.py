"""The one Starlette app holding every JSON and WebSocket route; Reflex is mounted beneath it.

Each route module exposes ``routes: list[BaseRoute]`` with full paths ("/api/...",
"/ws/..."). To add endpoints, write ``mediconnect/api/<name>.py`` and list the module in
ROUTE_MODULES. These routes are matched before Reflex's own (/_event, /ping, /_upload ...)
and, in prod, before the compiled frontend.

Every /api/ endpoint is marked ``@bearer_required`` or ``@public`` (``api/auth_guard.py``);
``create_api`` refuses to build an app with an unmarked one, so a new route cannot forget
authentication. AuthError and DashboardError raised by any route become their JSON responses.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import ModuleType

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Match, Route

from mediconnect.api import (
    appointments,
    auth,
    availability,
    billing,
    dashboard_ws,
    dashboards,
    health,
    oidc,
    openapi,
)
from mediconnect.api.auth_guard import EXCEPTION_HANDLERS, check_marked, public

ROUTE_MODULES: tuple[ModuleType, ...] = (
    health,
    auth,
    oidc,
    availability,  # scheduling
    appointments,  # scheduling
    billing,  # billing
    dashboards,  # dashboards (JSON)
    dashboard_ws,  # dashboards (live)
    openapi,  # /api/openapi.json, /api/docs/
)

_ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def _api_fallback(known: Sequence[BaseRoute]) -> Route:
    """Answer unknown /api/ paths with JSON instead of letting the frontend answer with HTML.

    A catch-all shadows Starlette's trailing-slash redirect, so it is redone here.
    """

    @public
    async def endpoint(request: Request) -> Response:
        path = request.url.path
        other = path[:-1] if path.endswith("/") else path + "/"
        scope = {**request.scope, "path": other}
        if any(route.matches(scope)[0] != Match.NONE for route in known):
            return RedirectResponse(request.url.replace(path=other), status_code=307)
        return JSONResponse({"detail": "Not found"}, status_code=404)

    return Route("/api/{rest:path}", endpoint, methods=_ALL_METHODS)


def collect_routes(modules: Sequence[ModuleType] = ROUTE_MODULES) -> list[BaseRoute]:
    collected: list[BaseRoute] = [route for module in modules for route in module.routes]
    return [*collected, _api_fallback(collected)]


def create_api() -> Starlette:
    routes = collect_routes()
    check_marked(routes)
    return Starlette(routes=routes, exception_handlers=EXCEPTION_HANDLERS)
