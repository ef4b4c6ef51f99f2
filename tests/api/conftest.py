"""API tests: the Starlette app over HTTP (httpx.ASGITransport), on a rolled-back database.

``api_db`` points every ``deps.db_session()`` of the API at one connection whose outer
transaction is rolled back after the test, on SQLite and (with TEST_DATABASE_URL) PostgreSQL.
Each API call gets its own Session on that connection, committing to a savepoint, so the code
under test commits and rolls back exactly as in production.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import lru_cache
from typing import TypeVar

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from mediconnect.api import deps
from mediconnect.core.passwords import hash_password
from mediconnect.models.users import Role, User

PASSWORD = "Correct-horse-42"
T = TypeVar("T")


def run(make: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine in a thread of its own (sync Playwright may own this thread's loop)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make())).result()  # type: ignore[arg-type]


def unique_email(name: str = "user") -> str:
    return f"{name}.{uuid.uuid4().hex[:10]}@example.org"


@lru_cache
def password_hash() -> str:
    return hash_password(PASSWORD)


@pytest.fixture
def api_db(engine: sa.Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[], Session]]:
    """Returns a factory of Sessions on the test's connection (for arranging and asserting)."""
    with engine.connect() as conn:
        outer = conn.begin()

        def new_session() -> Session:
            return Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False)

        @contextmanager
        def scope() -> Iterator[Session]:
            with new_session() as s:
                try:
                    yield s
                    s.commit()
                except BaseException:
                    s.rollback()
                    raise

        monkeypatch.setattr(deps, "session_scope", scope)
        yield new_session
        outer.rollback()


@pytest.fixture
def make_user(api_db: Callable[[], Session]) -> Callable[..., User]:
    def make(role: Role = Role.PATIENT, *, email: str | None = None, is_active: bool = True) -> User:
        with api_db() as s:
            user = User(
                email=email or unique_email(role.value),
                password_hash=password_hash(),
                role=role,
                first_name="Thandi",
                last_name="Nkosi",
                is_active=is_active,
            )
            s.add(user)
            s.commit()
            return user

    return make
