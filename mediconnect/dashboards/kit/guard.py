"""Bounded dashboard builds: a time budget (DASH_007) and an unreachable database (DASH_003).

The budget is enforced three ways, because each alone leaves a gap:

* PostgreSQL: ``statement_timeout`` (transaction-local) cancels one runaway statement;
* SQLite: a progress handler interrupts the statement running when the budget is spent;
* both: before each statement, a build past its budget stops instead of issuing another one
  (many fast statements can exceed the budget as surely as one slow one).

The build runs in a SAVEPOINT, so a cancelled statement rolls back only the build; the
caller's transaction, with its audit row, survives.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError
from sqlmodel import Session

from mediconnect.core.errors import DashboardError, DashErrorCode

T = TypeVar("T")

# SQLite calls the progress handler every this many virtual-machine instructions.
SQLITE_PROGRESS_STEPS = 2000


class _Timeout(Exception):
    pass


def _is_cancel(exc: DBAPIError) -> bool:
    orig = exc.orig
    if isinstance(orig, sqlite3.OperationalError):
        return str(orig) == "interrupted"
    return getattr(orig, "sqlstate", None) == "57014"  # PostgreSQL query_canceled


@contextmanager
def database_errors() -> Iterator[None]:
    """A database that cannot be reached is DASH_003, never a 500."""
    try:
        yield
    except (OperationalError, InterfaceError, DisconnectionError) as exc:
        if isinstance(exc, DBAPIError) and _is_cancel(exc):
            raise DashboardError(DashErrorCode.DASH_007, "the query was cancelled") from exc
        raise DashboardError(DashErrorCode.DASH_003, "the database is not reachable") from exc


def run_bounded(session: Session, build: Callable[[], T], *, timeout_ms: int) -> T:
    """``build()`` within ``timeout_ms``, else DASH_007."""
    budget = max(1, timeout_ms)
    deadline = time.monotonic() + budget / 1000
    conn = session.connection()
    postgres = conn.dialect.name == "postgresql"

    def check(*_: Any) -> None:
        if time.monotonic() > deadline:
            raise _Timeout

    def sqlite_progress() -> int:
        return 1 if time.monotonic() > deadline else 0

    raw: Any = conn.connection.dbapi_connection if not postgres else None
    try:
        with session.begin_nested():
            if postgres:
                previous = conn.exec_driver_sql("SHOW statement_timeout").scalar_one()
                conn.exec_driver_sql(f"SET LOCAL statement_timeout = {int(budget)}")
            elif raw is not None:
                raw.set_progress_handler(sqlite_progress, SQLITE_PROGRESS_STEPS)
            # Only the builder's statements are checked: on a loaded machine a tiny budget could
            # otherwise run out on the SAVEPOINT itself and leave the session without one.
            event.listen(conn, "before_cursor_execute", check)
            try:
                result = build()
            finally:
                event.remove(conn, "before_cursor_execute", check)
                if raw is not None:
                    raw.set_progress_handler(None, SQLITE_PROGRESS_STEPS)
            if postgres:
                conn.exec_driver_sql("SELECT set_config('statement_timeout', %(v)s, true)", {"v": previous})
        return result
    except _Timeout:
        raise DashboardError(DashErrorCode.DASH_007, f"over the {budget} ms budget") from None
    except (OperationalError, InterfaceError) as exc:
        if _is_cancel(exc):
            raise DashboardError(DashErrorCode.DASH_007, f"over the {budget} ms budget") from exc
        raise
    finally:
        if event.contains(conn, "before_cursor_execute", check):
            event.remove(conn, "before_cursor_execute", check)
