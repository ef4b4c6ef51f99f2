"""Running a service as the tab's signed-in user: the one piece every page's call helper shares.

``run_as`` is the blocking part (meant for ``asyncio.to_thread``): a session that commits when
``work`` returns and rolls back when it raises, and the caller's ``Principal`` resolved from
the database now, never from page state. ``features.kit.calls.page_call``, the one page-call
helper, runs it off the event loop and turns what it raises into an ``Outcome``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlmodel import Session

from mediconnect.core.db import session_scope
from mediconnect.core.errors import AuthError, AuthErrorCode
from mediconnect.core.policy import Principal, principal_for
from mediconnect.models.users import User

T = TypeVar("T")


def run_as(user_id: int, work: Callable[[Session, Principal], T]) -> T:
    with session_scope() as db:
        user = db.get(User, user_id)
        if user is None:
            raise AuthError(AuthErrorCode.ACCOUNT_INACTIVE)
        return work(db, principal_for(db, user=user))
