"""The pages' conversion of the typed dashboards into their state vars (features/dashboards).

The views read the schema's fields (mypy checks the names); here: every tier converts the
builders' output on the hand-built worlds, and a few figures land where the page shows them.
"""

from __future__ import annotations

from sqlmodel import Session

from mediconnect.dashboards import clinic, doctor
from mediconnect.dashboards.kit import daily_stats
from mediconnect.features.dashboards import refresh
from mediconnect.features.dashboards.clinic import views as clinic_views
from mediconnect.features.dashboards.doctor import views as doctor_views
from tests.dashboards import clinic_world, doctor_world


def test_clinic_page_sections(session: Session) -> None:
    w = clinic_world.build(session)
    daily_stats.refresh(session)
    assert w.clinic.id is not None
    dash = clinic.build(session=session, clinic_id=w.clinic.id, now=clinic_world.NOW)
    state = clinic_views.sections(dash, list(refresh.TIERS))
    assert state["clinic_name"] == "Main"
    assert state["today_label"] == "2026-11-18"
    cards = {c["key"]: c for c in state["today_cards"]}
    assert cards["appointments"]["value"] == "8"
    assert cards["appointments"]["subtitle"] == "2 completed · 2 in progress · 1 cancelled · 1 no-show"
    assert state["has_hourly"] is True
    assert [d["name"] for d in state["departments"]] == [d.department for d in dash.department_metrics]
    assert len(state["events"]) == len(dash.upcoming_events)
    assert len(state["insights"]) == len(dash.trends_and_insights)


def test_doctor_page_sections(session: Session) -> None:
    w = doctor_world.build(session)
    assert w.smith.id is not None
    dash = doctor.build(session=session, doctor_id=w.smith.id, now=doctor_world.NOW)
    state = doctor_views.sections(dash, list(refresh.TIERS))
    assert state["doctor_name"] == "Dr. Alice Smith"
    cards = {c["key"]: c for c in state["today_cards"]}
    assert cards["appointments"]["value"] == "9"
    assert cards["revenue"]["target"].startswith("Target ")
    assert [u["id"] for u in state["upcoming"]] == [a.id for a in dash.upcoming_appointments]
    assert len(state["alerts"]) == len(dash.patient_alerts)
    assert [a["action"] for a in state["actions"]] == [q.action for q in dash.quick_actions]
