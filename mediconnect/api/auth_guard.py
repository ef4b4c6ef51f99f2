"""Bearer authentication for /api/* routes: one line per route, and no route forgets it.

Use::

    @bearer_required
    async def my_route(request: Request) -> Response:
        user, principal = caller(request)
        permissions.require_dashboard(principal, ...)  # DashboardError -> its JSON and status
        ...

or, inside any endpoint, ``user, principal = await require_bearer(request)``; the AuthError it
raises becomes a 401 through the exception handlers ``create_api`` installs
(``EXCEPTION_HANDLERS``). Every route under /api/ must be marked ``@bearer_required`` or
``@public``; ``router.create_api`` refuses to start otherwise (``check_marked``).

The per-request cost: the header is parsed and the JWT's signature and lifetime verified in
the event loop with no I/O (garbage is refused there), then, in a worker thread, one primary
key lookup of the user (``tokens.authenticate_access``: still active, not deactivated since
the token was issued, same role) and ``permissions.principal_for`` (the role's association
ids). Nothing is rate-limited or cached here: a deactivation or role change takes effect on
the next request.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Literal, TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from mediconnect.api import deps
from mediconnect.core import tokens
from mediconnect.core.errors import AuthError, AuthErrorCode, DashboardError
from mediconnect.core.permissions import Principal, principal_for
from mediconnect.models.users import User

Access = Literal["public", "bearer"]
_MARK = "__mediconnect_access__"
_SCHEME = "bearer"
# A JWT of ours is ~300 bytes; refuse absurd headers before any parsing.
MAX_TOKEN_LENGTH = 4096
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}

Endpoint = Callable[[Request], Awaitable[Response]]
E = TypeVar("E", bound=Callable[..., Any])


# --------------------------------------------------------------------------- error responses


def auth_error_response(exc: AuthError, *, challenge: bool = True) -> JSONResponse:
    """401 with the {code, message, detail} body and, for bearer routes, WWW-Authenticate."""
    headers = dict(NO_STORE)
    if challenge:
        headers["WWW-Authenticate"] = exc.www_authenticate
    return JSONResponse(exc.as_json(), status_code=exc.http_status, headers=headers)


def dashboard_error_response(exc: DashboardError) -> JSONResponse:
    return JSONResponse(exc.as_json(), status_code=exc.http_status, headers=dict(NO_STORE))


async def _on_auth_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AuthError)
    return auth_error_response(exc)


async def _on_dashboard_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DashboardError)
    return dashboard_error_response(exc)


EXCEPTION_HANDLERS: dict[Any, Callable[[Request, Exception], Awaitable[Response]]] = {
    AuthError: _on_auth_error,
    DashboardError: _on_dashboard_error,
}


# --------------------------------------------------------------------------- authentication


def bearer_token(request: Request) -> str:
    """The token of an ``Authorization: Bearer <token>`` header. Raises AuthError (401)."""
    header = request.headers.get("authorization")
    if not header:
        raise AuthError(AuthErrorCode.TOKEN_MISSING)
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != _SCHEME:
        raise AuthError(AuthErrorCode.TOKEN_MISSING, "use the Bearer scheme")
    if not token or len(token) > MAX_TOKEN_LENGTH or " " in token:
        raise AuthError(AuthErrorCode.TOKEN_MALFORMED)
    return token


def authenticate_token(token: str) -> tuple[User, Principal]:
    """The blocking part: one user lookup and the principal's association ids."""
    with deps.db_session() as session:
        user = tokens.authenticate_access(session, token=token)
        principal = principal_for(session, user=user)
    return user, principal


async def require_bearer(request: Request) -> tuple[User, Principal]:
    """The signed-in caller of this request, or AuthError (401).

    The returned User is detached from its (closed) session: read its columns, do not use it
    to load relations or write. Also stored as ``request.state.user`` / ``.principal``.
    """
    token = bearer_token(request)
    tokens.decode_access(token)  # no I/O: forged, expired or malformed tokens stop here
    user, principal = await run_in_threadpool(authenticate_token, token)
    request.state.user, request.state.principal = user, principal
    return user, principal


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
        except DashboardError as exc:
            return dashboard_error_response(exc)

    setattr(guarded, _MARK, "bearer")
    return guarded


def access_of(endpoint: object) -> Access | None:
    value = getattr(endpoint, _MARK, None)
    return value if value in ("public", "bearer") else None


def _api_routes(routes: Iterable[BaseRoute], prefix: str = "") -> Iterable[tuple[str, object]]:
    for route in routes:
        if isinstance(route, Route):
            yield prefix + route.path, route.endpoint
        elif isinstance(route, Mount):
            yield from _api_routes(route.routes, prefix + route.path)


def unmarked_routes(routes: Iterable[BaseRoute]) -> list[str]:
    """/api/ routes that are neither ``@public`` nor ``@bearer_required``."""
    return [
        path for path, endpoint in _api_routes(routes) if path.startswith("/api/") and not access_of(endpoint)
    ]


def check_marked(routes: Iterable[BaseRoute]) -> None:
    missing = unmarked_routes(routes)
    if missing:
        raise RuntimeError(
            "these /api/ routes are neither @bearer_required nor @public "
            f"(mediconnect.api.auth_guard): {', '.join(sorted(missing))}"
        )
