"""The one FastAPI app holding every JSON and WebSocket route; Reflex mounts beneath it through
``api_transformer`` (``mediconnect/app.py``), so these routes are matched before Reflex's own
(/_event, /ping, /_upload ...) and, in prod, before the compiled frontend.

To add endpoints, write ``mediconnect/api/<name>.py`` with ``router = api_router()``
(``api/routing.py``) and list the module in ROUTE_MODULES. A module exposing plain Starlette
``routes`` instead (``api/openapi.py``: the document and its page, not operations) is mounted as is.

Every /api/ route is bearer (depends on ``deps.CurrentUser``) or ``@public``; ``create_api``
refuses to build an app with one that is neither (``auth_guard.check_marked``). Errors raised
by any route become their ``{"code", "message", "detail"}`` JSON (``api/errors.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from types import ModuleType

from fastapi import FastAPI
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
from mediconnect.api.auth_guard import check_marked, public
from mediconnect.api.errors import EXCEPTION_HANDLERS
from mediconnect.api.openapi import DESCRIPTION, TITLE, VERSION

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


def create_api(modules: Sequence[ModuleType] = ROUTE_MODULES) -> FastAPI:
    app = FastAPI(
        title=TITLE,
        version=VERSION,
        description=DESCRIPTION,
        openapi_url=None,  # served by api/openapi.py: public, cached, with the bearer marks
        docs_url=None,
        redoc_url=None,
        exception_handlers=EXCEPTION_HANDLERS,
        redirect_slashes=False,  # the fallback below redirects, as before
    )
    for module in modules:
        if hasattr(module, "router"):
            # Its routes themselves, not include_router: FastAPI would add one opaque
            # _IncludedRouter, which the marking check and the authorization matrix cannot walk.
            app.router.routes.extend(module.router.routes)
        else:  # plain Starlette routes (api/openapi.py)
            app.router.routes.extend(module.routes)
    app.router.routes.append(_api_fallback(list(app.router.routes)))
    check_marked(app.router.routes)
    return app


def collect_routes() -> list[BaseRoute]:
    """Every route of the app (the authorization matrix and the OpenAPI test enumerate these)."""
    return list(create_api().router.routes)
