"""Opening signed-in browser tabs, shared by the browser tests."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Browser, Page, expect

from mediconnect.seed.demo_accounts import DEMO_PASSWORD

# How long a Playwright wait may last (ms): it bounds a hang and never asserts how fast a loaded
# machine is. conftest makes it the default of every expect() too.
WAIT_MS = 60_000

WIDE = {"width": 1280, "height": 800}
TALL = {"width": 768, "height": 1024}


def open_signed_in(
    browser: Browser, base: str, pages: list[Page], email: str, path: str, viewport: dict[str, int] = WIDE
) -> Page:
    """A new page in its own context (its own cookies and session), signed in, at ``path``."""
    page = browser.new_page(viewport=viewport)
    pages.append(page)
    page.goto(f"{base}/login/?next={path}", wait_until="networkidle")
    page.locator("#email").fill(email)
    page.locator("#password").fill(DEMO_PASSWORD)
    page.get_by_role("form", name="Sign in").get_by_role("button").last.click()
    expect(page).to_have_url(re.compile("^" + re.escape(base + path) + "$"), timeout=WAIT_MS)
    return page


# One attempt's wait for a refusal; the last attempt waits WAIT_MS (a hang bound).
RETRY_MS = 15_000


def refused_on_sign_in(page: Page, sign_in: Callable[[], None], text: str) -> None:
    """Sign in on the sign-in page a redirect just opened until ``text`` shows as the refusal.

    The redirect can land twice (the role guard and the page's own check), and a late second load
    of the sign-in page clears an answer already shown. The refusal is the same on every attempt,
    so it is asked for again (three attempts, well under the lockout threshold) before it is
    called missing.
    """
    page.wait_for_load_state("networkidle")
    error = page.get_by_test_id("login-error")
    for _attempt in range(2):
        sign_in()
        try:
            expect(error).to_contain_text(text, timeout=RETRY_MS)
            return
        except AssertionError:
            continue
    sign_in()
    expect(error).to_contain_text(text)
