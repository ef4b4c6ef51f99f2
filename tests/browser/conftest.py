"""The running app and a headless Chromium for the browser tests.

``running_app`` starts ``reflex run --env prod`` once per session unless MEDICONNECT_BASE_URL
names a server that is already up. Reflex 0.10 serves a prod app on ONE port: the compiled
frontend, its WebSocket and our /api routes all answer there, so the server is started with
PORT and PUBLIC_URL (rxconfig reads them from Settings).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from mediconnect.core.settings import ROOT
from tests.conftest import REDIS_URL
from tests.support.app_server import app_port, is_up, running_server, seeded_database
from tests.support.oidc_provider import OidcProvider

OIDC_PROVIDER_NAME = "Test IdP"

ARTIFACTS = ROOT / "test-artifacts"
SERVER_LOG = ARTIFACTS / "reflex-server.log"
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


@pytest.fixture(scope="session")
def app_database_url(tmp_root: Path) -> Iterator[str]:
    """The running app's own database: migrated and seeded (tiny scale), on PostgreSQL when
    TEST_DATABASE_URL is set, else SQLite."""
    with seeded_database(prefix="mediconnect_browser", sqlite_path=tmp_root / "browser-app.db") as url:
        yield url


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[OidcProvider]:
    """A real OpenID provider on loopback that the running app is configured to trust; it signs
    in whoever ``oidc_provider.user`` is (set it in the test)."""
    callback = f"http://localhost:{app_port()}/api/auth/oidc/callback"
    provider = OidcProvider(redirect_uris=(callback,)).start()
    yield provider
    provider.stop()


@pytest.fixture(scope="session")
def running_app(app_database_url: str, oidc_provider: OidcProvider) -> Iterator[str]:
    """Base URL of a running MediConnect (no trailing slash)."""
    external = os.environ.get("MEDICONNECT_BASE_URL")
    if external:
        base_url = external.rstrip("/")
        if not is_up(base_url):
            pytest.fail(f"MEDICONNECT_BASE_URL={external} does not answer / and /api/health")
        yield base_url
        return

    oidc = {
        "OIDC_ISSUER": oidc_provider.issuer,
        "OIDC_CLIENT_ID": oidc_provider.client_id,
        "OIDC_CLIENT_SECRET": oidc_provider.client_secret,
        "OIDC_PROVIDER_NAME": OIDC_PROVIDER_NAME,
    }
    # With Redis, run prod as production does: two backend processes sharing state in Redis,
    # so every browser test also crosses processes (test_live_processes proves it on purpose).
    workers = {"GRANIAN_WORKERS": "2"} if REDIS_URL else {}
    with running_server(
        database_url=app_database_url, log_path=SERVER_LOG, extra_env={**oidc, **workers}
    ) as base_url:
        yield base_url


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


@pytest.fixture
def pages(browser: Browser, running_app: str) -> Iterator[list[Page]]:
    """Pages a test opens (each in its own context: its own cookies and session); closed after."""
    opened: list[Page] = []
    yield opened
    for page in opened:
        page.close()
