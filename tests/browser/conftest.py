"""The running app and a headless Chromium for the browser tests.

``running_app`` serves the session's production build (``prod_build``, shared with
tests/authz) for this package unless MEDICONNECT_BASE_URL names a server that is already up.
Reflex 0.10 serves a prod app on ONE port: the compiled frontend, its WebSocket and our /api
routes all answer there, so the server is started with PORT and PUBLIC_URL (rxconfig reads
them from Settings). Chromium is the first of CHROMIUM_NAMES on the PATH (or CHROMIUM_PATH).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

from mediconnect.core.settings import ROOT
from tests.browser.tabs import WAIT_MS
from tests.conftest import REDIS_URL
from tests.support.app_server import is_up, running_server, seeded_database
from tests.support.oidc_provider import OidcProvider

# Every expect() without its own timeout waits as long as the rest: a bound on a hang, not 5 s.
expect.set_options(timeout=WAIT_MS)

OIDC_PROVIDER_NAME = "Test IdP"

ARTIFACTS = ROOT / "test-artifacts"
SERVER_LOG = ARTIFACTS / "reflex-server.log"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome")
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


def external_base_url() -> str | None:
    external = os.environ.get("MEDICONNECT_BASE_URL")
    return external.rstrip("/") if external else None


@pytest.fixture(scope="session")
def oidc_provider(request: pytest.FixtureRequest) -> Iterator[OidcProvider]:
    """A real OpenID provider on loopback that the running app is configured to trust; it signs
    in whoever ``oidc_provider.user`` is (set it in the test)."""
    base_url = external_base_url() or request.getfixturevalue("prod_build").base_url
    callback = f"{base_url}/api/auth/oidc/callback"
    provider = OidcProvider(redirect_uris=(callback,)).start()
    yield provider
    provider.stop()


# Package scope: stopped when the browser tests are done, so the next suite can serve the same
# build on the same port whatever order the suites run in.
@pytest.fixture(scope="package")
def running_app(
    request: pytest.FixtureRequest, app_database_url: str, oidc_provider: OidcProvider
) -> Iterator[str]:
    """Base URL of a running MediConnect (no trailing slash)."""
    external = external_base_url()
    if external:
        if not is_up(external):
            pytest.fail(f"MEDICONNECT_BASE_URL={external} does not answer / and /api/health")
        yield external
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
        build=request.getfixturevalue("prod_build"),
        database_url=app_database_url,
        log_path=SERVER_LOG,
        extra_env={**oidc, **workers},
    ) as base_url:
        yield base_url


# Package scope: Playwright's sync API keeps an event loop running in the main thread while it
# is open; closed with this package, so later tests may asyncio.run() again.
@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


def chromium_path() -> str:
    found = os.environ.get("CHROMIUM_PATH") or next(filter(None, map(shutil.which, CHROMIUM_NAMES)), None)
    if not found:
        pytest.fail(f"no Chromium on the PATH (looked for {', '.join(CHROMIUM_NAMES)}): `make chromium`")
    return found


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
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
