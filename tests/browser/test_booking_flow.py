"""Booking in a real browser: a patient books a scan and sees the price breakdown before
confirming; a second browser on the same clinic, service and day sees the booked time vanish
without reloading (the live backbone), and is told when the time it had picked is gone.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, col, select

from mediconnect.core.db import make_engine
from mediconnect.features.kit.format import money
from mediconnect.models.appointments import Appointment
from mediconnect.models.catalog import Service
from mediconnect.models.patients import Patient
from mediconnect.models.users import User
from mediconnect.seed.demo_accounts import DEMO_BY_ROLE
from tests.browser.tabs import TALL, WAIT_MS, open_signed_in

pytestmark = pytest.mark.browser

PATIENT = DEMO_BY_ROLE["patient"]
STAFF = DEMO_BY_ROLE["clinic_staff"]


def plain_service(database_url: str) -> Service:
    """A scan with no referral needed (so the flow needs no upload), cheapest X-ray first."""
    with Session(make_engine(database_url)) as db:
        service = db.exec(
            select(Service)
            .where(col(Service.is_active).is_(True), col(Service.referral_required).is_(False))
            .where(Service.modality == "xray")
            .order_by(col(Service.price))
        ).first()
        assert service is not None
        return service


def choose(page: Page, service: Service, clinic: str | None = None) -> str:
    """Pick the service and a clinic; move to the first day with free times. Returns the clinic."""
    page.get_by_test_id("modality").filter(has_text="X-ray").click()
    page.get_by_test_id("service-option").filter(has_text=service.name).first.click()
    expect(page.get_by_test_id("chosen-service")).to_have_text(service.name)
    options = page.get_by_test_id("clinic-option")
    expect(options.first).to_be_visible()
    target = options.filter(has_text=clinic) if clinic else options.first
    name = target.first.inner_text().splitlines()[0]
    target.first.click()
    for _ in range(10):
        shown = page.get_by_test_id("slot").first.or_(page.get_by_test_id("day-full"))
        expect(shown.or_(page.get_by_test_id("day-closed"))).to_be_visible(timeout=WAIT_MS)
        if page.get_by_test_id("slot").count():
            return name
        day = page.get_by_role("combobox", name="Day")
        before = day.inner_text()
        page.get_by_role("button", name="Next day").click()
        expect(day).not_to_have_text(before)
    raise AssertionError("no free time in the next ten days")


def slot_keys(page: Page) -> list[str]:
    return [k for k in page.get_by_test_id("slot").evaluate_all("els => els.map(e => e.dataset.key)") if k]


def test_a_patient_books_a_scan_and_sees_the_price_before_confirming(
    browser: Browser, running_app: str, app_database_url: str, pages: list[Page]
) -> None:
    service = plain_service(app_database_url)
    page = open_signed_in(browser, running_app, pages, PATIENT.email, "/appointments/book/")
    choose(page, service)
    slot = page.get_by_test_id("slot").nth(1)
    when = slot.inner_text()
    slot.click()
    expect(page.get_by_test_id("summary-when")).to_contain_text(when)

    # The price breakdown is on screen before anything is booked.
    breakdown = page.get_by_test_id("price-breakdown")
    expect(breakdown).to_be_visible()
    expect(page.get_by_test_id("quote-price")).to_have_text(money(service.price))
    for test_id in ("quote-scheme", "quote-patient", "quote-due-now", "quote-due-later"):
        expect(page.get_by_test_id(test_id)).to_have_text(re.compile(r"\S"))
    assert re.fullmatch(r"R[\d\u00a0]+\.\d\d", page.get_by_test_id("quote-patient").inner_text())
    with Session(make_engine(app_database_url)) as db:
        patient = db.exec(select(Patient).join(User).where(User.email == PATIENT.email)).one()
        before = len(db.exec(select(Appointment.id).where(Appointment.patient_id == patient.id)).all())
    page.screenshot(path="test-artifacts/booking-price-before-confirm-1280x800.png", full_page=True)

    # Confirming without the preparation checkbox is refused with a clear message.
    if page.get_by_test_id("prep-ack").count():
        page.get_by_test_id("confirm-booking").click()
        expect(page.get_by_test_id("booking-error")).to_contain_text("preparation")
        page.get_by_test_id("prep-ack").click()
    page.get_by_test_id("confirm-booking").click()
    expect(page).to_have_url(re.compile(r"/appointments/\d+/confirmed/$"), timeout=WAIT_MS)
    expect(page.get_by_test_id("booked-banner")).to_be_visible()
    expect(page.get_by_test_id("detail-service")).to_have_text(service.name)
    expect(page.get_by_test_id("status-badge")).to_have_text("Pending")

    appointment_id = int(re.search(r"/appointments/(\d+)/", page.url).group(1))  # type: ignore[union-attr]
    with Session(make_engine(app_database_url)) as db:
        appt = db.get(Appointment, appointment_id)
        assert appt is not None and appt.patient_id == patient.id and appt.service_id == service.id
        assert appt.price == Decimal(service.price)
        after = len(db.exec(select(Appointment.id).where(Appointment.patient_id == patient.id)).all())
        assert after == before + 1

    # The same quote numbers are on the payment summary (the invoice carries them).
    page.get_by_test_id("payment-link").click()
    expect(page.get_by_test_id("summary-figures")).to_contain_text(money(service.price))


def test_a_second_browser_sees_the_booked_time_vanish_without_reloading(
    browser: Browser, running_app: str, app_database_url: str, pages: list[Page]
) -> None:
    service = plain_service(app_database_url)
    patient = open_signed_in(browser, running_app, pages, PATIENT.email, "/appointments/book/")
    clinic = choose(patient, service)
    # The desk, in another browser, looks at the same clinic, service and day.
    desk = open_signed_in(browser, running_app, pages, STAFF.email, "/appointments/book/", viewport=TALL)
    choose(desk, service, clinic)
    day = patient.get_by_role("combobox", name="Day").inner_text()
    while (before := desk.get_by_role("combobox", name="Day").inner_text()) != day:
        desk.get_by_role("button", name="Next day").click()
        expect(desk.get_by_role("combobox", name="Day")).not_to_have_text(before)
        shown = desk.get_by_test_id("slot").first.or_(desk.get_by_test_id("day-full"))
        expect(shown.or_(desk.get_by_test_id("day-closed"))).to_be_visible()

    shared = [k for k in slot_keys(patient) if k in set(slot_keys(desk))]
    assert shared, "both browsers should show the same free times"
    target = shared[0]
    desk_slot = desk.locator(f'[data-testid="slot"][data-key="{target}"]')
    desk_slot.click()  # the desk had picked this very time
    expect(desk.get_by_test_id("summary-when")).to_be_visible()
    navigations: list[str] = []
    desk.on("framenavigated", lambda frame: navigations.append(frame.url))

    patient.locator(f'[data-testid="slot"][data-key="{target}"]').click()
    if patient.get_by_test_id("prep-ack").count():
        patient.get_by_test_id("prep-ack").click()
    patient.get_by_test_id("confirm-booking").click()
    expect(patient).to_have_url(re.compile(r"/appointments/\d+/confirmed/$"), timeout=WAIT_MS)

    # The time goes on the other browser, which was not reloaded (the wait only bounds a hang),
    # and it says the time it had picked was taken.
    expect(desk_slot).to_have_count(0, timeout=WAIT_MS)
    expect(desk.get_by_test_id("slot-notice")).to_contain_text("just been taken")
    assert navigations == [], f"the second browser navigated: {navigations}"
    desk.screenshot(path="test-artifacts/booking-slot-vanished-768x1024.png", full_page=True)
