"""The running app and a headless Chromium for the browser tests.

``running_app`` starts ``reflex run --env prod`` once per session unless MEDICONNECT_BASE_URL
names a server that is already up. Reflex 0.10 serves a prod app on ONE port: the compiled
frontend, its WebSocket and our /api routes all answer there, so the server is started with
PORT and PUBLIC_URL (rxconfig reads them from Settings).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Playwright, sync_playwright

from mediconnect.core.settings import ROOT
from tests.support.oidc_provider import OidcProvider

OIDC_PROVIDER_NAME = "Test IdP"

ARTIFACTS = ROOT / "test-artifacts"
SERVER_LOG = ARTIFACTS / "reflex-server.log"
# The first prod run installs frontend packages and builds the bundle.
STARTUP_TIMEOUT_S = 300
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _port_in_use(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _log_tail(lines: int = 60) -> str:
    try:
        return "\n".join(SERVER_LOG.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no server log)"


def _is_up(base_url: str) -> bool:
    try:
        page = httpx.get(f"{base_url}/", timeout=5)
        health = httpx.get(f"{base_url}/api/health", timeout=5)
    except httpx.HTTPError:
        return False
    return page.status_code == 200 and health.status_code == 200 and "database" in health.json()


def _server_env(port: int, database_url: str, oidc: OidcProvider) -> dict[str, str]:
    env = os.environ.copy()  # REDIS_URL, SECRET_KEY ... pass through
    env["DATABASE_URL"] = database_url
    env.update(
        OIDC_ISSUER=oidc.issuer,
        OIDC_CLIENT_ID=oidc.client_id,
        OIDC_CLIENT_SECRET=oidc.client_secret,
        OIDC_PROVIDER_NAME=OIDC_PROVIDER_NAME,
    )
    url = f"http://localhost:{port}"
    env.update(
        PATH=f"{ROOT / '.tools' / 'node_modules' / '.bin'}{os.pathsep}{env.get('PATH', '')}",
        REFLEX_USE_SYSTEM_BUN="1",
        PORT=str(port),
        PUBLIC_URL=url,
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


@pytest.fixture(scope="session")
def app_database_url(tmp_root: Path) -> Iterator[str]:
    """The running app's own database: migrated and seeded (tiny scale), on PostgreSQL when
    TEST_DATABASE_URL is set, else SQLite."""
    from tests.conftest import PG_SERVER_URL
    from tests.support.databases import create_postgres_database, drop_postgres_database, migrate

    if PG_SERVER_URL:
        url = create_postgres_database(PG_SERVER_URL, "mediconnect_browser")
    else:
        url = f"sqlite:///{tmp_root / 'browser-app.db'}"
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


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[OidcProvider]:
    """A real OpenID provider on loopback that the running app is configured to trust; it signs
    in whoever ``oidc_provider.user`` is (set it in the test)."""
    port = int(os.environ.get("MEDICONNECT_TEST_PORT", "3000"))
    provider = OidcProvider(redirect_uris=(f"http://localhost:{port}/api/auth/oidc/callback",)).start()
    yield provider
    provider.stop()


@pytest.fixture(scope="session")
def running_app(app_database_url: str, oidc_provider: OidcProvider) -> Iterator[str]:
    """Base URL of a running MediConnect (no trailing slash)."""
    external = os.environ.get("MEDICONNECT_BASE_URL")
    if external:
        base_url = external.rstrip("/")
        if not _is_up(base_url):
            pytest.fail(f"MEDICONNECT_BASE_URL={external} does not answer / and /api/health")
        yield base_url
        return

    port = int(os.environ.get("MEDICONNECT_TEST_PORT", "3000"))
    if _port_in_use(port):
        pytest.fail(f"port {port} is already in use: stop that server or set MEDICONNECT_BASE_URL to use it")
    base_url = f"http://localhost:{port}"
    ARTIFACTS.mkdir(exist_ok=True)
    with SERVER_LOG.open("wb") as log:
        proc = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "reflex"), "run", "--env", "prod"],
            cwd=ROOT,
            env=_server_env(port, app_database_url, oidc_provider),
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
            time.sleep(2)
        yield base_url
    finally:
        _stop(proc)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
