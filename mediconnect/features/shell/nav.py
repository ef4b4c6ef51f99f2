"""Who sees which links: the navigation as data, one list per role.

Plain Python (no Reflex) so the mapping can be tested and reused by other surfaces.
Links to pages that later issues build are listed already; they 404 until then.
Showing a link grants nothing: every page and handler checks the caller on the server.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

from mediconnect.models.users import Role


class NavLink(TypedDict):
    """The client-visible shape of one link."""

    label: str
    href: str


@dataclass(frozen=True)
class NavItem:
    label: str
    href: str
    # A call to action is drawn as a button at the right of the top bar, not as a link.
    cta: bool = False

    def as_link(self) -> NavLink:
        return NavLink(label=self.label, href=self.href)


HOME = NavItem("Home", "/")
BOOK = NavItem("Book a scan", "/appointments/book/")
MY_APPOINTMENTS = NavItem("My appointments", "/appointments/list/")
APPOINTMENTS = NavItem("Appointments", "/appointments/list/")
WAITLIST = NavItem("My waiting list", "/appointments/waitlist/")
# The front-desk day queue: clinic staff run their clinic's day; admins any clinic's.
DESK = NavItem("Front desk", "/desk/")
# The spec's role-based dashboard: it shows the caller's own (patient, clinic staff: their
# clinic's /clinics/[id]/dashboard/, admin: the admin dashboard).
DASHBOARD = NavItem("Dashboard", "/dashboard/")
DOCTOR_DASHBOARD = NavItem("Dashboard", "/dashboard/doctor/")
# Straight to the first clinic dashboard the caller may open (it has a picker for the others).
CLINIC_DASHBOARD = NavItem("Clinic dashboard", "/dashboard/clinic/")
# A clinic dashboard needs an id; /clinics/ lists the clinics the caller may open.
CLINICS = NavItem("Clinics", "/clinics/")
BILLING = NavItem("Billing", "/billing/dashboard/")
INVOICES = NavItem("Invoices", "/billing/invoices/")
CLAIMS = NavItem("Claims", "/billing/claims/")
MY_INVOICES = NavItem("My invoices", "/billing/my-invoices/")
ANALYTICS = NavItem("Analytics", "/analytics/dashboard/")
REVENUE = NavItem("Revenue", "/analytics/revenue/")
FEEDBACK = NavItem("Feedback", "/analytics/feedback/")
USERS = NavItem("Users", "/admin/users/")
# Catalogue and clinic set-up (hours, rooms, equipment, maintenance, duty roster).
MANAGE = NavItem("Manage", "/manage/clinics/")
SERVICES = NavItem("Services", "/manage/services/")
AUDIT = NavItem("Audit log", "/admin/audit/")
PROFILE = NavItem("Profile", "/profile/")
SIGN_IN = NavItem("Sign in", "/login/", cta=True)
REGISTER = NavItem("Register", "/register/", cta=True)
SIGN_OUT = NavItem("Sign out", "/logout/", cta=True)

PUBLIC_NAV: tuple[NavItem, ...] = (HOME, BOOK, SIGN_IN, REGISTER)

ROLE_NAV: dict[Role, tuple[NavItem, ...]] = {
    Role.PATIENT: (DASHBOARD, BOOK, MY_APPOINTMENTS, WAITLIST, MY_INVOICES, PROFILE, SIGN_OUT),
    Role.DOCTOR: (
        DOCTOR_DASHBOARD,
        APPOINTMENTS,
        CLINICS,
        ANALYTICS,
        BILLING,
        CLINIC_DASHBOARD,
        PROFILE,
        SIGN_OUT,
    ),
    Role.REFERRING_DOCTOR: (DASHBOARD, APPOINTMENTS, PROFILE, SIGN_OUT),
    Role.CLINIC_STAFF: (DASHBOARD, DESK, APPOINTMENTS, MANAGE, ANALYTICS, PROFILE, SIGN_OUT),
    Role.BILLING_STAFF: (BILLING, INVOICES, CLAIMS, REVENUE, PROFILE, SIGN_OUT),
    Role.ANALYTICS_STAFF: (ANALYTICS, REVENUE, FEEDBACK, PROFILE, SIGN_OUT),
    Role.ADMIN: (
        DASHBOARD,
        CLINIC_DASHBOARD,
        USERS,
        AUDIT,
        MANAGE,
        SERVICES,
        CLINICS,
        APPOINTMENTS,
        DESK,
        BILLING,
        INVOICES,
        CLAIMS,
        ANALYTICS,
        REVENUE,
        FEEDBACK,
        PROFILE,
        SIGN_OUT,
    ),
}

# How many plain links fit inline in the top bar at tablet-landscape width; the rest go
# into the "More" menu.
INLINE_LIMIT = 4


def nav_for(role: Role | None) -> tuple[NavItem, ...]:
    """The links for a role; None is an anonymous visitor."""
    return PUBLIC_NAV if role is None else ROLE_NAV[role]


def split_nav(items: tuple[NavItem, ...]) -> tuple[list[NavLink], list[NavLink], list[NavLink]]:
    """(inline links, overflow links, calls to action) as the top bar draws them."""
    links = [item.as_link() for item in items if not item.cta]
    ctas = [item.as_link() for item in items if item.cta]
    return links[:INLINE_LIMIT], links[INLINE_LIMIT:], ctas
