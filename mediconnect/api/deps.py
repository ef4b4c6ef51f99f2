"""What every API route needs from the request: a database session and the caller.

In a FastAPI route (full-stack-fastapi-template's ``api/deps.py``)::

    @router.get("/api/things/{thing_id}")
    def read_thing(thing_id: PathId, caller: CurrentUser, session: SessionDep) -> ThingPublic:
        return things.read(session=session, principal=caller.principal, thing_id=thing_id)

``CurrentUser`` is the signed-in ``Caller`` (user, principal) from the ``Authorization: Bearer``
header, verified exactly as before (``require_bearer``): a missing, malformed, forged, expired
or revoked token is an ``AuthError``, answered 401 with ``WWW-Authenticate``. A route that
depends on ``CurrentUser`` is a bearer route (``auth_guard.check_marked``).

``SessionDep`` is a session committed when the route returns (before the response is sent) and
rolled back on error. Sessions come from ``db_session()`` (never ``core.db`` directly), so tests
can point the whole API at a rolled-back connection by replacing ``session_scope`` here.

The per-request cost of ``CurrentUser``: the header is parsed and the JWT's signature and
lifetime verified in the event loop with no I/O (garbage is refused there), then, in a worker
thread, one primary key lookup of the user (``tokens.authenticate_access``: still active, not
deactivated since the token was issued, same role) and ``policy.principal_for``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Annotated, NamedTuple

from fastapi import Depends
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection, Request

from mediconnect.core import tokens
from mediconnect.core.db import session_scope
from mediconnect.core.errors import AuthError, AuthErrorCode
from mediconnect.core.policy import Principal, principal_for
from mediconnect.models.users import User

_SCHEME = "bearer"
# A JWT of ours is ~300 bytes; refuse absurd headers before any parsing.
MAX_TOKEN_LENGTH = 4096


def db_session() -> AbstractContextManager[Session]:
    """A session that commits on success and rolls back on error (``core.db.session_scope``)."""
    return session_scope()


def client_ip(request: HTTPConnection) -> str | None:
    """The peer address. Behind a reverse proxy this is the proxy unless the server is started
    with proxy headers trusted (e.g. ``--forwarded-allow-ips``), which rewrites the peer."""
    return request.client.host if request.client else None


def user_agent(request: HTTPConnection) -> str | None:
    return request.headers.get("user-agent") or None


# --------------------------------------------------------------------------- the caller


class Caller(NamedTuple):
    """Who is calling. ``user`` is detached from its (closed) session: read its columns, do not
    use it to load relations or write."""

    user: User
    principal: Principal


def bearer_token(request: HTTPConnection) -> str:
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
    with db_session() as session:
        user = tokens.authenticate_access(session, token=token)
        principal = principal_for(session, user=user)
    return user, principal


async def require_bearer(request: HTTPConnection) -> Caller:
    """The signed-in caller of this request, or AuthError (401). Also stored as
    ``request.state.user`` / ``.principal``."""
    token = bearer_token(request)
    tokens.decode_access(token)  # no I/O: forged, expired or malformed tokens stop here
    user, principal = await run_in_threadpool(authenticate_token, token)
    request.state.user, request.state.principal = user, principal
    return Caller(user, principal)


async def current_user(request: Request) -> Caller:
    """The FastAPI dependency behind ``CurrentUser`` (its presence makes a route bearer)."""
    return await require_bearer(request)


CurrentUser = Annotated[Caller, Depends(current_user)]


# --------------------------------------------------------------------------- the session


def get_session() -> Iterator[Session]:
    with db_session() as session:
        yield session


# scope="function": committed before the response goes out, so a failed commit is the
# route's error and a client that reads right after sees the write.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
