"""/clinics/[clinic_id]/dashboard/: a clinic's day, week and money, live on a wall screen."""

from __future__ import annotations

import reflex as rx

from mediconnect.features.dashboards import components as c
from mediconnect.features.dashboards import status
from mediconnect.features.dashboards.clinic.state import ClinicDashboardState
from mediconnect.features.dashboards.frame import frame, two_columns
from mediconnect.features.shell.template import page
from mediconnect.models.users import Role

S = ClinicDashboardState
ROLES = {Role.ADMIN, Role.DOCTOR, Role.CLINIC_STAFF}
# Columns shown from 62em (tablet landscape) or 80em (desktop, wall screen) up; an upright
# tablet gets the essentials.
SHOW = {
    "": None,
    "md": rx.breakpoints(initial="none", md="table-cell"),
    "lg": rx.breakpoints(initial="none", lg="table-cell"),
}


def _cell(value: rx.Var | str | rx.Component, *, wide: str = "", **props: object) -> rx.Component:
    return rx.table.cell(value, display=SHOW[wide], white_space="nowrap", **props)


def _head(*labels: tuple[str, str]) -> rx.Component:
    return rx.table.header(
        rx.table.row(*[rx.table.column_header_cell(label, display=SHOW[wide]) for label, wide in labels])
    )


def _table(head: rx.Component, body: rx.Component, test_id: str) -> rx.Component:
    return rx.box(
        rx.table.root(head, body, variant="surface", size="2", width="100%"),
        overflow_x="auto",
        width="100%",
        max_width="100%",
        data_testid=test_id,
    )


def _doctor_row(d: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.vstack(
                rx.cond(
                    S.doctor_links,
                    rx.link(
                        d["name"],
                        href=f"/dashboard/doctor/?doctor_id={d['doctor_id']}",
                        weight="bold",
                        data_testid="doctor-link",
                    ),
                    rx.text(d["name"], weight="bold"),
                ),
                rx.text(d["specialization"], size="1", color=c.MUTED),
                spacing="0",
            )
        ),
        _cell(d["today"], data_testid="doctor-today"),
        _cell(d["week"]),
        _cell(d["completion"]),
        _cell(d["satisfaction"], wide="md"),
        _cell(d["retention"], wide="lg"),
        _cell(d["revenue"]),
        _cell(d["per_appointment"], wide="lg"),
        _cell(d["punctuality"], wide="md"),
        _cell(d["documentation"], wide="lg"),
        data_testid="doctor-row",
    )


def _doctors() -> rx.Component:
    head = _head(
        ("Doctor", ""),
        ("Today", ""),
        ("Week", ""),
        ("Completed", ""),
        ("Satisfaction", "md"),
        ("Retention", "lg"),
        ("Revenue (week)", ""),
        ("Per visit", "lg"),
        ("Punctuality", "md"),
        ("Reports on time", "lg"),
    )
    return rx.cond(
        S.doctors.length() > 0,
        _table(head, rx.table.body(rx.foreach(S.doctors, _doctor_row)), "doctor-table"),
        c.empty_note("No doctors affiliated."),
    )


def _department_row(d: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.text(d["name"], weight="bold")),
        _cell(d["today"]),
        _cell(d["week"]),
        _cell(d["month"], wide="md"),
        _cell(d["revenue"]),
        _cell(d["share"], wide="md"),
        _cell(
            rx.hstack(
                rx.progress(value=d["utilization_bar"], max=100, size="1", width="4em"),
                rx.text(d["utilization"], size="1"),
                spacing="2",
                align="center",
            )
        ),
        _cell(
            rx.text(
                d["wait"],
                " / ",
                d["wait_target"],
                color=rx.cond(d["wait_ok"], "inherit", rx.color("red", 11)),
            ),
            wide="md",
        ),
        data_testid="department-row",
    )


def _departments() -> rx.Component:
    head = _head(
        ("Department", ""),
        ("Today", ""),
        ("Week", ""),
        ("Month", "md"),
        ("Revenue (week)", ""),
        ("Share", "md"),
        ("Utilisation", ""),
        ("Wait / target", "md"),
    )
    return rx.cond(
        S.departments.length() > 0,
        _table(head, rx.table.body(rx.foreach(S.departments, _department_row)), "department-table"),
        c.empty_note("No departments."),
    )


def _event(e: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.badge(e["kind"], variant="soft"),
                rx.text(e["when"], size="2", weight="medium"),
                spacing="2",
                wrap="wrap",
            ),
            rx.text(e["title"], size="3", weight="bold"),
            rx.text(
                e["extent"], rx.cond(e["impact"] != "", " · " + e["impact"], ""), size="2", color=c.MUTED
            ),
            spacing="1",
            width="100%",
        ),
        width="100%",
        data_testid="event",
    )


def _body() -> rx.Component:
    return rx.vstack(
        c.section("Today", c.metric_grid(S.today_cards, test_id="today-cards"), note=S.today_label),
        c.chart_grid(
            c.chart_card("Today's appointments", S.status_fig, test_id="chart-status"),
            c.chart_card("Rooms and equipment in use", S.usage_fig, test_id="chart-usage"),
            rx.cond(S.has_hourly, c.chart_card("Patient flow by hour", S.hourly_fig, test_id="chart-hourly")),
        ),
        c.section("Alerts", c.alert_list(S.alerts, none="No alerts."), test_id="alerts-section"),
        c.section("Week", c.metric_grid(S.week_cards, test_id="week-cards"), note=S.week_label),
        c.chart_grid(
            c.chart_card("Payment methods", S.payment_fig, test_id="chart-payments"),
            c.chart_card("Revenue by period", S.revenue_fig, test_id="chart-revenue"),
            c.chart_card("Appointments by department", S.department_fig, test_id="chart-departments"),
        ),
        c.section("Doctors", _doctors()),
        c.section("Departments", _departments()),
        two_columns(
            c.section(
                "Upcoming events",
                rx.cond(
                    S.events.length() > 0,
                    rx.vstack(rx.foreach(S.events, _event), spacing="2", width="100%"),
                    c.empty_note("Nothing scheduled."),
                ),
            ),
            c.section("Trends and insights", c.insight_list(S.insights, none="No insights yet.")),
        ),
        spacing="5",
        width="100%",
    )


@page(
    route="/clinics/[clinic_id]/dashboard/",
    title="Clinic dashboard",
    roles=ROLES,
    on_load=S.load,
    full_width=True,
)
def clinic_dashboard_page() -> rx.Component:
    return frame(
        S,
        title=S.clinic_name,
        about=S.clinic_about,
        picker_label="Clinic",
        show_picker=S.options.length() > 1,
        body=_body(),
        test_id="clinic-dashboard",
    )


@page(route="/dashboard/clinic/", title="Clinic dashboard", roles=ROLES, on_load=S.open_first)
def first_clinic_dashboard_page() -> rx.Component:
    """Where the navigation's "Clinic dashboard" link lands: sends the caller on to a clinic."""
    return rx.center(
        rx.cond(
            S.error_code != "",
            status.error_state(S.error_code, S.error_message, S.error_help, S.open_first),
            rx.spinner(size="3"),
        ),
        width="100%",
        padding_y="3em",
    )
