"""The admin pages in a real browser: /admin/users/ and /admin/audit/.

An admin creates a staff account, finds it, gives it a clinic, deactivates it (the new user's
open session ends and their sign-in is refused), reactivates it and changes its role. On the
audit page they filter, export exactly the filtered rows as CSV and verify the chain. A patient
opening either page is sent away with no user data, and the refusal is on the record.
Screenshots at 1024x768 and 768x1024 go to test-artifacts/.
"""

from __future__ import annotations

import csv
import io
import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect
from sqlmodel import Session, col, func, select

from mediconnect.core.db import make_engine
from mediconnect.models.audit import AuditLog
from mediconnect.seed.demo_accounts import DEMO_BY_ROLE, DEMO_PASSWORD
from mediconnect.services.audit_search import CSV_COLUMNS
from tests.browser.tabs import WAIT_MS, refused_on_sign_in

pytestmark = pytest.mark.browser

WIDE = {"width": 1024, "height": 768}
TALL = {"width": 768, "height": 1024}
ADMIN = DEMO_BY_ROLE["admin"]
DOCTOR = DEMO_BY_ROLE["doctor"]
PATIENT = DEMO_BY_ROLE["patient"]


class Tab:
    def __init__(self, browser: Browser, viewport: dict[str, int], base_url: str) -> None:
        self.page: Page = browser.new_page(viewport=viewport, accept_downloads=True)
        self.base = base_url
        self.errors: list[str] = []
        # Everything the server pushed to this tab over the WebSocket (state deltas included).
        self.received: list[str] = []
        self.page.on("websocket", lambda ws: ws.on("framereceived", self._on_frame))
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))

    def _on_frame(self, frame: str | bytes) -> None:
        self.received.append(frame if isinstance(frame, str) else frame.decode(errors="replace"))

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text}")

    def open(self, path: str) -> Page:
        self.page.goto(self.base + path, wait_until="networkidle")
        return self.page

    def shot(self, artifacts: Path, name: str) -> None:
        size = self.page.viewport_size or WIDE
        self.page.evaluate("window.scrollTo(0, 0)")
        self.page.screenshot(
            path=artifacts / f"admin-{name}-{size['width']}x{size['height']}.png", full_page=True
        )

    def no_page_scroll(self) -> None:
        widths = self.page.evaluate(
            "() => [document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]"
        )
        assert widths[0] <= widths[2] and widths[1] <= widths[2], f"page wider than the viewport: {widths}"


@pytest.fixture
def tabs(browser: Browser, running_app: str) -> Iterator[list[Tab]]:
    opened: list[Tab] = []
    yield opened
    for tab in opened:
        tab.page.close()


def new_tab(tabs: list[Tab], browser: Browser, base: str, viewport: dict[str, int]) -> Tab:
    tab = Tab(browser, viewport, base)
    tabs.append(tab)
    return tab


def sign_in(page: Page, email: str, password: str) -> None:
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.get_by_role("form", name="Sign in").get_by_role("button").last.click()


def sign_in_to(tab: Tab, path: str, email: str, password: str) -> Page:
    page = tab.open(f"/login/?next={path}")
    sign_in(page, email, password)
    # The whole URL: "/login/?next=/admin/users/" also ends with the path.
    expect(page).to_have_url(re.compile("^" + re.escape(tab.base + path) + "$"), timeout=WAIT_MS)
    return page


def pick(page: Page, trigger: str, option: str) -> None:
    page.locator(trigger).click()
    page.get_by_role("option", name=option, exact=True).click()


def row_action(page: Page, name: str, item: str) -> None:
    page.get_by_role("button", name=f"Actions for {name}").click()
    page.get_by_role("menuitem", name=item).click()


# --------------------------------------------------------------------------- users


@pytest.mark.parametrize("viewport", [WIDE, TALL], ids=["1024x768", "768x1024"])
def test_admin_creates_finds_deactivates_reactivates_and_changes_role(
    browser: Browser, running_app: str, tabs: list[Tab], artifacts: Path, viewport: dict[str, int]
) -> None:
    tab = new_tab(tabs, browser, running_app, viewport)
    page = sign_in_to(tab, "/admin/users/", ADMIN.email, DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="Users", exact=True)).to_be_visible()
    expect(page.get_by_test_id("user-row").first).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_test_id("pager-status")).to_contain_text("users · page 1 of")
    tab.no_page_scroll()
    tab.shot(artifacts, "users")

    # Find a user by name: only matching rows remain.
    page.locator("#user-search").fill(DOCTOR.last_name)
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_test_id("user-row").filter(has_text=DOCTOR.email)).to_be_visible()
    expect(page.get_by_test_id("user-row").filter(has_not_text=DOCTOR.last_name)).to_have_count(0)

    # Create a staff account: every missing field is named, then it works.
    page.get_by_role("button", name="New staff account").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Create account").click()
    for field, text in [("first_name", "first name"), ("last_name", "last name"), ("email", "email address")]:
        expect(dialog.get_by_test_id(f"{field}-error")).to_contain_text(text)
    pick(page, "#staff-role", "Doctor")
    dialog.get_by_role("button", name="Create account").click()
    expect(dialog.get_by_test_id("license_number-error")).to_contain_text("licence number")
    page.wait_for_timeout(400)
    tab.shot(artifacts, "users-create-errors")
    pick(page, "#staff-role", "Clinic staff")
    last = f"Mthembu{uuid.uuid4().hex[:6]}"
    name, email = f"Nandi {last}", f"nandi.{last.lower()}@example.org"
    dialog.locator("#first_name").fill("Nandi")
    dialog.locator("#last_name").fill(last)
    dialog.locator("#email").fill(email)
    dialog.locator("#phone").fill("12")
    dialog.get_by_role("button", name="Create account").click()
    expect(dialog.get_by_test_id("phone-error")).to_contain_text("7 to 15 digits")
    dialog.locator("#phone").fill("+27 82 555 0188")
    dialog.get_by_role("button", name="Create account").click()
    expect(dialog.get_by_test_id("create-done")).to_contain_text(email)
    password = dialog.get_by_test_id("temp-password").inner_text().strip()
    assert len(password) >= 10
    page.wait_for_timeout(400)
    tab.shot(artifacts, "users-created")
    dialog.get_by_role("button", name="Done").click()
    expect(page.get_by_role("dialog")).to_have_count(0)

    # The list now shows just the new account; give it a clinic.
    row = page.get_by_test_id("user-row").filter(has_text=email)
    expect(row).to_contain_text("Clinic staff")
    expect(page.get_by_test_id("user-row")).to_have_count(1)
    expect(page.get_by_test_id("pager-status")).to_have_text("1 user · page 1 of 1")
    row_action(page, name, "Clinics and assignments")
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_test_id("no-affiliations")).to_be_visible()
    dialog.get_by_role("button", name="Add clinic").click()
    expect(dialog.get_by_test_id("clinic_id-error")).to_contain_text("Choose a clinic")
    pick(page, "#aff-clinic", "MediConnect Rosebank")
    pick(page, "#aff-role", "Manager")
    dialog.get_by_role("button", name="Add clinic").click()
    expect(dialog.get_by_test_id("affiliation-row")).to_contain_text("MediConnect Rosebank")
    tab.shot(artifacts, "users-affiliations")
    dialog.get_by_role("button", name="Close").click()
    expect(row).to_contain_text("MediConnect Rosebank")

    # The new user signs in elsewhere with the temporary password.
    other = new_tab(tabs, browser, running_app, WIDE)
    theirs = other.open("/login/")
    sign_in(theirs, email, password)
    expect(theirs).to_have_url(re.compile(r"/dashboard/$"), timeout=WAIT_MS)

    # Deactivate, with a confirmation: their session ends at once and sign-in is refused.
    row_action(page, name, "Deactivate")
    confirm = page.get_by_role("alertdialog")
    expect(confirm).to_contain_text(f"Deactivate {name}?")
    page.wait_for_timeout(400)  # let the dialog finish fading in
    tab.shot(artifacts, "users-confirm")
    confirm.get_by_test_id("confirm-action").click()
    expect(page.get_by_test_id("users-notice")).to_contain_text(f"{name} is deactivated")
    expect(row).to_contain_text("Inactive")
    theirs.reload(wait_until="networkidle")
    expect(theirs).to_have_url(re.compile(r"/login/"), timeout=WAIT_MS)
    refused_on_sign_in(theirs, lambda: sign_in(theirs, email, password), "deactivated")

    # Reactivate: they can sign in again.
    row_action(page, name, "Reactivate")
    page.get_by_role("alertdialog").get_by_test_id("confirm-action").click()
    expect(page.get_by_test_id("users-notice")).to_contain_text("active again")
    expect(row).to_contain_text("Active")
    sign_in(theirs, email, password)
    expect(theirs).to_have_url(re.compile(r"/dashboard/$"), timeout=WAIT_MS)

    # Change the role; a doctor needs a licence, which the dialog asks for.
    row_action(page, name, "Change role")
    dialog = page.get_by_role("dialog")
    pick(page, "#new-role", "Doctor")
    dialog.get_by_role("button", name="Save role").click()
    expect(dialog.get_by_test_id("license_number-error")).to_contain_text("licence number")
    tab.shot(artifacts, "users-role")
    pick(page, "#new-role", "Billing staff")
    dialog.get_by_role("button", name="Save role").click()
    expect(page.get_by_test_id("users-notice")).to_contain_text(f"{name} is now billing staff")
    expect(row).to_contain_text("Billing staff")
    # The role change signed them out.
    theirs.reload(wait_until="networkidle")
    expect(theirs).to_have_url(re.compile(r"/login/"), timeout=WAIT_MS)
    tab.no_page_scroll()
    assert tab.errors == [] and other.errors == []


# --------------------------------------------------------------------------- audit


@pytest.mark.parametrize("viewport", [WIDE, TALL], ids=["1024x768", "768x1024"])
def test_audit_page_filters_exports_and_verifies(
    browser: Browser, running_app: str, tabs: list[Tab], artifacts: Path, viewport: dict[str, int]
) -> None:
    tab = new_tab(tabs, browser, running_app, viewport)
    page = sign_in_to(tab, "/admin/audit/", ADMIN.email, DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="Audit log")).to_be_visible()
    expect(page.get_by_test_id("audit-row").first).to_be_visible(timeout=WAIT_MS)
    tab.no_page_scroll()

    # Bad filters are named, field by field.
    page.locator("#patient_id").fill("twelve")
    page.locator("#date_from").fill("2026-03-05")
    page.locator("#date_to").fill("2026-03-01")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_test_id("patient_id-error")).to_contain_text("whole number")
    expect(page.get_by_test_id("date_to-error")).to_contain_text("on or after")

    # The demo doctor's record views.
    page.get_by_role("button", name="Clear").click()
    expect(page.locator("#patient_id")).to_have_value("")  # the form re-mounted empty
    page.locator("#user").fill(DOCTOR.email)
    page.locator("#action").fill("view")
    page.get_by_role("button", name="Search").click()
    status = page.get_by_test_id("pager-status")
    expect(status).to_contain_text("rows · page 1 of")
    rows = page.get_by_test_id("audit-row")
    expect(rows.first).to_contain_text(DOCTOR.email)
    for text in rows.all_inner_texts():
        assert DOCTOR.email in text and "view" in text
    total = int(status.inner_text().split()[0].replace(",", ""))
    assert total > 0
    shown = rows.all_inner_texts()
    tab.shot(artifacts, "audit-filtered")

    # Export: exactly the filtered rows, newest first, ISO UTC times.
    with page.expect_download() as info:
        page.get_by_role("button", name="Export CSV").click()
    download = info.value
    assert download.suggested_filename.startswith("audit-log-") and download.suggested_filename.endswith(
        ".csv"
    )
    text = Path(download.path()).read_text(encoding="utf-8")
    exported = list(csv.DictReader(io.StringIO(text)))
    assert tuple(next(csv.reader(io.StringIO(text)))) == CSV_COLUMNS
    assert len(exported) == total
    assert {r["user_email"] for r in exported} == {DOCTOR.email} and {r["action"] for r in exported} == {
        "view"
    }
    ids = [int(r["id"]) for r in exported]
    assert ids == sorted(ids, reverse=True)
    for r in exported:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", r["occurred_at"])
    for r, line in zip(exported, shown, strict=False):
        assert r["occurred_at"][:10] in line and r["occurred_at"][11:19] in line and r["patient_id"] in line

    # A date range narrows further; the range is inclusive.
    day = exported[0]["occurred_at"][:10]
    page.locator("#date_from").fill(day)
    page.locator("#date_to").fill(day)
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_test_id("audit-row").first).to_contain_text(day)
    same_day = sum(1 for r in exported if r["occurred_at"].startswith(day))
    expect(status).to_have_text(re.compile(rf"^{same_day} rows · page 1 of"))

    page.get_by_role("button", name="Verify chain").click()
    expect(page.get_by_test_id("chain-ok")).to_contain_text("Chain intact", timeout=WAIT_MS)
    tab.shot(artifacts, "audit-verified")
    tab.no_page_scroll()
    assert tab.errors == []


# --------------------------------------------------------------------------- non-admins


def last_audit_id(database_url: str) -> int:
    engine = make_engine(database_url)
    try:
        with Session(engine) as db:
            return db.exec(select(func.max(AuditLog.id))).one() or 0
    finally:
        engine.dispose()


@pytest.mark.parametrize("path", ["/admin/users/", "/admin/audit/"])
def test_a_patient_is_sent_away_and_sees_no_user_data(
    browser: Browser, running_app: str, app_database_url: str, tabs: list[Tab], path: str
) -> None:
    if os.environ.get("MEDICONNECT_BASE_URL"):
        pytest.skip("needs the database of the app the fixture started")
    tab = new_tab(tabs, browser, running_app, TALL)
    before = last_audit_id(app_database_url)
    # Signing in on the way to the admin page: the page's guard sends them to their dashboard.
    page = tab.open(f"/login/?next={path}")
    sign_in(page, PATIENT.email, DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/dashboard/$"), timeout=WAIT_MS)
    expect(page.get_by_test_id("dashboard-placeholder")).to_be_visible()
    # Opening it again while signed in: the same.
    page = tab.open(path)
    expect(page).to_have_url(re.compile(r"/dashboard/$"), timeout=WAIT_MS)
    expect(page.get_by_test_id("dashboard-placeholder")).to_be_visible()
    page.wait_for_timeout(500)
    expect(page.get_by_test_id("users-table")).to_have_count(0)
    expect(page.get_by_test_id("audit-table")).to_have_count(0)
    # Neither the page nor anything the server sent this tab holds other users' data.
    body, pushed = page.content(), "\n".join(tab.received)
    assert "admin_users_state" in pushed or "admin_audit_state" in pushed  # the handler did answer
    for other in (ADMIN.email, DOCTOR.email, "@example.org", "@example.com", "audit.search"):
        assert other not in body and other not in pushed
    header = page.locator("header")
    expect(header.get_by_role("link", name="Users")).to_have_count(0)
    expect(header.get_by_role("link", name="Audit log")).to_have_count(0)
    assert tab.errors == []
    # The page's on_load handler ran on the server for the patient: it refused, on the record.
    resource = "user" if path == "/admin/users/" else "audit_log"
    engine = make_engine(app_database_url)
    try:
        for _ in range(40):
            with Session(engine) as db:
                denied = db.exec(
                    select(AuditLog).where(
                        AuditLog.user_id == PATIENT.user_id,
                        AuditLog.action == "denied",
                        AuditLog.resource_type == resource,
                        col(AuditLog.id) > before,
                    )
                ).all()
            if denied:
                break
            page.wait_for_timeout(250)
    finally:
        engine.dispose()
    assert denied and denied[0].detail == "DASH_002" and denied[0].role == "patient"
