"""API tokens for programmatic clients: /api/auth/token, /refresh, /revoke and /me.

``POST /api/auth/token``   {"email", "password"} (JSON, or a form with ``email`` or the OAuth
                           name ``username``) -> 200 {"access_token", "token_type": "Bearer",
                           "expires_in", "refresh_token"}. Goes through accounts.authenticate:
                           lockout and a LoginAttempt row (method "api") apply.
``POST /api/auth/refresh`` {"refresh_token"} -> 200 a new pair; the old refresh token is spent.
                           Presenting a spent one ends every refresh token of the user (theft).
``POST /api/auth/revoke``  {"refresh_token"} -> 200 {"revoked": true|false}: sign-out for API
                           clients. The access token stays valid until it expires (<= 15 min).
``GET  /api/auth/me``      Bearer -> 200 the caller's public profile.

Refusals are 401 with {"code", "message", "detail"} (core/errors.AuthErrorCode): AUTH_007 bad
email or password, AUTH_008 deactivated, AUTH_009 locked (with Retry-After), AUTH_002..006 for
refresh tokens. A body that cannot be read is 400 {"code": "REQUEST_INVALID", ...}.

The bodies are read by hand (``read_fields``), not by FastAPI: the token endpoint takes JSON or
an OAuth form, with ``username`` for ``email``; the models below document them.
"""

from __future__ import annotations

import json
import math
from typing import Any
from urllib.parse import parse_qsl

from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from mediconnect.api import deps
from mediconnect.api.auth_guard import public
from mediconnect.api.deps import CurrentUser
from mediconnect.api.errors import NO_STORE, ErrorBody, auth_error_response
from mediconnect.api.routing import AuthRoute, api_router
from mediconnect.core import tokens
from mediconnect.core.errors import AuthError, AuthErrorCode
from mediconnect.models.base import utcnow
from mediconnect.models.users import LoginOutcome, User, UserPublic
from mediconnect.services import accounts
from mediconnect.services.accounts import LoginResult

MAX_BODY_BYTES = 16 * 1024
MAX_FIELD_LENGTH = 4096
API_METHOD = "api"

_JSON = "application/json"
_FORM = "application/x-www-form-urlencoded"


class TokenRequest(BaseModel):
    email: str
    password: str


class RefreshRequest(BaseModel):
    refresh_token: str


class TokenResponse(BaseModel):
    access_token: str
    token_type: str
    expires_in: int
    refresh_token: str


class Revoked(BaseModel):
    revoked: bool


def _body_doc(model: type[BaseModel], *, form: bool = True) -> dict[str, Any]:
    schema = model.model_json_schema()
    content = {_JSON: {"schema": schema}, **({_FORM: {"schema": schema}} if form else {})}
    return {"requestBody": {"required": True, "content": content}}


def _refusals(description: str) -> dict[int | str, dict[str, Any]]:
    return {
        400: {"model": ErrorBody, "description": "REQUEST_INVALID: the body cannot be read"},
        401: {"model": ErrorBody, "description": description},
        413: {"model": ErrorBody, "description": "REQUEST_INVALID: the body is too large"},
    }


router = api_router(AuthRoute, tags=["auth"])


def _text_ok(value: str) -> bool:
    """PostgreSQL stores no NUL and UTF-8 has no lone surrogate: such a field cannot name an
    account (it would fail in the database, a 500, instead)."""
    return "\x00" not in value and not any("\ud800" <= ch <= "\udfff" for ch in value)


class BadRequest(Exception):
    def __init__(self, detail: str, status: int = 400) -> None:
        super().__init__(detail)
        self.detail = detail
        self.status = status

    def response(self) -> JSONResponse:
        body = {"code": "REQUEST_INVALID", "message": "Malformed request", "detail": self.detail}
        return JSONResponse(body, status_code=self.status, headers=dict(NO_STORE))


async def _read_body(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY_BYTES):
        raise BadRequest(f"The body must be at most {MAX_BODY_BYTES} bytes.", 413)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise BadRequest(f"The body must be at most {MAX_BODY_BYTES} bytes.", 413)
    return bytes(body)


async def read_fields(
    request: Request, required: tuple[str, ...], aliases: dict[str, str] | None = None
) -> dict[str, str]:
    """The named string fields of a JSON object or a urlencoded form body. Raises BadRequest."""
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type not in (_JSON, _FORM):
        raise BadRequest(f"Send the fields {', '.join(required)} as {_JSON} or {_FORM}.")
    raw = await _read_body(request)
    data: dict[str, Any]
    try:
        text = raw.decode("utf-8")
        if media_type == _JSON:
            parsed = json.loads(text) if text.strip() else None
            if not isinstance(parsed, dict):
                raise BadRequest('The JSON body must be an object, like {"email": ..., "password": ...}.')
            data = parsed
        else:
            data = dict(parse_qsl(text, keep_blank_values=True, max_num_fields=20, strict_parsing=False))
    except UnicodeDecodeError:
        raise BadRequest("The body is not valid UTF-8.") from None
    except json.JSONDecodeError as exc:
        raise BadRequest(f"The body is not valid JSON ({exc.msg} at position {exc.pos}).") from None
    except RecursionError:
        raise BadRequest("The JSON body is nested too deeply.") from None
    except ValueError:
        raise BadRequest("The form body has too many fields.") from None
    for alias, name in (aliases or {}).items():
        if name not in data and alias in data:
            data[name] = data[alias]
    missing = [name for name in required if data.get(name) in (None, "")]
    if missing:
        raise BadRequest(f"Missing field(s): {', '.join(missing)}.")
    fields: dict[str, str] = {}
    for name in required:
        value = data[name]
        if not isinstance(value, str):
            raise BadRequest(f"The field {name} must be a string.")
        if len(value) > MAX_FIELD_LENGTH:
            raise BadRequest(f"The field {name} is too long.")
        if not _text_ok(value):
            raise BadRequest(f"The field {name} must be text without NUL or unpaired surrogates.")
        fields[name] = value
    return fields


def _token_response(pair: tokens.TokenPair) -> JSONResponse:
    return JSONResponse(pair.as_json(), headers=dict(NO_STORE))


def _login_error(result: LoginResult) -> JSONResponse:
    if result.outcome is LoginOutcome.LOCKED:
        response = auth_error_response(
            AuthError(AuthErrorCode.ACCOUNT_LOCKED, result.message), challenge=False
        )
        if result.locked_until is not None:
            seconds = math.ceil((result.locked_until - utcnow()).total_seconds())
            response.headers["Retry-After"] = str(max(1, seconds))
        return response
    if result.outcome is LoginOutcome.INACTIVE:
        return auth_error_response(AuthError(AuthErrorCode.ACCOUNT_INACTIVE), challenge=False)
    return auth_error_response(AuthError(AuthErrorCode.INVALID_CREDENTIALS), challenge=False)


# --------------------------------------------------------------------------- endpoints


def _password_sign_in(email: str, password: str, ip: str | None) -> LoginResult | tokens.TokenPair:
    with deps.db_session() as session:
        result = accounts.authenticate(
            session=session, email=email, password=password, ip=ip, method=API_METHOD
        )
        if not result.ok or result.user is None:
            return result
        user = session.get(User, result.user.id)
        assert user is not None
        return tokens.issue_tokens(session, user=user)


@router.post(
    "/api/auth/token",
    summary="Sign in: an access and a refresh token",
    response_model=TokenResponse,
    responses=_refusals("AUTH_007 bad email or password, AUTH_008 deactivated, AUTH_009 locked"),
    openapi_extra=_body_doc(TokenRequest),
)
@public
async def token(request: Request) -> Response:
    """``{"email", "password"}`` (JSON, or a form with ``email`` or the OAuth name ``username``).
    Lockout and a LoginAttempt row (method "api") apply."""
    try:
        fields = await read_fields(request, ("email", "password"), aliases={"username": "email"})
    except BadRequest as exc:
        return exc.response()
    outcome = await run_in_threadpool(
        _password_sign_in, fields["email"], fields["password"], deps.client_ip(request)
    )
    if isinstance(outcome, LoginResult):
        return _login_error(outcome)
    return _token_response(outcome)


def _rotate(refresh_token: str) -> tokens.TokenPair:
    with deps.db_session() as session:
        return tokens.rotate_refresh(session, token=refresh_token)


@router.post(
    "/api/auth/refresh",
    summary="A new token pair for a refresh token",
    response_model=TokenResponse,
    responses=_refusals("AUTH_002..006: the refresh token is invalid, expired, spent or revoked"),
    openapi_extra=_body_doc(RefreshRequest),
)
@public
async def refresh(request: Request) -> Response:
    """The old refresh token is spent; presenting a spent one ends every refresh token of the user."""
    try:
        fields = await read_fields(request, ("refresh_token",))
    except BadRequest as exc:
        return exc.response()
    try:
        pair = await run_in_threadpool(_rotate, fields["refresh_token"])
    except AuthError as exc:
        return auth_error_response(exc, challenge=False)
    return _token_response(pair)


def _revoke(refresh_token: str) -> bool:
    with deps.db_session() as session:
        return tokens.revoke_refresh(session, token=refresh_token)


@router.post(
    "/api/auth/revoke",
    summary="Sign out: revoke a refresh token",
    response_model=Revoked,
    responses=_refusals("AUTH_002..006: the refresh token cannot be read"),
    openapi_extra=_body_doc(RefreshRequest),
)
@public
async def revoke(request: Request) -> Response:
    """The access token stays valid until it expires (<= 15 min)."""
    try:
        fields = await read_fields(request, ("refresh_token",))
    except BadRequest as exc:
        return exc.response()
    try:
        revoked = await run_in_threadpool(_revoke, fields["refresh_token"])
    except AuthError as exc:
        return auth_error_response(exc, challenge=False)
    return JSONResponse({"revoked": revoked}, headers=dict(NO_STORE))


@router.get("/api/auth/me", summary="The caller's public profile", response_model=UserPublic)
async def me(caller: CurrentUser) -> Response:
    return JSONResponse(accounts.public_user(caller.user).model_dump(mode="json"), headers=dict(NO_STORE))
