"""The running app for the authorization matrix, its database, and the matrix's summary line.

The app is started like the browser tests' ``running_app`` (the session's one production
build, ``prod_build``, served on its port, against a migrated, tiny-seeded database on
PostgreSQL when TEST_DATABASE_URL is set, else SQLite), but for this package only: the matrix
needs that database (to sign subjects in and to watch every row), and the server is stopped
before tests/browser starts its own on the same port.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Iterator

import pytest

from mediconnect.core.settings import ROOT
from tests.authz.runner import CaseResult, Runner
from tests.authz.world import World
from tests.support.app_server import ProdBuild, running_server, seeded_database

LOG = ROOT / "test-artifacts" / "authz-server.log"
ARTIFACT = ROOT / "test-artifacts" / "authz-matrix.json"
RESULTS: list[CaseResult] = []


@pytest.fixture(scope="package")
def authz_database_url(tmp_root) -> Iterator[str]:  # type: ignore[no-untyped-def]
    with seeded_database(prefix="mediconnect_authz", sqlite_path=tmp_root / "authz-app.db") as url:
        yield url


@pytest.fixture(scope="package")
def authz_app(authz_database_url: str, prod_build: ProdBuild) -> Iterator[str]:
    """Base URL of a running MediConnect on the matrix's own database; single sign-on off, so
    its routes answer with their "unavailable" redirect."""
    if os.environ.get("MEDICONNECT_BASE_URL"):
        pytest.fail("the matrix signs subjects in and watches rows in the database of the app it starts")
    with running_server(
        build=prod_build, database_url=authz_database_url, log_path=LOG, drop_env_prefix="OIDC_"
    ) as base_url:
        yield base_url


@pytest.fixture(scope="package")
def world(authz_database_url: str) -> Iterator[World]:
    w = World(authz_database_url)
    yield w
    w.close()


@pytest.fixture(scope="package")
def runner(authz_app: str, world: World) -> Iterator[Runner]:
    r = Runner(authz_app, world)
    yield r
    r.close()


@pytest.fixture
def record() -> Iterator[list[CaseResult]]:
    """Cases of one test; added to the package's summary whether the test passes or not."""
    cases: list[CaseResult] = []
    yield cases
    RESULTS.extend(cases)


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:  # type: ignore[no-untyped-def]
    if not RESULTS:
        return
    tr = terminalreporter
    allowed = sum(1 for r in RESULTS if r.allowed)
    leaks = sum(1 for r in RESULTS if r.leaks)
    failures = sum(1 for r in RESULTS if r.failures)
    tr.section("authorization matrix")
    groups: dict[str, list[CaseResult]] = {}
    for r in RESULTS:
        groups.setdefault(r.group, []).append(r)
    for name in ("page", "app handler", "reflex handler", "private method", "api"):
        rows = groups.get(name, [])
        if rows:
            ok = sum(1 for r in rows if r.allowed)
            tr.write_line(
                f"{name:>15}: {len({r.key for r in rows}):>3} entries, {len(rows):>4} cases, "
                f"{ok:>4} allowed, {len(rows) - ok:>4} denied"
            )
    if failures:
        tr.write_line(f"{failures} case(s) failed without leaking (see the test output)")
    ARTIFACT.parent.mkdir(exist_ok=True)
    ARTIFACT.write_text(json.dumps([dataclasses.asdict(r) for r in RESULTS], indent=1))
    tr.write_line(f"every case: {ARTIFACT.relative_to(ROOT)}")
    tr.write_line(
        f"authorization matrix: {len(RESULTS)} cases, {allowed} allowed, "
        f"{len(RESULTS) - allowed} denied, {leaks} leaks"
    )
