"""Fixtures for the seed tests: the tiny scale written once into a temporary SQLite file.

The schema comes from the models (metadata.create_all); it can switch to migrations later."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from mediconnect.core.db import make_engine
from tests.seed.helpers import empty_sqlite, seed_tiny


@pytest.fixture(scope="session")
def tiny_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = empty_sqlite(tmp_path_factory.mktemp("seed") / "tiny.db")
    seed_tiny(url)
    return url


@pytest.fixture(scope="session")
def tiny_engine(tiny_url: str) -> Iterator[sa.Engine]:
    engine = make_engine(tiny_url)
    yield engine
    engine.dispose()


@pytest.fixture
def tiny(tiny_engine: sa.Engine) -> Iterator[sa.Connection]:
    # One connection per test: SQLite transactions here start with BEGIN IMMEDIATE (core/db.py),
    # so a connection kept open across tests would hold the write lock.
    with tiny_engine.connect() as conn:
        yield conn
