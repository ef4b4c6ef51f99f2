"""Single sign-on in a real browser: the provider on loopback signs the demo patient in, in the
same tab, with no client token in any URL; an address without an account is turned away."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from mediconnect.seed.demo_accounts import DEMO_BY_ROLE
from tests.browser.conftest import OIDC_PROVIDER_NAME
from tests.browser.tabs import WAIT_MS
from tests.browser.test_auth_flow import WIDE, Tab, header, open_tab, sign_out
from tests.support.oidc_provider import OidcProvider, ProviderUser

pytestmark = pytest.mark.browser


@pytest.fixture
def tabs() -> Iterator[list[Tab]]:
    opened: list[Tab] = []
    yield opened
    for tab in opened:
        tab.page.close()


def _start_sso(tab: Tab, seen: list[str]) -> None:
    tab.page.on("request", lambda request: seen.append(request.url))
    page = tab.open("/login/")
    page.get_by_role("button", name=f"Sign in with {OIDC_PROVIDER_NAME}").click()


def test_sign_in_with_the_provider(
    browser: Browser, running_app: str, oidc_provider: OidcProvider, tabs: list[Tab], artifacts: Path
) -> None:
    patient = DEMO_BY_ROLE["patient"]
    oidc_provider.user = ProviderUser(subject=f"sub-{uuid.uuid4().hex[:8]}", email=patient.email)
    tab = open_tab(tabs, browser, running_app, WIDE)
    seen: list[str] = []
    _start_sso(tab, seen)
    page = tab.page
    expect(page).to_have_url(re.compile(r"/dashboard/"), timeout=WAIT_MS)
    expect(header(page).get_by_role("link", name="Sign out")).to_be_visible()
    page.screenshot(path=artifacts / "oidc-signed-in-1024x768.png")
    token = page.evaluate("() => window.sessionStorage.getItem('token')") or ""
    assert token, "the tab has a Reflex client token"
    assert not [u for u in seen if token in u], "the client token must never travel in a URL"
    cookies = [c for c in page.context.cookies() if c["name"] == "mc_oidc_bind"]
    assert all(c["path"] == "/api/auth/oidc" for c in cookies)
    sign_out(page)
    assert tab.errors == []


def test_unknown_address_is_turned_away(
    browser: Browser, running_app: str, oidc_provider: OidcProvider, tabs: list[Tab]
) -> None:
    oidc_provider.user = ProviderUser(subject="stranger", email=f"nobody.{uuid.uuid4().hex[:6]}@example.org")
    tab = open_tab(tabs, browser, running_app, WIDE)
    _start_sso(tab, [])
    page = tab.page
    expect(page).to_have_url(re.compile(r"/login/\?reason=oidc_no_account"), timeout=WAIT_MS)
    expect(page.get_by_role("alert")).to_contain_text("MediConnect account")
    expect(header(page).get_by_role("link", name="Sign in")).to_be_visible()
