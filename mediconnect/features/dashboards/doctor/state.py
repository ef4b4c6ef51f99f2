"""/dashboard/doctor/ state: a doctor's own dashboard, or any doctor's for an admin.

The doctor shown is the caller (doctors) or ``?doctor_id=`` from the URL (admins; the first
doctor when none is given). The service decides: a doctor naming another doctor gets DASH_006,
other roles DASH_002. The tab watches ``doctor:<id>``: a booking, check-in, completion,
cancellation or payment of that doctor's appointments is shown within a second.
"""

from __future__ import annotations

from collections.abc import Callable

import plotly.graph_objects as go
import reflex as rx
from sqlmodel import Session

from mediconnect.core.policy import Principal
from mediconnect.dashboards.doctor.schema import DoctorDashboard
from mediconnect.features.dashboards import charts
from mediconnect.features.dashboards.base import DashboardBase, Fetched
from mediconnect.features.dashboards.doctor import views as doctor_views
from mediconnect.features.dashboards.doctor.views import Upcoming
from mediconnect.features.dashboards.views import Alert, Insight, Metric, QuickAction
from mediconnect.features.shell.state import private_state
from mediconnect.services.options import Option

ROUTE = "/dashboard/doctor/"


def _query_id(state: rx.State) -> int | None:
    raw = str(state.router.url.query_parameters.get("doctor_id", "") or "")
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


@private_state
class DoctorDashboardState(DashboardBase, rx.State):
    doctor_name: str = ""
    doctor_about: str = ""
    today_label: str = ""
    today_cards: list[Metric] = []
    status_fig: go.Figure = charts.empty()
    upcoming: list[Upcoming] = []
    alerts: list[Alert] = []
    actions: list[QuickAction] = []
    week_label: str = ""
    week_cards: list[Metric] = []
    split_fig: go.Figure = charts.empty()
    month_label: str = ""
    month_cards: list[Metric] = []
    weekly_fig: go.Figure = charts.empty()
    insights: list[Insight] = []

    def _work(
        self, fresh: bool, with_options: bool
    ) -> Callable[[Session, Principal], Fetched[DoctorDashboard]]:
        requested = _query_id(self)

        def work(db: Session, p: Principal) -> Fetched[DoctorDashboard]:
            from mediconnect.dashboards import service
            from mediconnect.services import booking_choices

            doctor_id, options = requested, None
            if p.is_admin:
                # Public practitioner names, for the admin's doctor picker.
                choices = booking_choices.filter_doctors(session=db, principal=p)
                if with_options:
                    options = [Option(value=str(c["id"]), label=c["name"]) for c in choices]
                if doctor_id is None and choices:
                    doctor_id = int(choices[0]["id"])
            result = service.serve("doctor", session=db, principal=p, doctor_id=doctor_id, fresh=fresh)
            shown = doctor_id if p.is_admin else p.doctor_id
            return Fetched(
                result.model(DoctorDashboard), result.generated_at, result.cached, options, str(shown or "")
            )

        return work

    def _apply(self, fetched: Fetched[DoctorDashboard], tiers: list[str]) -> None:
        for name, value in doctor_views.sections(fetched.data, tiers).items():
            setattr(self, name, value)

    def _topic(self, fetched: Fetched[DoctorDashboard]) -> str:
        return f"doctor:{fetched.selected}"

    @rx.event
    def choose(self, value: str):
        """The admin's doctor picker: only navigates; the page load checks the caller again."""
        if any(o["value"] == value for o in self.options):
            return rx.redirect(f"{ROUTE}?doctor_id={value}")
        return None
