"""/dashboard/doctor/: today's list, alerts, the week and the month of one doctor, live."""

from __future__ import annotations

import reflex as rx

from mediconnect.features.dashboards import components as c
from mediconnect.features.dashboards.doctor.state import ROUTE, DoctorDashboardState
from mediconnect.features.dashboards.frame import frame, two_columns
from mediconnect.features.shell.template import page
from mediconnect.models.users import Role

S = DoctorDashboardState
ROLES = {Role.DOCTOR, Role.ADMIN}


def _upcoming_row(a: rx.Var) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.text(a["time"], size="2", weight="bold", min_width="9.5em"),
            rx.vstack(
                rx.cond(
                    a["href"] != "",
                    rx.link(
                        a["patient"], href=a["href"], size="3", weight="bold", data_testid="upcoming-patient"
                    ),
                    rx.text(a["patient"], size="3", weight="bold", data_testid="upcoming-patient"),
                ),
                rx.text(a["about"], size="2", color=c.MUTED),
                rx.cond(
                    a["last_visit"] != "", rx.text("Last visit ", a["last_visit"], size="1", color=c.MUTED)
                ),
                spacing="0",
                flex="1 1 12em",
                min_width="0",
            ),
            rx.vstack(
                rx.hstack(
                    rx.badge(a["kind"], variant="soft"),
                    rx.badge(a["duration"], variant="outline", color_scheme="gray"),
                    spacing="1",
                ),
                rx.cond(a["notes"] != "", rx.text(a["notes"], size="2")),
                rx.cond(
                    a["preparation"] != "",
                    rx.hstack(
                        rx.icon("clipboard-list", size=12, flex_shrink="0"),
                        rx.text(a["preparation"], size="1"),
                        spacing="1",
                        align="center",
                        color=c.MUTED,
                    ),
                ),
                spacing="1",
                flex="1 1 14em",
                min_width="0",
            ),
            spacing="3",
            wrap="wrap",
            align="start",
            width="100%",
        ),
        width="100%",
        data_testid="upcoming-row",
    )


def _upcoming() -> rx.Component:
    return rx.cond(
        S.upcoming.length() > 0,
        rx.vstack(rx.foreach(S.upcoming, _upcoming_row), spacing="2", width="100%", data_testid="upcoming"),
        c.empty_note("No more appointments today."),
    )


def _body() -> rx.Component:
    return rx.vstack(
        c.quick_actions(S.actions),
        c.section("Today", c.metric_grid(S.today_cards, test_id="today-cards"), note=S.today_label),
        two_columns(
            c.section("Upcoming appointments", _upcoming(), test_id="upcoming-section"),
            c.section(
                "Patient alerts", c.alert_list(S.alerts, none="No patient alerts."), test_id="alerts-section"
            ),
        ),
        c.section("Week", c.metric_grid(S.week_cards, test_id="week-cards"), note=S.week_label),
        c.section("This month", c.metric_grid(S.month_cards, test_id="month-cards"), note=S.month_label),
        c.chart_grid(
            c.chart_card("Appointments and revenue by week", S.weekly_fig, test_id="chart-weekly"),
            c.chart_card("Today's appointments", S.status_fig, test_id="chart-status"),
            c.chart_card("Medical aid vs private (this week)", S.split_fig, test_id="chart-split"),
        ),
        c.section("Performance insights", c.insight_list(S.insights, none="No insights yet.")),
        spacing="5",
        width="100%",
    )


@page(route=ROUTE, title="Doctor dashboard", roles=ROLES, on_load=S.load, full_width=True)
def doctor_dashboard_page() -> rx.Component:
    return frame(
        S,
        title=S.doctor_name,
        about=S.doctor_about,
        picker_label="Doctor",
        show_picker=S.options.length() > 0,
        body=_body(),
        test_id="doctor-dashboard",
    )
