"""/clinics/[clinic_id]/dashboard/ state: one clinic's operations, live on a wall screen.

The clinic id comes from the URL and is untrusted: the service checks the caller against it on
every load, tick, refresh and push (admin: any clinic; doctor: affiliated; clinic staff: their
own), so another clinic's number shows DASH_006 and nothing else. The tab watches
``clinic:<id>``: every booking, check-in, completion, cancellation and payment there.
"""

from __future__ import annotations

from collections.abc import Callable

import plotly.graph_objects as go
import reflex as rx
from sqlmodel import Session

from mediconnect.core.errors import AccessDenied, DashboardError, DashErrorCode
from mediconnect.core.policy import DashboardType, Principal, require_dashboard
from mediconnect.dashboards.clinic.schema import ClinicDashboard
from mediconnect.features.dashboards import charts
from mediconnect.features.dashboards.base import DashboardBase, Fetched
from mediconnect.features.dashboards.clinic import views as clinic_views
from mediconnect.features.dashboards.clinic.tables import DepartmentRow, DoctorRow, EventRow
from mediconnect.features.dashboards.views import Alert, Insight, Metric
from mediconnect.features.kit.calls import page_call, path_id
from mediconnect.features.shell.state import private_state
from mediconnect.services.options import Option


@private_state
class ClinicDashboardState(DashboardBase, rx.State):
    clinic_name: str = ""
    clinic_about: str = ""
    today_label: str = ""
    today_cards: list[Metric] = []
    status_fig: go.Figure = charts.empty()
    usage_fig: go.Figure = charts.empty()
    has_hourly: bool = False
    hourly_fig: go.Figure = charts.empty()
    alerts: list[Alert] = []
    week_label: str = ""
    week_cards: list[Metric] = []
    payment_fig: go.Figure = charts.empty()
    doctors: list[DoctorRow] = []
    departments: list[DepartmentRow] = []
    department_fig: go.Figure = charts.empty()
    events: list[EventRow] = []
    revenue_fig: go.Figure = charts.empty()
    insights: list[Insight] = []
    # Admins may open each doctor's dashboard from the doctors table.
    doctor_links: bool = False

    def _work(
        self, fresh: bool, with_options: bool
    ) -> Callable[[Session, Principal], Fetched[ClinicDashboard]]:
        clinic_id = path_id(self, "clinics")

        def work(db: Session, p: Principal) -> Fetched[ClinicDashboard]:
            from mediconnect.dashboards import service
            from mediconnect.services import booking_choices

            if not clinic_id:
                raise DashboardError(DashErrorCode.DASH_005, "no clinic number in the address")
            result = service.serve("clinic", session=db, principal=p, clinic_id=clinic_id, fresh=fresh)
            options = None
            if with_options:
                # Clinics are public; the picker lists those the caller's role covers.
                choices = booking_choices.filter_clinics(session=db, principal=p)
                options = [Option(value=str(c["id"]), label=c["name"]) for c in choices]
            return Fetched(
                result.model(ClinicDashboard),
                result.generated_at,
                result.cached,
                options,
                str(clinic_id),
                admin=p.is_admin,
            )

        return work

    def _apply(self, fetched: Fetched[ClinicDashboard], tiers: list[str]) -> None:
        for name, value in clinic_views.sections(fetched.data, tiers).items():
            setattr(self, name, value)
        self.doctor_links = fetched.admin

    def _topic(self, fetched: Fetched[ClinicDashboard]) -> str:
        return f"clinic:{fetched.selected}"

    @rx.event
    def choose(self, value: str):
        """The clinic picker: only navigates; the page load checks the caller again."""
        if any(o["value"] == value for o in self.options):
            return rx.redirect(f"/clinics/{value}/dashboard/")
        return None

    @rx.event
    async def open_first(self):
        """/dashboard/clinic/: straight to the first clinic dashboard the caller may open."""
        self.reset()

        def work(db: Session, p: Principal) -> int:
            from mediconnect.services import landing

            require_dashboard(principal=p, dashboard_type=DashboardType.CLINIC)
            # The one landing rule (services/landing.py), shared with /dashboard/.
            first = landing.landing_clinic(session=db, principal=p)
            if first is None:
                raise AccessDenied(DashErrorCode.DASH_006, "no clinic is linked to your account")
            return first

        outcome = await page_call(self, work, report_failures=True)
        if outcome.redirect is not None:
            return outcome.redirect
        if outcome.value is None:
            await self._fail(outcome)
            return None
        return rx.redirect(f"/clinics/{outcome.value}/dashboard/", replace=True)
