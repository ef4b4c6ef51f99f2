"""The landing page as a visitor sees it: rendered, navigable, no errors, no sideways scroll."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from mediconnect.features.shell.nav import PUBLIC_NAV
from tests.browser.tabs import WAIT_MS

pytestmark = pytest.mark.browser

LINKS = [item for item in PUBLIC_NAV if not item.cta]
ACTIONS = [item for item in PUBLIC_NAV if item.cta]


class Visit:
    """A page at one viewport, recording what the browser complained about."""

    def __init__(self, browser: Browser, width: int, height: int) -> None:
        self.page: Page = browser.new_page(viewport={"width": width, "height": height})
        self.errors: list[str] = []
        self.socket_frames = 0
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        self.page.on("websocket", lambda ws: ws.on("framereceived", self._on_frame))

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text} at {message.location.get('url')}")

    def _on_frame(self, _payload: object) -> None:
        self.socket_frames += 1

    def open(self, url: str) -> Page:
        self.page.goto(url, wait_until="networkidle")
        # The page is only live once Reflex's WebSocket talks; errors from a failed
        # connection would reach the console by then too.
        for _ in range(40):
            if self.socket_frames:
                break
            self.page.wait_for_timeout(250)
        return self.page


@pytest.fixture
def visit(browser: Browser) -> Iterator[Callable[[int, int], Visit]]:
    opened: list[Visit] = []

    def make(width: int, height: int) -> Visit:
        v = Visit(browser, width, height)
        opened.append(v)
        return v

    yield make
    for v in opened:
        v.page.close()


def assert_no_horizontal_scroll(page: Page) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]"
    )
    scroll_width, body_width, viewport = widths
    assert scroll_width <= viewport and body_width <= viewport, f"page wider than viewport: {widths}"


def assert_actions_visible(page: Page) -> None:
    for item in ACTIONS:
        link = page.locator("header").get_by_role("link", name=item.label, exact=True)
        expect(link).to_be_visible()
        expect(link).to_have_attribute("href", item.href)


def test_landing_wide_tablet(running_app: str, visit: Callable[[int, int], Visit], artifacts: Path) -> None:
    v = visit(1024, 768)
    page = v.open(f"{running_app}/")

    expect(page).to_have_title("MediConnect · Book radiology scans online")
    expect(page.get_by_test_id("brand")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Book your scan online")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav).to_be_visible()
    for item in LINKS:
        expect(nav.get_by_role("link", name=item.label, exact=True)).to_have_attribute("href", item.href)
    assert_actions_visible(page)
    page.screenshot(path=artifacts / "landing-1024x768.png", full_page=True)

    assert_no_horizontal_scroll(page)
    assert v.socket_frames > 0, "the Reflex WebSocket never answered"
    assert v.errors == []


def test_landing_portrait_tablet_uses_the_menu(
    running_app: str, visit: Callable[[int, int], Visit], artifacts: Path
) -> None:
    v = visit(768, 1024)
    page = v.open(f"{running_app}/")

    expect(page.get_by_test_id("brand")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    assert_actions_visible(page)
    page.screenshot(path=artifacts / "landing-768x1024.png", full_page=True)
    assert_no_horizontal_scroll(page)

    page.get_by_role("button", name="Open navigation menu").click()
    items = page.get_by_role("menuitem")
    expect(items).to_have_count(len(LINKS))
    for item in LINKS:
        expect(page.get_by_role("menuitem", name=item.label)).to_have_attribute("href", item.href)
    page.screenshot(path=artifacts / "landing-768x1024-menu.png")

    assert v.socket_frames > 0, "the Reflex WebSocket never answered"
    assert v.errors == []


def test_landing_desktop(running_app: str, visit: Callable[[int, int], Visit], artifacts: Path) -> None:
    v = visit(1440, 900)
    page = v.open(f"{running_app}/")

    expect(page.get_by_role("link", name="Book a scan").first).to_be_visible()
    page.screenshot(path=artifacts / "landing-1440x900.png", full_page=True)

    assert_no_horizontal_scroll(page)
    assert v.errors == []


def test_menu_link_to_booking_asks_a_visitor_to_sign_in_first(
    running_app: str, visit: Callable[[int, int], Visit]
) -> None:
    v = visit(768, 1024)
    page = v.open(f"{running_app}/")

    page.get_by_role("button", name="Open navigation menu").click()
    page.get_by_role("menuitem", name="Book a scan").click()

    expect(page).to_have_url(re.compile(r"/login/\?next=/appointments/book/"), timeout=WAIT_MS)
    expect(page.get_by_test_id("brand")).to_be_visible()


def test_an_unknown_page_is_a_branded_404(running_app: str, visit: Callable[[int, int], Visit]) -> None:
    page = visit(768, 1024).open(f"{running_app}/no-such-page/")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page.get_by_test_id("brand")).to_be_visible()
