"""The doctor and clinic dashboards in a real browser.

A doctor sees their own dashboard with the figures the service computes for them; clinic staff
land on their clinic's dashboard from /dashboard/; a check-in at the front desk in one browser
shows on the clinic dashboard open in another without a reload; another clinic's (or doctor's)
dashboard is refused with the spec's code and message; Pause removes the refresh timer and
Resume brings it back (and it refreshes again); nothing scrolls sideways on a tablet either way
up. Screenshots at 1024x768, 768x1024 and 1920x1080 go to $MEDICONNECT_SHOTS (default
test-artifacts/).
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, col, select

from mediconnect.core.db import make_engine
from mediconnect.core.policy import principal_for
from mediconnect.models.clinics import Clinic
from mediconnect.models.staff import Doctor
from mediconnect.models.users import User
from mediconnect.seed.demo_accounts import DEMO_BY_ROLE
from tests.browser.tabs import WAIT_MS, open_signed_in

pytestmark = pytest.mark.browser

T = TypeVar("T")
DOCTOR = DEMO_BY_ROLE["doctor"]
STAFF = DEMO_BY_ROLE["clinic_staff"]
ADMIN = DEMO_BY_ROLE["admin"]
LANDSCAPE = {"width": 1024, "height": 768}
PORTRAIT = {"width": 768, "height": 1024}
WALL = {"width": 1920, "height": 1080}
LOAD_MS = WAIT_MS


class Db:
    """Short transactions on the running app's database (an open one would stall SQLite)."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)

    def read(self, fn: Callable[[Session], T]) -> T:
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                return fn(session)
            finally:
                session.rollback()


@pytest.fixture(scope="module")
def db(app_database_url: str) -> Db:
    return Db(app_database_url)


def doctor_data(db: Db, user_id: int, doctor_id: int | None = None) -> dict[str, Any]:
    from mediconnect.dashboards import service

    def build(s: Session) -> dict[str, Any]:
        user = s.get(User, user_id)
        assert user is not None
        principal = principal_for(s, user=user)
        return service.serve("doctor", session=s, principal=principal, doctor_id=doctor_id, fresh=True).data

    return db.read(build)


def clinic_data(db: Db, user_id: int, clinic_id: int) -> dict[str, Any]:
    from mediconnect.dashboards import service

    def build(s: Session) -> dict[str, Any]:
        user = s.get(User, user_id)
        assert user is not None
        return service.serve(
            "clinic", session=s, principal=principal_for(s, user=user), clinic_id=clinic_id, fresh=True
        ).data

    return db.read(build)


@pytest.fixture(scope="module")
def other_clinic(app_database_url: str) -> Iterator[int]:
    """A clinic nobody in the seed works at (the tiny seed has one); removed afterwards."""
    engine = make_engine(app_database_url)
    with Session(engine) as s:
        clinic = Clinic(
            code=f"DSH{uuid.uuid4().hex[:6].upper()}",
            name="Dashboard Test Clinic",
            address="9 Elsewhere Road",
            city="Pretoria",
            region="Gauteng",
        )
        s.add(clinic)
        s.commit()
        assert clinic.id is not None
        clinic_id = clinic.id
    yield clinic_id
    with Session(engine) as s:
        row = s.get(Clinic, clinic_id)
        if row is not None:
            s.delete(row)
            s.commit()


def staff_clinic(db: Db) -> int:
    def first(s: Session) -> int:
        user = s.get(User, STAFF.user_id)
        assert user is not None
        return min(principal_for(s, user=user).clinic_ids)

    return db.read(first)


def loaded(page: Page, test_id: str) -> None:
    expect(page.get_by_test_id(test_id)).to_have_attribute("data-loaded", "true", timeout=LOAD_MS)


def value_of(page: Page, key: str) -> str:
    return page.get_by_test_id(f"metric-{key}").get_by_test_id("metric-value").inner_text().strip()


def shots_dir() -> Path:
    from tests.browser.conftest import ARTIFACTS

    path = Path(os.environ.get("MEDICONNECT_SHOTS", str(ARTIFACTS)))
    path.mkdir(parents=True, exist_ok=True)
    return path


def no_sideways_scroll(page: Page, name: str) -> None:
    """At the page's viewport: nothing wider than the screen; a full-page screenshot saved."""
    # Let Plotly's resize handler redraw the charts at the new width before measuring.
    page.wait_for_timeout(600)
    scroll, inner = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"{name}: the page is {scroll}px wide in a {inner}px window"
    size = page.viewport_size or {}
    shot = shots_dir() / f"{name}-{size.get('width')}x{size.get('height')}.png"
    page.screenshot(path=str(shot), full_page=True)


def charts_drawn(page: Page, *test_ids: str) -> None:
    for test_id in test_ids:
        expect(page.get_by_test_id(test_id).locator(".main-svg").first).to_be_attached(timeout=LOAD_MS)


# --------------------------------------------------------------------------- doctor


def test_doctor_sees_their_own_figures(browser: Browser, running_app: str, db: Db, pages: list[Page]) -> None:
    page = open_signed_in(browser, running_app, pages, DOCTOR.email, "/dashboard/doctor/", viewport=LANDSCAPE)
    loaded(page, "doctor-dashboard")
    data = doctor_data(db, DOCTOR.user_id)

    expect(page.get_by_test_id("dash-title")).to_have_text(data["doctor_info"]["name"])
    today = data["today_metrics"]
    assert value_of(page, "appointments") == str(today["appointments"]["total"])
    assert value_of(page, "patients") == str(today["patients"]["total_seen"])
    expect(page.get_by_test_id("metric-appointments")).to_contain_text(
        f"{today['appointments']['cancelled']} cancelled"
    )
    assert value_of(page, "week-appointments") == str(data["weekly_summary"]["appointments"]["total"])
    growth = data["monthly_trends"]["patient_growth"]
    assert value_of(page, "new-patients") == str(growth["new_patients"])
    trend = {"increasing": "up", "decreasing": "down", "stable": "stable"}[growth["trend"]]
    expect(page.get_by_test_id("metric-new-patients").get_by_test_id("metric-trend")).to_have_attribute(
        "data-trend", trend
    )
    rate = data["today_metrics"]["revenue"]["achievement_rate"]
    if data["today_metrics"]["revenue"].get("target") not in (None, ""):
        expect(page.get_by_test_id("metric-revenue").get_by_test_id("metric-progress")).to_have_text(
            f"{rate * 100:.0f}%"
        )
    expect(page.get_by_test_id("upcoming-row")).to_have_count(len(data["upcoming_appointments"]))
    expect(page.get_by_test_id("dash-alert")).to_have_count(len(data["patient_alerts"]))
    for action in data["quick_actions"]:
        expect(
            page.get_by_test_id(f"quick-action-{action['action']}").get_by_test_id("quick-action-count")
        ).to_have_text(str(action["count"]))
    expect(page.get_by_test_id("dash-updated")).to_have_text(re.compile(r"^\d\d:\d\d:\d\d$"))
    charts_drawn(page, "chart-weekly", "chart-status", "chart-split")

    no_sideways_scroll(page, "doctor-dashboard")
    page.set_viewport_size(PORTRAIT)
    no_sideways_scroll(page, "doctor-dashboard")
    page.set_viewport_size(WALL)
    no_sideways_scroll(page, "doctor-dashboard")


def test_a_doctor_cannot_open_another_doctors_dashboard(
    browser: Browser, running_app: str, db: Db, pages: list[Page]
) -> None:
    other = db.read(
        lambda s: s.exec(
            select(Doctor.id).where(Doctor.user_id != DOCTOR.user_id).order_by(col(Doctor.id))
        ).first()
    )
    assert other is not None
    path = f"/dashboard/doctor/?doctor_id={other}"
    page = open_signed_in(browser, running_app, pages, DOCTOR.email, path)
    expect(page.get_by_test_id("dash-error-code")).to_have_text("DASH_006", timeout=LOAD_MS)
    expect(page.get_by_test_id("dash-error-message")).to_have_text("User not associated")
    expect(page.get_by_test_id("metric-value")).to_have_count(0)
    expect(page.get_by_test_id("dash-title")).to_have_count(0)


def test_an_admin_goes_from_a_clinic_to_a_doctors_dashboard(
    browser: Browser, running_app: str, db: Db, pages: list[Page]
) -> None:
    page = open_signed_in(browser, running_app, pages, ADMIN.email, "/profile/")
    page.goto(f"{running_app}/dashboard/clinic/")
    expect(page).to_have_url(re.compile(r"/clinics/\d+/dashboard/$"), timeout=LOAD_MS)
    loaded(page, "clinic-dashboard")
    link = page.get_by_test_id("doctor-link").first
    name = link.inner_text()
    link.click()
    expect(page).to_have_url(re.compile(r"/dashboard/doctor/\?doctor_id=\d+$"), timeout=LOAD_MS)
    loaded(page, "doctor-dashboard")
    expect(page.get_by_test_id("dash-title")).to_have_text(name)
    doctor_id = int(page.url.rsplit("=", 1)[1])
    data = doctor_data(db, ADMIN.user_id, doctor_id)
    assert value_of(page, "appointments") == str(data["today_metrics"]["appointments"]["total"])


# --------------------------------------------------------------------------- clinic


def test_clinic_staff_land_on_their_clinic_dashboard(
    browser: Browser, running_app: str, db: Db, pages: list[Page], other_clinic: int
) -> None:
    page = open_signed_in(browser, running_app, pages, STAFF.email, "/profile/", viewport=PORTRAIT)
    page.goto(f"{running_app}/dashboard/")
    expect(page).to_have_url(re.compile(r"/clinics/\d+/dashboard/$"), timeout=LOAD_MS)
    loaded(page, "clinic-dashboard")
    clinic_id = int(re.search(r"/clinics/(\d+)/", page.url).group(1))  # type: ignore[union-attr]
    data = clinic_data(db, STAFF.user_id, clinic_id)

    expect(page.get_by_test_id("dash-title")).to_have_text(data["clinic_info"]["name"])
    today = data["operational_metrics"]["today"]
    assert value_of(page, "appointments") == str(today["appointments"]["total_scheduled"])
    assert value_of(page, "patients") == str(today["patient_flow"]["total_patients"])
    rooms = today["resource_utilization"]["examination_rooms"]
    assert value_of(page, "rooms") == f"{rooms['occupied']} of {rooms['total']}"
    assert value_of(page, "week-appointments") == str(
        data["operational_metrics"]["weekly_performance"]["appointments"]["total"]
    )
    expect(page.get_by_test_id("doctor-row")).to_have_count(len(data["doctor_performance"]))
    expect(page.get_by_test_id("department-row")).to_have_count(len(data["department_metrics"]))
    expect(page.get_by_test_id("dash-alert")).to_have_count(len(data["alerts_and_notifications"]))
    expect(page.get_by_test_id("event")).to_have_count(len(data["upcoming_events"]))
    charts_drawn(page, "chart-status", "chart-usage", "chart-payments", "chart-revenue", "chart-departments")

    no_sideways_scroll(page, "clinic-dashboard")
    page.set_viewport_size(LANDSCAPE)
    no_sideways_scroll(page, "clinic-dashboard")
    page.set_viewport_size(WALL)
    no_sideways_scroll(page, "clinic-dashboard")

    # Another clinic's number in the address: refused with the spec's code, nothing shown.
    page.goto(f"{running_app}/clinics/{other_clinic}/dashboard/")
    expect(page.get_by_test_id("dash-error-code")).to_have_text("DASH_006", timeout=LOAD_MS)
    expect(page.get_by_test_id("dash-error-message")).to_have_text("User not associated")
    expect(page.get_by_test_id("dash-error")).to_contain_text("not associated")
    expect(page.get_by_test_id("metric-value")).to_have_count(0)
    expect(page.get_by_test_id("doctor-row")).to_have_count(0)
    page.set_viewport_size(LANDSCAPE)
    page.screenshot(path=str(shots_dir() / "clinic-dashboard-refused-1024x768.png"))
    # A clinic that does not exist.
    page.goto(f"{running_app}/clinics/{other_clinic + 100000}/dashboard/")
    expect(page.get_by_test_id("dash-error-code")).to_have_text("DASH_005", timeout=LOAD_MS)
    expect(page.get_by_test_id("dash-error-message")).to_have_text("Clinic not found")


def test_a_check_in_at_the_desk_shows_on_an_open_clinic_dashboard(
    browser: Browser, running_app: str, db: Db, pages: list[Page]
) -> None:
    path = f"/clinics/{staff_clinic(db)}/dashboard/"
    board = open_signed_in(browser, running_app, pages, STAFF.email, path, viewport=WALL)
    loaded(board, "clinic-dashboard")
    card = board.get_by_test_id("metric-appointments")
    found = re.search(r"(\d+) in progress", card.inner_text())
    assert found is not None, card.inner_text()
    before = int(found.group(1))
    navigations: list[str] = []
    board.on("framenavigated", lambda frame: navigations.append(frame.url))

    # Another browser (its own context and session): the front desk checks a patient in.
    desk = open_signed_in(browser, running_app, pages, STAFF.email, "/desk/")
    expect(desk.get_by_test_id("desk-queue")).to_be_visible(timeout=LOAD_MS)
    row = desk.get_by_test_id("desk-row").filter(has=desk.get_by_test_id("desk-check_in")).first
    patient = row.get_by_test_id("desk-patient").inner_text()
    row.get_by_test_id("desk-check_in").click()
    expect(desk.get_by_test_id("desk-notice")).to_contain_text(f"{patient} checked in")

    # The dashboard follows by itself (the live push), without navigating.
    expect(card).to_contain_text(re.compile(rf"(^|\D){before + 1} in progress"), timeout=WAIT_MS)
    assert navigations == [], f"the dashboard navigated: {navigations}"


def test_pause_stops_the_refresh_timer_and_resume_restarts_it(
    browser: Browser, running_app: str, db: Db, pages: list[Page]
) -> None:
    path = f"/clinics/{staff_clinic(db)}/dashboard/"
    page = open_signed_in(browser, running_app, pages, STAFF.email, path)
    loaded(page, "clinic-dashboard")
    timer, auto = page.get_by_test_id("dash-timer"), page.get_by_test_id("dash-auto")
    expect(timer).to_have_count(1)
    # The 30-second tier refreshes by itself.
    expect(auto).to_have_attribute("data-count", re.compile(r"^[1-9]"), timeout=75_000)

    page.get_by_test_id("dash-pause").click()
    expect(timer).to_have_count(0)
    expect(page.get_by_test_id("dash-toolbar")).to_contain_text("Automatic refresh paused")
    paused_at = int(auto.get_attribute("data-count") or "0")
    # Refreshing by hand still works while paused.
    page.get_by_test_id("dash-refresh").click()
    expect(page.get_by_test_id("dash-updated")).to_have_text(re.compile(r"^\d\d:\d\d:\d\d$"))

    page.get_by_test_id("dash-resume").click()
    expect(timer).to_have_count(1)
    expect(page.get_by_test_id("dash-pause")).to_be_visible()
    expect(auto).to_have_attribute("data-count", re.compile(rf"^(?!{paused_at}$)\d+$"), timeout=75_000)
