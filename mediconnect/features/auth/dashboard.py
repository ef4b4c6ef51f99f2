"""/dashboard/: sends each role to its own dashboard.

While a role's dashboard page does not exist yet (it is not registered through the page
decorator), the visitor sees a placeholder naming the dashboard that is coming and where.
As soon as a later issue registers that route, /dashboard/ redirects there instead.
"""

from __future__ import annotations

import reflex as rx

from mediconnect.features.auth.dashboard_state import DASHBOARDS, DashboardState, DashboardTarget
from mediconnect.features.shell.template import ALL_ROLES, page

__all__ = ["DASHBOARDS", "DashboardState", "DashboardTarget", "dashboard"]


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
