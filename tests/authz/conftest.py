"""The running app for the authorization matrix, its database, and the matrix's summary line.

The app is started like the browser tests' ``running_app`` (``reflex run --env prod`` on
MEDICONNECT_TEST_PORT, against a migrated, tiny-seeded database on PostgreSQL when
TEST_DATABASE_URL is set, else SQLite), but for this package only: the matrix needs that
database (to sign subjects in and to watch every row), and the server is stopped before
tests/browser starts its own on the same port.
"""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from mediconnect.core.settings import ROOT
from tests.authz.runner import CaseResult, Runner
from tests.authz.world import World

LOG = ROOT / "test-artifacts" / "authz-server.log"
ARTIFACT = ROOT / "test-artifacts" / "authz-matrix.json"
# The first prod run installs frontend packages and builds the bundle.
STARTUP_TIMEOUT_S = 300
RESULTS: list[CaseResult] = []

# The server helpers below mirror tests/browser/conftest.py on purpose: that file is another
# team's and changes under us; only the command line and the environment must stay the same.


def _port_in_use(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _is_up(base_url: str) -> bool:
    try:
        page = httpx.get(f"{base_url}/", timeout=5)
        health = httpx.get(f"{base_url}/api/health", timeout=5)
    except httpx.HTTPError:
        return False
    return page.status_code == 200 and health.status_code == 200 and "database" in health.json()


def _server_env(port: int, database_url: str) -> dict[str, str]:
    env = os.environ.copy()  # REDIS_URL, SECRET_KEY ... pass through
    for name in [k for k in env if k.startswith("OIDC_")]:
        del env[name]  # single sign-on off: its routes answer with their "unavailable" redirect
    env.update(
        DATABASE_URL=database_url,
        PATH=f"{ROOT / '.tools' / 'node_modules' / '.bin'}{os.pathsep}{env.get('PATH', '')}",
        REFLEX_USE_SYSTEM_BUN="1",
        PORT=str(port),
        PUBLIC_URL=f"http://localhost:{port}",
    )
    return env


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    # Reflex forks bun and granian workers: signal the whole group it leads.
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def _forget_lockouts() -> None:
    """Failed sign-ins of earlier runs live on in a shared Redis; this run's app starts clean."""
    from tests.conftest import REDIS_URL

    if not REDIS_URL:
        return
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter("lockout:*"):
        client.delete(key)
    client.close()


def _log_tail(lines: int = 60) -> str:
    try:
        return "\n".join(LOG.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no server log)"


@pytest.fixture(scope="package")
def authz_database_url(tmp_root) -> Iterator[str]:  # type: ignore[no-untyped-def]
    from tests.conftest import PG_SERVER_URL
    from tests.support.databases import create_postgres_database, drop_postgres_database, migrate

    if PG_SERVER_URL:
        url = create_postgres_database(PG_SERVER_URL, "mediconnect_authz")
    else:
        url = f"sqlite:///{tmp_root / 'authz-app.db'}"
    migrate(url)
    _forget_lockouts()
    seed = subprocess.run(
        [sys.executable, "-m", "mediconnect.cli", "seed", "--scale", "tiny", "--database-url", url],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert seed.returncode == 0, seed.stdout[-2000:] + seed.stderr[-2000:]
    yield url
    if PG_SERVER_URL:
        drop_postgres_database(PG_SERVER_URL, url)


@pytest.fixture(scope="package")
def authz_app(authz_database_url: str) -> Iterator[str]:
    """Base URL of a running MediConnect on the matrix's own database."""
    if os.environ.get("MEDICONNECT_BASE_URL"):
        pytest.skip("the matrix signs subjects in and watches rows in the database of the app it starts")
    port = int(os.environ.get("MEDICONNECT_TEST_PORT", "3000"))
    if _port_in_use(port):
        pytest.fail(f"port {port} is already in use: stop that server or set MEDICONNECT_TEST_PORT")
    base_url = f"http://localhost:{port}"
    LOG.parent.mkdir(exist_ok=True)
    with LOG.open("wb") as log:
        proc = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "reflex"), "run", "--env", "prod"],
            cwd=ROOT,
            env=_server_env(port, authz_database_url),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not _is_up(base_url):
            if proc.poll() is not None:
                pytest.fail(f"reflex exited with {proc.returncode}; server log tail:\n{_log_tail()}")
            if time.monotonic() > deadline:
                pytest.fail(f"app not up after {STARTUP_TIMEOUT_S}s; server log tail:\n{_log_tail()}")
            time.sleep(1)
        yield base_url
    finally:
        _stop(proc)
        # The next server (tests/browser) starts on the same port.
        deadline = time.monotonic() + 20
        while _port_in_use(port) and time.monotonic() < deadline:
            time.sleep(0.2)


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
