"""Shared fixtures: one migrated database per backend, per-test rollback, service checks.

SQLite always runs. PostgreSQL runs when TEST_DATABASE_URL is set, Redis when REDIS_URL is set.
Under CI (CI=true) both must be set and reachable: an unreachable service fails the run, and
any skipped test fails it too, so nothing is counted as passing that did not run.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

_TMP = Path(tempfile.mkdtemp(prefix="mediconnect-tests-"))
os.environ.setdefault("ENVIRONMENT", "test")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(32))
# The app's own default database is never touched by tests.
os.environ["DATABASE_URL"] = f"sqlite:///{_TMP / 'app.db'}"
os.environ["UPLOAD_DIR"] = str(_TMP / "uploads")

import sqlalchemy as sa  # noqa: E402
from sqlmodel import Session  # noqa: E402

from tests.support.databases import (  # noqa: E402
    create_postgres_database,
    drop_postgres_database,
    migrate,
)

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
PG_SERVER_URL = os.environ.get("TEST_DATABASE_URL")
REDIS_URL = os.environ.get("REDIS_URL")

DB_BACKENDS = ["sqlite"] + (["postgresql"] if PG_SERVER_URL else [])
_backend_counts: Counter[str] = Counter()


def pytest_configure(config: pytest.Config) -> None:
    if IN_CI:
        missing = [n for n, v in (("TEST_DATABASE_URL", PG_SERVER_URL), ("REDIS_URL", REDIS_URL)) if not v]
        if missing:
            raise pytest.UsageError(
                f"CI needs {', '.join(missing)}: PostgreSQL and Redis tests may not be left out"
            )


@pytest.fixture(scope="session")
def tmp_root() -> Path:
    return _TMP


@pytest.fixture(scope="session", autouse=True)
def wired() -> None:
    """Every process of the app wires its commit hooks (bootstrap.wire); so does the test process."""
    from mediconnect.bootstrap import wire

    wire()


@pytest.fixture(scope="session")
def prod_build():  # type: ignore[no-untyped-def]
    """The one production build of the app that tests/authz and tests/browser both serve
    (tests/support/app_server.py): made on first use in a session, reused across runs."""
    from mediconnect.core.settings import ROOT
    from tests.support.app_server import prod_build as build

    return build(ROOT / "test-artifacts" / "prod-build.log")


@pytest.fixture(scope="session", params=DB_BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_root: Path) -> Iterator[str]:
    """A freshly migrated, empty database for the whole session, one per backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_root / 'test.db'}"
        migrate(url)
        yield url
        return
    assert PG_SERVER_URL
    url = create_postgres_database(PG_SERVER_URL, "mediconnect_test")
    migrate(url)
    yield url
    drop_postgres_database(PG_SERVER_URL, url)


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[sa.Engine]:
    from mediconnect.core.db import make_engine

    eng = make_engine(database_url)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: sa.Engine) -> Iterator[Session]:
    """A session whose every change, commits included, is rolled back after the test."""
    with engine.connect() as conn:
        outer = conn.begin()
        with Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False) as s:
            yield s
        outer.rollback()


@pytest.fixture
def redis_url() -> str:
    if not REDIS_URL:
        pytest.skip("REDIS_URL not set")
    return REDIS_URL


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        callspec = getattr(item, "callspec", None)
        backend = callspec.params.get("database_url") if callspec else None
        if backend == "postgresql":
            item.add_marker(pytest.mark.postgres)
        elif backend == "sqlite":
            item.add_marker(pytest.mark.sqlite)
        if "redis_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.redis)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when != "call" or not report.passed:
        return
    keywords = report.keywords
    if "postgres" in keywords:
        _backend_counts["postgresql"] += 1
    if "sqlite" in keywords:
        _backend_counts["sqlite"] += 1
    if "redis" in keywords:
        _backend_counts["redis"] += 1
    if "browser" in keywords:
        _backend_counts["browser"] += 1


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:  # type: ignore[no-untyped-def]
    tr = terminalreporter
    tr.section("tests run per backend")
    for name in ("sqlite", "postgresql", "redis", "browser"):
        tr.write_line(f"{name:>10}: {_backend_counts[name]} passed")
    skipped = len(tr.stats.get("skipped", []))
    if IN_CI and skipped:
        tr.write_line(f"CI: {skipped} test(s) skipped; a skipped test is not a pass, failing the run")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if IN_CI and reporter is not None and reporter.stats.get("skipped") and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
