"""The front desk in a real browser: clinic staff check a patient in from today's queue; a second
desk on the same clinic and day shows it without reloading; the appointment list shows it."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session

from mediconnect.core.db import make_engine
from mediconnect.models.appointments import Appointment, AppointmentStatus
from mediconnect.seed.demo_accounts import DEMO_BY_ROLE, DEMO_PASSWORD
from tests.browser.tabs import TALL, WAIT_MS, WIDE, open_signed_in

pytestmark = pytest.mark.browser

STAFF = DEMO_BY_ROLE["clinic_staff"]
ADMIN = DEMO_BY_ROLE["admin"]
PATIENT = DEMO_BY_ROLE["patient"]


def test_check_in_from_the_desk_shows_on_every_desk_and_in_the_list(
    browser: Browser, running_app: str, app_database_url: str, pages: list[Page]
) -> None:
    desk = open_signed_in(browser, running_app, pages, STAFF.email, "/desk/")
    expect(desk.get_by_test_id("desk-queue")).to_be_visible(timeout=WAIT_MS)
    clinic = desk.locator("#desk-clinic").inner_text()
    row = desk.get_by_test_id("desk-row").filter(has=desk.get_by_test_id("desk-check_in")).first
    expect(row).to_be_visible()
    link = row.get_by_test_id("desk-patient")
    patient_name = link.inner_text()
    appointment_id = int(re.search(r"/appointments/(\d+)/", link.get_attribute("href") or "").group(1))  # type: ignore[union-attr]

    # Another desk (an admin) on the same clinic and day.
    other = open_signed_in(browser, running_app, pages, ADMIN.email, "/desk/", viewport=TALL)
    if other.locator("#desk-clinic").inner_text() != clinic:
        other.locator("#desk-clinic").click()
        other.get_by_role("option", name=clinic, exact=True).click()
    other_row = other.get_by_test_id("desk-row").filter(
        has=other.locator(f'a[href="/appointments/{appointment_id}/"]')
    )
    expect(other_row).to_have_attribute("data-status", re.compile("booked|confirmed"))
    navigations: list[str] = []
    other.on("framenavigated", lambda frame: navigations.append(frame.url))

    row.get_by_test_id("desk-check_in").click()
    expect(desk.get_by_test_id("desk-notice")).to_contain_text(f"{patient_name} checked in")
    mine = desk.get_by_test_id("desk-row").filter(
        has=desk.locator(f'a[href="/appointments/{appointment_id}/"]')
    )
    expect(mine).to_have_attribute("data-status", "checked_in")
    expect(mine.get_by_test_id("desk-start")).to_be_visible()
    expect(mine.get_by_test_id("desk-waiting")).to_contain_text("waiting")

    # The other desk updates by itself.
    expect(other_row).to_have_attribute("data-status", "checked_in", timeout=WAIT_MS)
    assert navigations == [], f"the other desk navigated: {navigations}"

    with Session(make_engine(app_database_url)) as db:
        appt = db.get(Appointment, appointment_id)
        assert (
            appt is not None
            and appt.status is AppointmentStatus.CHECKED_IN
            and appt.checked_in_at is not None
        )

    # The appointment list shows it checked in.
    desk.goto(f"{running_app}/appointments/list/", wait_until="networkidle")
    today = datetime.now(ZoneInfo("Africa/Johannesburg")).date().isoformat()
    desk.locator('input[name="date_from"]').fill(today)
    desk.locator('input[name="date_to"]').fill(today)
    desk.get_by_role("button", name="Apply").click()
    desk.locator("#status-filter").click()
    desk.get_by_role("option", name="Checked in", exact=True).click()
    listed = desk.get_by_test_id("appointment-row").filter(
        has=desk.locator(f'a[href="/appointments/{appointment_id}/"]')
    )
    expect(listed).to_be_visible()
    expect(listed.get_by_test_id("status-badge")).to_have_text("Checked in")
    desk.screenshot(path="test-artifacts/desk-list-checked-in-1280x800.png", full_page=True)


def test_a_patient_cannot_open_the_desk(browser: Browser, running_app: str, pages: list[Page]) -> None:
    page = browser.new_page(viewport=WIDE)
    pages.append(page)
    page.goto(f"{running_app}/login/?next=/desk/", wait_until="networkidle")
    page.locator("#email").fill(PATIENT.email)
    page.locator("#password").fill(DEMO_PASSWORD)
    page.get_by_role("form", name="Sign in").get_by_role("button").last.click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"), timeout=WAIT_MS)
    expect(page.get_by_test_id("desk-queue")).to_have_count(0)
