"""The catalogue and clinic set-up pages in a real browser.

A clinic staff member opens their clinic's set-up, schedules a maintenance window and adds a
duty shift; an admin adds a service. A patient asking for a set-up page is sent away. Each page
is checked for sideways scrolling at 1280x800 and 768x1024 and photographed into
test-artifacts/ (catalog-*.png).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, select

from mediconnect.core.db import make_engine
from mediconnect.models.catalog import Service
from mediconnect.models.clinics import MaintenanceWindow
from mediconnect.models.staff import DutyShift
from mediconnect.models.users import User
from mediconnect.seed.demo_accounts import DEMO_BY_ROLE, DEMO_PASSWORD
from tests.browser.tabs import WAIT_MS

pytestmark = pytest.mark.browser

WIDE = {"width": 1280, "height": 800}
TALL = {"width": 768, "height": 1024}
STAFF = DEMO_BY_ROLE["clinic_staff"]
ADMIN = DEMO_BY_ROLE["admin"]
PATIENT = DEMO_BY_ROLE["patient"]


class Tab:
    def __init__(self, browser: Browser, viewport: dict[str, int], base: str) -> None:
        self.page: Page = browser.new_page(viewport=viewport)
        self.base = base
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))

    def open(self, path: str) -> Page:
        self.page.goto(self.base + path, wait_until="networkidle")
        return self.page

    def sign_in_to(self, path: str, email: str) -> Page:
        page = self.open(f"/login/?next={path}")
        page.locator("#email").fill(email)
        page.locator("#password").fill(DEMO_PASSWORD)
        page.get_by_role("form", name="Sign in").get_by_role("button").last.click()
        expect(page).to_have_url(re.compile("^" + re.escape(self.base + path) + "$"), timeout=WAIT_MS)
        return page

    def shot(self, artifacts: Path, name: str) -> None:
        size = self.page.viewport_size or WIDE
        self.page.wait_for_timeout(300)
        self.page.screenshot(
            path=artifacts / f"catalog-{name}-{size['width']}x{size['height']}.png", full_page=True
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


def pick(page: Page, trigger: str, option: str) -> None:
    page.locator(trigger).click()
    page.get_by_role("option", name=option, exact=True).click()


@pytest.mark.parametrize("viewport", [WIDE, TALL], ids=["1280x800", "768x1024"])
def test_clinic_staff_schedules_maintenance_and_a_shift(
    browser: Browser,
    running_app: str,
    app_database_url: str,
    tabs: list[Tab],
    artifacts: Path,
    viewport: dict[str, int],
) -> None:
    tab = new_tab(tabs, browser, running_app, viewport)
    page = tab.sign_in_to("/manage/clinics/", STAFF.email)
    link = page.get_by_test_id("manage-clinic-link")
    expect(link).to_have_count(1, timeout=WAIT_MS)
    tab.shot(artifacts, "clinics")
    link.click()
    expect(page).to_have_url(re.compile(r"/manage/clinics/\d+/$"))
    expect(page.get_by_test_id("hours-table")).to_be_visible(timeout=WAIT_MS)
    tab.no_page_scroll()
    tab.shot(artifacts, "hours")
    page.get_by_role("tab", name="Rooms & equipment").click()
    expect(page.get_by_test_id("equipment-table")).to_be_visible()
    tab.no_page_scroll()
    tab.shot(artifacts, "rooms")

    # Maintenance, at night far ahead (no bookings then): stored in UTC, listed in clinic time.
    title = f"Generator test {uuid.uuid4().hex[:6]}"
    day = (date.today() + timedelta(days=200)).isoformat()
    page.get_by_role("tab", name="Maintenance").click()
    page.locator("#title").fill(title)
    page.locator("#starts_day").fill(day)
    page.locator("#starts_time").fill("02:00")
    page.locator("#ends_day").fill(day)
    page.locator("#ends_time").fill("01:00")
    page.get_by_test_id("add-maintenance").click()
    expect(page.locator("#ends_time-error")).to_contain_text("end after it starts")
    page.locator("#ends_time").fill("04:30")
    page.get_by_test_id("add-maintenance").click()
    row = page.get_by_test_id("maintenance-row").filter(has_text=title)
    expect(row).to_contain_text(f"{day} 02:00", timeout=WAIT_MS)
    expect(row).to_contain_text("Whole clinic")
    tab.no_page_scroll()
    tab.shot(artifacts, "maintenance")
    engine = make_engine(app_database_url)
    with Session(engine) as db:
        window = db.exec(select(MaintenanceWindow).where(MaintenanceWindow.title == title)).one()
        assert (
            window.starts_at.hour == 0 and window.ends_at.hour == 2 and window.ends_at.minute == 30
        )  # SAST = UTC+2

    # A shift for themselves, next week on Monday.
    page.get_by_role("tab", name="Duty roster").click()
    page.get_by_role("button", name="Next week").click()
    expect(page.get_by_test_id("roster-day")).to_have_count(7)
    week = page.get_by_test_id("roster-week").inner_text().split()[-1]
    pick(page, "#user_id", f"{STAFF.first_name[:1]}. {STAFF.last_name}")
    pick(page, "#duty_role", "Reception")
    page.locator("#day").click()
    page.get_by_role("option").first.click()
    page.locator("#starts").fill("23:00")
    page.locator("#ends").fill("05:00")
    page.get_by_test_id("add-shift").click()
    first_day = page.get_by_test_id("roster-day").first
    expect(first_day.get_by_test_id("shift-row").filter(has_text="23:00 - 05:00 +1")).to_be_visible(
        timeout=WAIT_MS
    )
    tab.no_page_scroll()
    tab.shot(artifacts, "roster")
    with Session(engine) as db:
        me = db.exec(select(User).where(User.email == STAFF.email)).one()
        shift = db.exec(
            select(DutyShift)
            .where(DutyShift.user_id == me.id, DutyShift.cancelled == False)  # noqa: E712
            .order_by(DutyShift.id.desc())  # type: ignore[union-attr]
        ).first()
        assert shift is not None and (shift.ends_at - shift.starts_at) == timedelta(hours=6)
    # The same shift again overlaps: refused with the reason.
    pick(page, "#user_id", f"{STAFF.first_name[:1]}. {STAFF.last_name}")
    pick(page, "#duty_role", "Reception")
    page.locator("#day").click()
    page.get_by_role("option").first.click()
    page.locator("#starts").fill("23:30")
    page.locator("#ends").fill("02:00")
    page.get_by_test_id("add-shift").click()
    expect(page.locator("#starts-error")).to_contain_text("overlapping")
    # Cancel it: gone from the roster.
    first_day.get_by_role("button", name=re.compile(r"^Cancel shift 23:00")).click()
    expect(first_day.get_by_test_id("shift-row").filter(has_text="23:00 - 05:00 +1")).to_have_count(
        0, timeout=WAIT_MS
    )
    assert week
    engine.dispose()
    assert not tab.errors, tab.errors


@pytest.mark.parametrize("viewport", [WIDE, TALL], ids=["1280x800", "768x1024"])
def test_admin_adds_a_service(
    browser: Browser,
    running_app: str,
    app_database_url: str,
    tabs: list[Tab],
    artifacts: Path,
    viewport: dict[str, int],
) -> None:
    tab = new_tab(tabs, browser, running_app, viewport)
    page = tab.sign_in_to("/manage/services/", ADMIN.email)
    expect(page.get_by_test_id("service-row").first).to_be_visible(timeout=WAIT_MS)
    tab.no_page_scroll()
    tab.shot(artifacts, "services")
    code = f"T{uuid.uuid4().hex[:6].upper()}"
    page.get_by_role("button", name="New service").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_test_id("save-service").click()
    expect(dialog.locator("#code-error")).to_contain_text("code")
    expect(dialog.locator("#price-error")).to_contain_text("amount")
    tab.shot(artifacts, "service-errors")
    dialog.locator("#code").fill(code)
    dialog.locator("#name").fill("Ultrasound abdomen (test)")
    pick(page, "#modality", "Ultrasound")
    dialog.locator("#duration_minutes").fill("30")
    dialog.locator("#price").fill("1250.00")
    dialog.get_by_text("Referral required").click()
    dialog.get_by_test_id("save-service").click()
    expect(dialog).to_have_count(0, timeout=WAIT_MS)
    row = page.get_by_test_id("service-row").filter(has_text=code)
    expect(row).to_contain_text("1250.00")
    expect(row).to_contain_text("Referral")
    tab.shot(artifacts, "service-added")
    with Session(make_engine(app_database_url)) as db:
        svc = db.exec(select(Service).where(Service.code == code)).one()
        assert str(svc.modality) == "ultrasound" and svc.referral_required and svc.duration_minutes == 30
    row.get_by_role("button", name=re.compile("^Deactivate")).click()
    expect(page.get_by_test_id("services-notice")).to_contain_text("deactivated")
    assert not tab.errors, tab.errors


def test_a_patient_is_sent_away_from_the_set_up_pages(
    browser: Browser, running_app: str, tabs: list[Tab]
) -> None:
    tab = new_tab(tabs, browser, running_app, WIDE)
    page = tab.sign_in_to("/profile/", PATIENT.email)
    for path in ("/manage/clinics/1/", "/manage/services/", "/manage/clinics/"):
        tab.open(path)
        expect(page).to_have_url(re.compile(r"/dashboard/$"), timeout=WAIT_MS)
        expect(page.get_by_test_id("hours-table")).to_have_count(0)
        expect(page.get_by_test_id("services-table")).to_have_count(0)
