"""Accounts in a real browser: register, sign out, sign in, edit the profile, sign out again;
and the messages a visitor gets for bad input. Screenshots at 1024x768 and 768x1024 go to
test-artifacts/.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect
from sqlmodel import Session, select

from mediconnect.core.db import make_engine
from mediconnect.models.users import User
from mediconnect.seed.demo_accounts import DEMO_BY_ROLE
from mediconnect.services import accounts
from tests.browser.tabs import WAIT_MS, refused_on_sign_in

pytestmark = pytest.mark.browser

PASSWORD = "Clinic-visit-2024"
WIDE = {"width": 1024, "height": 768}
TALL = {"width": 768, "height": 1024}


class Tab:
    """One browser tab (one Reflex client token), collecting console errors."""

    def __init__(self, browser: Browser, viewport: dict[str, int], base_url: str) -> None:
        self.page: Page = browser.new_page(viewport=viewport)
        self.base = base_url
        self.errors: list[str] = []
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text}")

    def open(self, path: str) -> Page:
        self.page.goto(self.base + path, wait_until="networkidle")
        return self.page

    def shot(self, artifacts: Path, name: str) -> None:
        size = self.page.viewport_size or WIDE
        # From the top, or the sticky header lands mid-picture in a full-page shot.
        self.page.evaluate("window.scrollTo(0, 0)")
        self.page.screenshot(
            path=artifacts / f"auth-{name}-{size['width']}x{size['height']}.png", full_page=True
        )


@pytest.fixture
def tabs(browser: Browser, running_app: str) -> Iterator[list[Tab]]:
    opened: list[Tab] = []
    yield opened
    for tab in opened:
        tab.page.close()


def open_tab(tabs: list[Tab], browser: Browser, running_app: str, viewport: dict[str, int]) -> Tab:
    tab = Tab(browser, viewport, running_app)
    tabs.append(tab)
    return tab


def header(page: Page):  # type: ignore[no-untyped-def]
    return page.locator("header")


def open_nav(page: Page, name: str) -> None:
    """Follow a top-bar link, inline or under "More" (a role's later links fold into it)."""
    inline = header(page).get_by_role("link", name=name)
    if inline.count() and inline.first.is_visible():
        inline.first.click()
        return
    header(page).get_by_role("button", name="More").click()
    page.get_by_role("menuitem", name=name).click()


def sign_out(page: Page) -> None:
    header(page).get_by_role("link", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/logout/$"))
    expect(page.get_by_role("heading", name="You are signed out")).to_be_visible()
    expect(header(page).get_by_role("link", name="Sign in")).to_be_visible()
    expect(header(page).get_by_role("link", name="Sign out")).to_have_count(0)


def sign_in(page: Page, email: str, password: str) -> None:
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    submit(page, "Sign in")


def submit(page: Page, form: str) -> None:
    page.get_by_role("form", name=form).get_by_role("button").last.click()


@pytest.mark.parametrize("viewport", [WIDE, TALL], ids=["1024x768", "768x1024"])
def test_register_sign_out_sign_in_edit_profile_sign_out(
    browser: Browser, running_app: str, tabs: list[Tab], artifacts: Path, viewport: dict[str, int]
) -> None:
    tab = open_tab(tabs, browser, running_app, viewport)
    email = f"thandi.{uuid.uuid4().hex[:8]}@example.org"

    # Register a new patient: it signs them in and lands on their dashboard placeholder.
    page = tab.open("/register/")
    expect(page.get_by_role("heading", name="Create an account")).to_be_visible()
    expect(page.get_by_role("radio", name="Patient")).to_be_checked()
    page.locator("#first_name").fill("Thandi")
    page.locator("#last_name").fill("Mabaso")
    page.locator("#email").fill(email)
    page.locator("#date_of_birth").fill("1988-09-14")
    page.locator("#password").fill(PASSWORD)
    page.locator("#confirm_password").fill(PASSWORD)
    tab.shot(artifacts, "register-filled")
    page.get_by_role("button", name="Create account").click()

    expect(page).to_have_url(re.compile(r"/dashboard/$"), timeout=WAIT_MS)
    expect(page.get_by_role("heading", name="Welcome, Thandi")).to_be_visible()
    expect(page.get_by_test_id("dashboard-placeholder")).to_contain_text("Patient dashboard")
    expect(page.get_by_test_id("dashboard-placeholder")).to_contain_text("/dashboard/patient/")
    expect(header(page).get_by_role("link", name="Sign out")).to_be_visible()
    tab.shot(artifacts, "dashboard")

    # Sign out: the nav turns anonymous and the profile is out of reach.
    sign_out(page)
    tab.shot(artifacts, "signed-out")
    page = tab.open("/profile/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/profile/"), timeout=WAIT_MS)
    expect(page.get_by_test_id("login-notice")).to_contain_text("Please sign in")

    # Sign in again: back to the page asked for.
    sign_in(page, email.upper(), PASSWORD)
    expect(page).to_have_url(re.compile(r"/profile/$"), timeout=WAIT_MS)
    expect(page.get_by_role("heading", name="Your profile")).to_be_visible()
    expect(page.locator("#first_name")).to_have_value("Thandi")
    expect(page.get_by_text(email)).to_be_visible()

    # A bad phone number gets its own message; nothing is saved.
    contact = page.get_by_test_id("profile-contact")
    contact.locator("#phone").fill("call me maybe")
    contact.get_by_role("button", name="Save contact details").click()
    expect(contact.get_by_test_id("phone-error")).to_contain_text("phone number of 7 to 15 digits")

    # Edit the contact details.
    contact.locator("#first_name").fill("Thandeka")
    contact.locator("#phone").fill("+27 82 555 0147")
    contact.locator("#city").fill("Pretoria")
    contact.get_by_role("button", name="Save contact details").click()
    expect(contact.get_by_test_id("contact-saved")).to_contain_text("saved")
    expect(contact.get_by_test_id("phone-error")).to_have_count(0)

    # Medical aid: a scheme from the list and a policy number.
    aid = page.get_by_test_id("profile-medical-aid")
    aid.get_by_role("button", name="Save medical aid").click()
    expect(aid.get_by_test_id("scheme_code-error")).to_contain_text("Choose your medical aid scheme")
    aid.get_by_role("combobox").click()
    page.get_by_role("option").first.click()
    aid.locator("#policy_number").fill(f"POL{uuid.uuid4().hex[:8].upper()}")
    aid.get_by_role("button", name="Save medical aid").click()
    expect(aid.get_by_test_id("aid-saved")).to_contain_text("saved")

    # Notification preferences.
    notify = page.get_by_test_id("profile-notifications")
    notify.get_by_test_id("notify-email").click()
    notify.get_by_role("button", name="Save preferences").click()
    expect(notify.get_by_test_id("notify-saved")).to_contain_text("saved")

    # Change the password: a wrong current password is named as such.
    pw = page.get_by_test_id("profile-password")
    pw.locator("#current_password").fill("not-my-password-1")
    pw.locator("#new_password").fill("Even-better-pass-9")
    pw.locator("#confirm_new_password").fill("Even-better-pass-9")
    pw.get_by_role("button", name="Change password").click()
    expect(pw.get_by_test_id("current_password-error")).to_contain_text("not correct")
    tab.shot(artifacts, "profile-edited")

    # Everything survives a reload (it came from the server, not the form).
    page = tab.open("/profile/")
    expect(page.locator("#first_name")).to_have_value("Thandeka")
    expect(page.locator("#phone")).to_have_value("+27 82 555 0147")
    expect(page.locator("#city")).to_have_value("Pretoria")
    expect(page.get_by_test_id("notify-email")).to_have_attribute("aria-checked", "false")
    expect(header(page).get_by_role("link", name="Sign out")).to_be_visible()

    sign_out(page)
    page = tab.open("/dashboard/")
    expect(page).to_have_url(re.compile(r"/login/"), timeout=WAIT_MS)
    assert tab.errors == []


@pytest.mark.parametrize("viewport", [WIDE, TALL], ids=["1024x768", "768x1024"])
def test_bad_sign_in_gets_a_clear_message(
    browser: Browser, running_app: str, tabs: list[Tab], artifacts: Path, viewport: dict[str, int]
) -> None:
    tab = open_tab(tabs, browser, running_app, viewport)
    page = tab.open("/login/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()

    submit(page, "Sign in")
    expect(page.get_by_test_id("email-error")).to_contain_text("Enter your email address")
    expect(page.get_by_test_id("password-error")).to_contain_text("Enter your password")

    known = DEMO_BY_ROLE["patient"].email
    sign_in(page, known, "Definitely-wrong-1")
    expect(page.get_by_test_id("login-error")).to_contain_text("Email or password is incorrect.")
    tab.shot(artifacts, "login-bad-password")

    # An unknown address gets exactly the same answer.
    sign_in(page, f"nobody.{uuid.uuid4().hex[:6]}@example.org", "Definitely-wrong-1")
    expect(page.get_by_test_id("login-error")).to_have_text("Email or password is incorrect.")
    expect(page).to_have_url(re.compile(r"/login/$"))
    expect(header(page).get_by_role("link", name="Sign in")).to_be_visible()
    assert tab.errors == []


def test_registration_names_every_bad_field(
    browser: Browser, running_app: str, tabs: list[Tab], artifacts: Path
) -> None:
    tab = open_tab(tabs, browser, running_app, TALL)
    page = tab.open("/register/")
    page.get_by_role("button", name="Create account").click()
    for field, text in [
        ("first_name", "Enter your first name"),
        ("last_name", "Enter your last name"),
        ("email", "Enter your email address"),
        ("date_of_birth", "Enter your date of birth"),
        ("password", "Choose a password"),
    ]:
        expect(page.get_by_test_id(f"{field}-error")).to_contain_text(text)

    page.locator("#first_name").fill("Lerato")
    page.locator("#last_name").fill("Mokoena")
    page.locator("#email").fill(DEMO_BY_ROLE["patient"].email)
    page.locator("#date_of_birth").fill("2999-01-01")
    page.locator("#password").fill("password")
    page.locator("#confirm_password").fill("something else")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_test_id("email-error")).to_contain_text("already exists")
    expect(page.get_by_test_id("date_of_birth-error")).to_contain_text("future")
    expect(page.get_by_test_id("password-error")).to_contain_text("at least 10")
    expect(page.get_by_test_id("first_name-error")).to_have_count(0)
    tab.shot(artifacts, "register-errors")

    # A referring doctor is asked for the practice instead of a date of birth.
    page.get_by_role("radio", name="Referring doctor").click()
    expect(page.locator("#date_of_birth")).to_have_count(0)
    page.locator("#password").fill(PASSWORD)
    page.locator("#confirm_password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_test_id("practice_name-error")).to_contain_text("practice name")
    expect(page.get_by_test_id("practice_number-error")).to_contain_text("practice number")
    expect(page).to_have_url(re.compile(r"/register/$"))
    assert tab.errors == []


def test_a_bad_reset_link_says_so(
    browser: Browser, running_app: str, tabs: list[Tab], artifacts: Path
) -> None:
    tab = open_tab(tabs, browser, running_app, WIDE)
    page = tab.open("/password-reset/not-a-real-token/")
    expect(page.get_by_test_id("reset-link-error")).to_contain_text("not valid")
    expect(page.get_by_role("link", name="Ask for a new link")).to_be_visible()

    page = tab.open("/password-reset/")
    page.locator("#email").fill("not an email")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_test_id("email-error")).to_contain_text("valid email")
    tab.shot(artifacts, "reset-request")
    assert tab.errors == []


def register_patient(page: Page, first_name: str = "Sipho") -> str:
    email = f"{first_name.lower()}.{uuid.uuid4().hex[:8]}@example.org"
    page.locator("#first_name").fill(first_name)
    page.locator("#last_name").fill("Ndlovu")
    page.locator("#email").fill(email)
    page.locator("#date_of_birth").fill("1979-02-11")
    page.locator("#password").fill(PASSWORD)
    page.locator("#confirm_password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"), timeout=WAIT_MS)
    return email


def test_reconnect_keeps_the_session_and_deactivation_ends_it(
    browser: Browser, running_app: str, app_database_url: str, tabs: list[Tab]
) -> None:
    if os.environ.get("MEDICONNECT_BASE_URL"):
        pytest.skip("needs the database of the app the fixture started")
    tab = open_tab(tabs, browser, running_app, WIDE)
    page = tab.open("/register/")
    email = register_patient(page)

    # A reload is a new WebSocket for the same tab (client token): still signed in.
    page.reload(wait_until="networkidle")
    expect(page.get_by_role("heading", name="Welcome, Sipho")).to_be_visible()
    open_nav(page, "Profile")
    expect(page.locator("#first_name")).to_have_value("Sipho")

    # Another tab is another client token: not signed in there.
    other = open_tab(tabs, browser, running_app, WIDE)
    other_page = other.open("/profile/")
    expect(other_page).to_have_url(re.compile(r"/login/\?next=/profile/"), timeout=WAIT_MS)

    # Deactivation (as an admin would) ends the session: the very next request is refused.
    engine = make_engine(app_database_url)
    try:
        with Session(engine) as db:
            user = db.exec(select(User).where(User.email == email)).one()
            assert user.id is not None
            accounts.deactivate_user(session=db, user_id=user.id)
    finally:
        engine.dispose()
    header(page).get_by_role("link", name="Dashboard").click()
    expect(page).to_have_url(re.compile(r"/login/"), timeout=WAIT_MS)
    expect(header(page).get_by_role("link", name="Sign in")).to_be_visible()
    refused_on_sign_in(page, lambda: sign_in(page, email, PASSWORD), "deactivated")
    assert tab.errors == [] and other.errors == []
