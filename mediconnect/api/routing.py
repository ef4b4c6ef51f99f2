"""The route class every API router uses: how a route family reports bad input, and the body.

``APIRouter(route_class=ApiRoute)`` (the default of ``api_router()``): a request that does not
fit the route's path, query or body models is the family's bad-input error, ``bad_input``
(400 DASH_004 here; ``AuthRoute``: 400 REQUEST_INVALID), never FastAPI's 422.

The body is read here, before FastAPI sees it, as the hand-written parser did before: at most
``body_limit`` bytes (refused without reading on), JSON whatever the Content-Type says (clients
that send JSON as text/plain keep working), an empty or blank body is no body, and a body that
is not JSON (or not UTF-8, or nested past reason) is the family's bad-input error, never a 500.
A route that needs a bigger body subclasses with its own ``body_limit`` (``appointments.ReferralRoute``,
registered with ``add_api_route(..., route_class_override=...)``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any, ClassVar

from fastapi import APIRouter
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

from mediconnect.api.errors import BAD_BODY, dash_004, request_invalid

SMALL_BODY = 16 * 1024
_JSON_HEADER = (b"content-type", b"application/json")
_UNREADABLE = object()  # fails every body model, so validation reports the body (BAD_BODY)

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class ApiRoute(APIRoute):
    # The family's bad-input error, from a sentence (a staticmethod: called on the route).
    bad_input: ClassVar[Callable[[str], Exception]] = staticmethod(dash_004)  # type: ignore[assignment]
    body_limit: ClassVar[int] = SMALL_BODY
    too_large: ClassVar[str] = "request body too large"

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, endpoint, **kwargs)
        if self.methods and "GET" in self.methods:
            self.methods.add("HEAD")  # as Starlette routes did (api/openapi.py leaves it out)

    def get_route_handler(self) -> Handler:
        inner = super().get_route_handler()
        if self.body_field is None:
            return inner

        async def handler(request: Request) -> Response:
            return await inner(await self._with_json_body(request))

        return handler

    async def _with_json_body(self, request: Request) -> Request:
        """The request with its body read and parsed. A body that cannot be read is not refused
        here but after authentication and access (dependencies run first, as before): it is
        replaced by a value no model accepts, and ``BAD_BODY`` says why for the error message."""
        scope = request.scope
        raw, reason = await self._read(request)
        headers = [(k, v) for k, v in scope["headers"] if k != b"content-type"]
        parsed = Request({**scope, "headers": [*headers, _JSON_HEADER]}, request.receive)
        if reason is None and not raw.strip():
            parsed._body = b""
            return parsed
        if reason is None:
            try:
                parsed._json = json.loads(raw)
            except (ValueError, RecursionError):  # JSONDecodeError, UnicodeDecodeError, deep nesting
                reason = "the body must be JSON"
        if reason is not None:
            scope[BAD_BODY] = reason  # the same dict the exception handlers see
            parsed._json = _UNREADABLE
        parsed._body = raw
        return parsed

    async def _read(self, request: Request) -> tuple[bytes, str | None]:
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.body_limit):
            return b"", self.too_large
        raw = bytearray()
        async for chunk in request.stream():
            raw += chunk
            if len(raw) > self.body_limit:
                return b"", self.too_large
        return bytes(raw), None


class AuthRoute(ApiRoute):
    bad_input = staticmethod(request_invalid)  # type: ignore[assignment]


def api_router(route_class: type[APIRoute] = ApiRoute, **kwargs: Any) -> APIRouter:
    """A router whose routes answer bad input with their family's code (see the module doc)."""
    return APIRouter(route_class=route_class, **kwargs)
