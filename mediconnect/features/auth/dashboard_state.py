"""The state of /dashboard/ (``dashboard``): which dashboard each role is sent to.

The clinic a clinic's dashboard opens on is the services' rule (``services.landing``), the
same one /dashboard/clinic/ follows.
"""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from mediconnect.features.kit.calls import page_call
from mediconnect.features.shell.routes import route_exists
from mediconnect.features.shell.state import current_user, login_url, private_state
from mediconnect.models.users import Role
from mediconnect.services import landing


@dataclass(frozen=True)
class DashboardTarget:
    title: str
    # The route as the page decorator registers it (dynamic parts in brackets).
    route: str
    blurb: str


DASHBOARDS: dict[Role, DashboardTarget] = {
    Role.PATIENT: DashboardTarget(
        "Patient dashboard",
        "/dashboard/patient/",
        "Your upcoming appointments, reports, payments and medical aid in one place.",
    ),
    Role.DOCTOR: DashboardTarget(
        "Doctor dashboard",
        "/dashboard/doctor/",
        "Today's list, your patients' reports and turnaround, and your revenue.",
    ),
    Role.REFERRING_DOCTOR: DashboardTarget(
        "Referring doctor dashboard",
        "/dashboard/referring-doctor/",
        "The patients you referred, their appointments and their final reports.",
    ),
    Role.CLINIC_STAFF: DashboardTarget(
        "Clinic dashboard",
        "/clinics/[clinic_id]/dashboard/",
        "Bookings, rooms, radiologists and staffing of your clinic, updated live.",
    ),
    Role.BILLING_STAFF: DashboardTarget(
        "Billing dashboard",
        "/billing/dashboard/",
        "Payments, outstanding invoices and medical aid claims for your clinics and doctors.",
    ),
    Role.ANALYTICS_STAFF: DashboardTarget(
        "Analytics dashboard",
        "/analytics/dashboard/",
        "Appointment, revenue and satisfaction trends across the clinics.",
    ),
    Role.ADMIN: DashboardTarget(
        "Admin dashboard",
        "/dashboard/admin/",
        "Users, the audit trail, security events and the health of the whole platform.",
    ),
}


@private_state
class DashboardState(rx.State):
    title: str = ""
    blurb: str = ""
    href: str = ""
    first_name: str = ""

    @rx.event
    async def load(self):
        user = await current_user(self)
        if user is None:
            return rx.redirect(login_url(self.router.url.path), replace=True)
        target = DASHBOARDS[user.role]
        href = target.route
        if "[clinic_id]" in href:
            outcome = await page_call(self, lambda db, p: landing.landing_clinic(session=db, principal=p))
            if outcome.redirect is not None:
                return outcome.redirect
            clinic_id = outcome.value
            href = href.replace("[clinic_id]", str(clinic_id)) if clinic_id else "/clinics/"
        if route_exists(target.route):
            return rx.redirect(href, replace=True)
        self.title, self.blurb, self.href, self.first_name = target.title, target.blurb, href, user.first_name
        return None
