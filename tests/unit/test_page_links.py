"""A dashboard link leads only to a page the app registered; the count stays either way."""

from __future__ import annotations

import pytest

import mediconnect.app  # noqa: F401 - registers every page, as the running app does
from mediconnect.dashboards.doctor.schema import DoctorQuickAction
from mediconnect.features.dashboards import views
from mediconnect.features.shell.routes import route_exists


@pytest.mark.parametrize(
    ("path", "exists"),
    [
        ("/appointments/list/", True),
        ("/appointments/list", True),  # the spec writes some links without the slash
        ("/clinics/12/dashboard/", True),  # a dynamic segment
        ("/clinics/12/dashboard/?tab=finance", True),
        ("/clinics//dashboard/", False),
        ("/clinics/12/", False),
        ("/lab-results/pending", False),
        ("/no-such-page/", False),
    ],
)
def test_route_exists(path: str, exists: bool) -> None:
    assert route_exists(path) is exists


def test_quick_actions_link_only_to_pages_the_app_has() -> None:
    actions = views.quick_actions(
        [
            DoctorQuickAction(
                action="view_schedule", label="Today's Schedule", url="/appointments/list/", count=8
            ),
            DoctorQuickAction(action="messages", label="Unread Messages", url="/messages", count=3),
            DoctorQuickAction(
                action="away", label="Elsewhere", url="https://evil.example/appointments/list/", count=1
            ),
        ]
    )
    assert [(a["action"], a["href"], a["count"]) for a in actions] == [
        ("view_schedule", "/appointments/list/", 8),
        ("messages", "", 3),
        ("away", "", 1),
    ]
