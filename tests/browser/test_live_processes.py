"""Across backend processes: a booking made in a tab served by process A reaches a tab served by
process B, without reloading.

With Redis the app runs as production does (GRANIAN_WORKERS=2, state in Redis, one event
subscription per process). Each page carries the id of the process keeping it live
(``data-instance`` of the hidden ``live-instance`` marker), so the test opens booking pages
until two are served by different processes, books in one and watches the other.
"""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.browser.tabs import TALL, WAIT_MS, open_signed_in
from tests.browser.test_booking_flow import PATIENT, STAFF, choose, plain_service, slot_keys

MAX_TABS = 8


def instance_of(page: Page) -> str:
    marker = page.get_by_test_id("live-instance")
    expect(marker).to_have_attribute("data-instance", re.compile(r"\w+"), timeout=WAIT_MS)
    return marker.get_attribute("data-instance") or ""


def test_a_booking_through_one_process_reaches_a_tab_on_another(
    browser: Browser, running_app: str, app_database_url: str, pages: list[Page], redis_url: str
) -> None:
    service = plain_service(app_database_url)
    booker = open_signed_in(browser, running_app, pages, PATIENT.email, "/appointments/book/")
    clinic = choose(booker, service)
    day = booker.get_by_role("combobox", name="Day").inner_text()
    home = instance_of(booker)

    watcher = None
    for _ in range(MAX_TABS):
        tab = open_signed_in(browser, running_app, pages, STAFF.email, "/appointments/book/", viewport=TALL)
        choose(tab, service, clinic)
        while (shown := tab.get_by_role("combobox", name="Day").inner_text()) != day:
            tab.get_by_role("button", name="Next day").click()
            expect(tab.get_by_role("combobox", name="Day")).not_to_have_text(shown)
        expect(tab.get_by_test_id("slot").first).to_be_visible()
        if instance_of(tab) != home:
            watcher = tab
            break
    assert watcher is not None, f"{MAX_TABS} tabs all landed on the booking tab's process: is it one process?"

    shared = [k for k in slot_keys(booker) if k in set(slot_keys(watcher))]
    assert shared, "both tabs should show the same free times"
    target = shared[-1]
    watched = watcher.locator(f'[data-testid="slot"][data-key="{target}"]')
    expect(watched).to_have_count(1)

    booker.locator(f'[data-testid="slot"][data-key="{target}"]').click()
    if booker.get_by_test_id("prep-ack").count():
        booker.get_by_test_id("prep-ack").click()
    booker.get_by_test_id("confirm-booking").click()
    expect(booker).to_have_url(re.compile(r"/appointments/\d+/confirmed/$"), timeout=WAIT_MS)

    # Served by the other process, never reloaded: the time goes (the wait only bounds a hang).
    expect(watched).to_have_count(0, timeout=WAIT_MS)
    assert instance_of(watcher) != home
