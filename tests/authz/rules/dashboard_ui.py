"""Authorization rules of the dashboard pages (features/dashboards): /dashboard/doctor/,
/clinics/[clinic_id]/dashboard/ and /dashboard/clinic/ (a redirect to the caller's first clinic).

Every data handler calls ``dashboards.service`` with the caller's Principal, which checks
``core.policy`` (doctor dashboard: the doctor themself or an admin; clinic dashboard: admin
any clinic, doctor an affiliated one, clinic staff their own). The clinic comes from the URL:
"own" is a clinic of the subject's, "other" the world's second clinic, which must show nothing.
The doctor shown comes from the caller (doctors) or ``?doctor_id=`` (admins only); a doctor
naming someone else is refused by the service (tests/browser/test_dashboards.py tries it).
"""

from __future__ import annotations

from typing import Any

from mediconnect.features.dashboards.clinic.page import ROLES as CLINIC_PAGE_ROLES
from mediconnect.features.dashboards.doctor.page import ROLES as DOCTOR_PAGE_ROLES
from mediconnect.models.users import Role
from tests.authz.matrix import ADMINS, PUBLIC, Ctx, Rule

DOCTOR_ROLES: frozenset[Role] = frozenset(DOCTOR_PAGE_ROLES)
CLINIC_ROLES: frozenset[Role] = frozenset(CLINIC_PAGE_ROLES)
DOCTOR_LOADED = "var:doctor_dashboard_state.loaded"
CLINIC_LOADED = "var:clinic_dashboard_state.loaded"


def doctor_path(ctx: Ctx) -> str:
    return "/dashboard/doctor/"


def clinic_path(ctx: Ctx) -> str:
    return f"/clinics/{ctx.object_id or 'authz-missing'}/dashboard/"


def first_clinic_path(_: Ctx) -> str:
    return "/dashboard/clinic/"


def _doctor(why: str, **kw: Any) -> Rule:
    return Rule(DOCTOR_ROLES, why, others=ADMINS, path=doctor_path, **kw)


def _clinic(why: str, **kw: Any) -> Rule:
    return Rule(CLINIC_ROLES, why, obj="clinic", others=ADMINS, path=clinic_path, **kw)


def _ui(why: str, payloads: Any = None) -> Rule:
    return Rule(PUBLIC, why, payloads=payloads or (lambda ctx: [{}]))


NAVIGATE = "navigation only: a value from the picker's own options; the page load checks again"

PAGES: dict[str, Rule] = {
    "/dashboard/doctor/": Rule(
        DOCTOR_ROLES,
        'serve("doctor"): the caller\'s own; admins any doctor',
        others=ADMINS,
        effect=DOCTOR_LOADED,
    ),
    "/clinics/[clinic_id]/dashboard/": Rule(
        CLINIC_ROLES,
        'serve("clinic") (require_clinic): admin any, doctor affiliated, staff own clinic',
        obj="clinic",
        others=ADMINS,
        param="clinic_id",
        effect=CLINIC_LOADED,
    ),
    "/dashboard/clinic/": Rule(CLINIC_ROLES, "redirects to the first clinic dashboard the caller may open"),
}

HANDLERS: dict[str, Rule] = {
    # ---- /dashboard/doctor/
    "DoctorDashboardState.load": _doctor('serve("doctor") for the caller', effect=DOCTOR_LOADED),
    "DoctorDashboardState.retry": _doctor('serve("doctor") again', effect=DOCTOR_LOADED),
    "DoctorDashboardState.refresh": _doctor('serve("doctor"), fresh', effect=DOCTOR_LOADED),
    "DoctorDashboardState.tick": _doctor(
        "timer: refreshes due tiers of a loaded dashboard (nothing before a load)",
        payloads=lambda ctx: [{"_content": "12:00:00"}],
    ),
    "DoctorDashboardState.choose": _ui(NAVIGATE, lambda ctx: [{"value": "1"}]),
    "DoctorDashboardState.pause": _ui("UI flag: stops the tab's timer"),
    "DoctorDashboardState.resume": _ui("UI flag: restarts the tab's timer"),
    # ---- /clinics/[clinic_id]/dashboard/ (the clinic is read from the URL on every call)
    "ClinicDashboardState.load": _clinic('serve("clinic") of the URL\'s clinic', effect=CLINIC_LOADED),
    "ClinicDashboardState.retry": _clinic('serve("clinic") again', effect=CLINIC_LOADED),
    "ClinicDashboardState.refresh": _clinic('serve("clinic"), fresh', effect=CLINIC_LOADED),
    "ClinicDashboardState.tick": _clinic(
        "timer: refreshes due tiers of a loaded dashboard (nothing before a load)",
        payloads=lambda ctx: [{"_content": "12:00:00"}],
    ),
    "ClinicDashboardState.choose": _ui(NAVIGATE, lambda ctx: [{"value": "1"}]),
    "ClinicDashboardState.pause": _ui("UI flag: stops the tab's timer"),
    "ClinicDashboardState.resume": _ui("UI flag: restarts the tab's timer"),
    "ClinicDashboardState.open_first": Rule(
        CLINIC_ROLES, "redirects to the caller's first clinic (require_dashboard)", path=first_clinic_path
    ),
}

API: dict[str, Rule] = {}
