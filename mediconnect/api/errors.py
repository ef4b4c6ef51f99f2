"""Every error the API answers, as ``{"code", "message", "detail"}`` JSON, and the handlers that
``router.create_api`` installs so a route can simply raise.

* ``AuthError`` -> 401 with ``WWW-Authenticate`` (``core.errors.AuthErrorCode``).
* ``ServiceError`` (``DashboardError``, ``AccessDenied``: DASH_002 / DASH_006) -> its spec status.
* ``ApiError`` -> any other body a route family defines (``BOOK_*``, ``BILL_*``, auth's
  ``REQUEST_INVALID``), with its status and headers.
* ``RequestValidationError`` (a path, query or body that does not fit the route's models) -> the
  route family's bad-input error (``routing.ApiRoute.bad_input``): DASH_004 by default, never
  FastAPI's default 422 body.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping, Sequence
from typing import Any

from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from mediconnect.core.errors import AuthError, DashboardError, DashErrorCode, ServiceError

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
BAD_BODY = "mediconnect.bad_body"  # scope key: why the body could not be read (api/routing.py)


class ErrorBody(BaseModel):
    """Every error answer. ``detail``: free text (DASH_*, AUTH_*), or an object for ``BOOK_*``
    (``{"reason", "alternatives"}``) and ``BILL_*`` (``{"field"}``) refusals."""

    code: str
    message: str
    detail: Any


class ApiError(Exception):
    """A finished error answer: ``body`` (``{"code", "message", "detail"}``), status, headers."""

    def __init__(self, body: dict[str, Any], status: int, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(body.get("code"))
        self.body, self.status = body, status
        self.headers = {**NO_STORE, **(headers or {})}

    def response(self) -> JSONResponse:
        return JSONResponse(self.body, status_code=self.status, headers=self.headers)


def auth_error_response(exc: AuthError, *, challenge: bool = True) -> JSONResponse:
    """401 with the {code, message, detail} body and, for bearer routes, WWW-Authenticate."""
    headers = dict(NO_STORE)
    if challenge:
        headers["WWW-Authenticate"] = exc.www_authenticate
    return JSONResponse(exc.as_json(), status_code=exc.http_status, headers=headers)


def service_error_response(exc: ServiceError) -> JSONResponse:
    return JSONResponse(exc.as_json(), status_code=exc.http_status, headers=dict(NO_STORE))


# --------------------------------------------------------------------------- bad input


def dash_004(detail: str) -> Exception:
    """The default bad-input error: 400 DASH_004 (dashboards, booking, billing)."""
    return DashboardError(DashErrorCode.DASH_004, detail)


def request_invalid(detail: str) -> Exception:
    """Bad input on the token endpoints: 400 REQUEST_INVALID (``api/auth.py``)."""
    return ApiError({"code": "REQUEST_INVALID", "message": "Malformed request", "detail": detail}, 400)


def describe(errors: Sequence[Any]) -> str:
    """One sentence for the first validation error: ``clinic_id must be a positive integer``."""
    if not errors:
        return "the request is malformed"
    first = errors[0]
    loc = [str(part) for part in first.get("loc", ()) if part not in ("body", "query", "path", "header")]
    name = ".".join(loc)
    kind, msg = first.get("type", ""), str(first.get("msg", "is invalid"))
    if kind == "json_invalid":
        return "the body must be JSON"
    if kind == "missing":
        return f"{name} is required" if name else "a body is required"
    if kind in ("model_attributes_type", "dict_type", "model_type") and not name:
        return "the body must be a JSON object"
    if kind == "mc":  # our own messages (api/fields.py) are written to follow the name
        return f"{name} {msg}" if name else msg
    return f"{name}: {msg}" if name else msg


def bad_input_error(request: Request, exc: RequestValidationError) -> Exception:
    route = request.scope.get("route")
    make: Callable[[str], Exception] = getattr(route, "bad_input", dash_004)
    # The path and query are read before the body (as the hand-written parsers did).
    errors = exc.errors()
    outside_body = [e for e in errors if tuple(e.get("loc", ()))[:1] != ("body",)]
    if outside_body:
        return make(describe(outside_body))
    if request.scope.get(BAD_BODY):
        return make(str(request.scope[BAD_BODY]))
    return make(describe(errors))


# --------------------------------------------------------------------------- handlers


def error_response(exc: Exception) -> Response:
    if isinstance(exc, AuthError):
        return auth_error_response(exc)
    if isinstance(exc, ServiceError):
        return service_error_response(exc)
    if isinstance(exc, ApiError):
        return exc.response()
    raise exc


async def _on_error(request: Request, exc: Exception) -> Response:
    return error_response(exc)


async def _on_validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    return error_response(bad_input_error(request, exc))


EXCEPTION_HANDLERS: dict[int | type[Exception], Callable[[Request, Any], Coroutine[Any, Any, Response]]] = {
    AuthError: _on_error,
    ServiceError: _on_error,
    ApiError: _on_error,
    RequestValidationError: _on_validation,
}
