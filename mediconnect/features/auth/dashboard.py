"""/dashboard/: sends each role to its own dashboard.

While a role's dashboard page does not exist yet (it is not registered through the page
decorator), the visitor sees a placeholder naming the dashboard that is coming and where.
As soon as a later issue registers that route, /dashboard/ redirects there instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from mediconnect.core.db import session_scope
from mediconnect.core.permissions import principal_for
from mediconnect.features.shell.routes import route_exists
from mediconnect.features.shell.state import current_user, login_url, private_state
from mediconnect.features.shell.template import ALL_ROLES, page
from mediconnect.models.users import Role, User


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
            with session_scope() as db:
                row = db.get(User, user.id)
                assert row is not None
                clinics = sorted(principal_for(db, user=row).clinic_ids)
            href = href.replace("[clinic_id]", str(clinics[0])) if clinics else "/clinics/"
        if route_exists(target.route):
            return rx.redirect(href, replace=True)
        self.title, self.blurb, self.href, self.first_name = target.title, target.blurb, href, user.first_name
        return None


@page(route="/dashboard/", title="Dashboard", roles=ALL_ROLES, on_load=DashboardState.load)
def dashboard() -> rx.Component:
    return rx.center(
        rx.cond(
            DashboardState.title,
            rx.card(
                rx.vstack(
                    rx.center(
                        rx.icon("layout-dashboard", size=26, color=rx.color("accent", 11)),
                        width="52px",
                        height="52px",
                        border_radius="14px",
                        background=rx.color("accent", 3),
                    ),
                    rx.heading("Welcome, ", DashboardState.first_name, as_="h1", size="7", weight="bold"),
                    rx.text(
                        "Your ",
                        rx.text(DashboardState.title, as_="span", weight="bold"),
                        " is coming soon. It will live at ",
                        rx.code(DashboardState.href),
                        ".",
                        size="4",
                        data_testid="dashboard-placeholder",
                    ),
                    rx.text(DashboardState.blurb, size="3", color=rx.color("gray", 11)),
                    rx.hstack(
                        rx.link(rx.button("Edit your profile", size="3"), href="/profile/", underline="none"),
                        rx.link(
                            rx.button("Sign out", size="3", variant="soft", color_scheme="gray"),
                            href="/logout/",
                            underline="none",
                        ),
                        spacing="3",
                        wrap="wrap",
                    ),
                    spacing="4",
                ),
                size="4",
                max_width="40em",
                width="100%",
            ),
            rx.spinner(size="3"),
        ),
        padding_y=rx.breakpoints(initial="1.5em", sm="3em"),
        width="100%",
    )
