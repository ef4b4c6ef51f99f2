"""What every API route needs from the request: a database session and the caller's address.

Routes open sessions through ``db_session()`` (never ``core.db`` directly), so tests can point
the whole API at a rolled-back connection by replacing ``session_scope`` here.
"""

from __future__ import annotations

from contextlib import AbstractContextManager

from sqlmodel import Session
from starlette.requests import Request

from mediconnect.core.db import session_scope


def db_session() -> AbstractContextManager[Session]:
    """A session that commits on success and rolls back on error (``core.db.session_scope``)."""
    return session_scope()


def client_ip(request: Request) -> str | None:
    """The peer address. Behind a reverse proxy this is the proxy unless the server is started
    with proxy headers trusted (e.g. ``--forwarded-allow-ips``), which rewrites the peer."""
    return request.client.host if request.client else None


def user_agent(request: Request) -> str | None:
    return request.headers.get("user-agent") or None
