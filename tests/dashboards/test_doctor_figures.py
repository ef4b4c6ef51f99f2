"""Every figure of the doctor dashboard against hand arithmetic over ``doctor_world``'s rows.

Each expected value is written as the sum or ratio it comes from, naming the appointments (see
the world's docstring: t* today, m* the rest of this week and later, w* last week, v* the week
before, o* October, y1 2025; b* are Dr. Jones's and must never count for Smith).
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session

from mediconnect.core.errors import AccessDenied, DashErrorCode
from mediconnect.dashboards import doctor
from mediconnect.dashboards.kit.schema import wire
from tests.dashboards import doctor_world
from tests.dashboards.doctor_world import NOW, World


@pytest.fixture
def world(session: Session) -> World:
    return doctor_world.build(session)


@pytest.fixture
def dash(session: Session, world: World) -> dict[str, Any]:
    assert world.smith.id is not None
    return wire(doctor.build(session=session, doctor_id=world.smith.id, now=NOW))


def _pid(world: World, key: str) -> int:
    pid = world.patients[key].id
    assert pid is not None
    return pid


def test_shape_has_every_spec_section(dash: dict[str, Any]) -> None:
    assert list(dash) == [
        "doctor_info",
        "today_metrics",
        "weekly_summary",
        "monthly_trends",
        "upcoming_appointments",
        "patient_alerts",
        "performance_insights",
        "quick_actions",
    ]


def test_doctor_info(dash: dict[str, Any], world: World) -> None:
    assert dash["doctor_info"] == {
        "id": world.smith.id,
        "name": "Dr. Alice Smith",
        "specialization": "Cardiology",
        "license_number": world.smith.license_number,
        # primary first, then by name; the ended "Old" affiliation is gone
        "clinic_affiliations": [
            {"clinic_id": world.main.id, "clinic_name": "Main", "role": "attending", "is_primary": True},
            {"clinic_id": world.north.id, "clinic_name": "North", "role": "consultant", "is_primary": False},
        ],
    }


def test_today_metrics(dash: dict[str, Any]) -> None:
    assert dash["today_metrics"] == {
        "date": "2026-11-18",
        "appointments": {
            "total": 9,  # t1..t9 (b1 is Jones's)
            "completed": 3,  # t1, t2, t3
            "upcoming": 4,  # t6 in progress, t7 booked, t8 confirmed, t9 booked
            "cancelled": 1,  # t4
            "no_show": 1,  # t5
        },
        "patients": {
            # present (not cancelled): P1 P2 P3 P4 P5 P6. Only P4 had no earlier non-cancelled
            # visit with Smith (o2 was cancelled; b3 was with Jones).
            "new": 1,
            "returning": 5,
            "total_seen": 3,  # P1, P2, P3 completed
        },
        "revenue": {
            "generated": "1200.00",  # 500 + 300 + 400
            "target": "1500.00",  # the day target from 11-01 (not 1000 from January, not December's)
            "achievement_rate": round(1200 / 1500, 4),
        },
        "efficiency": {
            "avg_appointment_duration": round((25 + 30 + 20) / 3, 1),  # t1, t2, t3 end - start
            # started: t1 +0, t2 +10 (late), t3 +5 (on the grace limit), t6 +2
            "on_time_percentage": round(100 * 3 / 4, 1),
            "patient_wait_time": round((10 + 15 + 5 + 18) / 4, 1),  # start - check-in
        },
    }


def test_weekly_summary_is_last_full_iso_week(dash: dict[str, Any]) -> None:
    w5_items = (5 + 4 + 5 + 5 + 4) / 5  # w1's five visit ratings (billing clarity left out)
    assert dash["weekly_summary"] == {
        "period": "2026-11-09 to 2026-11-15",
        "appointments": {
            "total": 5,  # w1..w5
            "completion_rate": round(3 / 5, 4),  # w1, w2, w5
            "cancellation_rate": round(1 / 5, 4),  # w3
            "no_show_rate": round(1 / 5, 4),  # w4
        },
        "patient_metrics": {
            "total_patients": 4,  # P1, P2, P5, P6 (P3 only cancelled)
            "new_patients": 2,  # P1 (first visit w1), P5 (first w4)
            "retention_rate": round(2 / 4, 4),  # P2 (o1), P6 (y1) seen before
            "satisfaction_avg": round((w5_items + 4) / 2, 1),  # w1, w2 (b2's 1s are Jones's)
        },
        "revenue": {
            "weekly_total": "1500.00",  # 600 + 400 + 500
            "avg_per_appointment": "500.00",  # 1500 / 3
            # w1 has a medical aid portion; w2's invoice has none; w5 has no invoice
            "insurance_vs_private": {"insurance": round(600 / 1500, 4), "private": round(900 / 1500, 4)},
        },
    }


def test_monthly_trends(dash: dict[str, Any]) -> None:
    assert dash["monthly_trends"] == {
        "current_month": "2026-11",
        "appointments": [
            {"week": 1, "total": 4, "completed": 3, "revenue": "1050.00"},  # v1..v4; 450+350+250
            {"week": 2, "total": 5, "completed": 3, "revenue": "1500.00"},  # w1..w5
            {"week": 3, "total": 11, "completed": 4, "revenue": "1500.00"},  # m1, t1..t9, m2; 300+1200
            {"week": 4, "total": 1, "completed": 0, "revenue": "0.00"},  # m3
            {"week": 5, "total": 1, "completed": 0, "revenue": "0.00"},  # m4 (29th-30th)
        ],
        "patient_growth": {
            # first-ever visits Nov 1-18: P9 (v4), P1 (w1), P5 (w4), P4 (t8); Oct 1-18: P2 (o1),
            # P8 (o4); P3's first (o3) was Oct 20, after the like-for-like window
            "new_patients": 4,
            "vs_last_month": round((4 - 2) / 2, 4),
            "trend": "increasing",
        },
        "performance_indicators": {
            # started Nov 1-18: v1 v2 v4 w1 w2 w5 m1 t1 t2 t3 t6; late: w2 (+8), t2 (+10)
            "punctuality": round(9 / 11, 4),
            # owed: v1 v2 w1 w2 w5 m1 t1 (v4 is a consultation; t2, t3 ended < 24 h ago,
            # unsigned); in time: v1 w1 m1 t1
            "documentation_completeness": round(4 / 7, 4),
            # due Nov 1-17: o3 (11-03, v1 on 11-02: yes), o1 (11-06, next w2 11-10: no; v3 was a
            # no-show), v4 (11-12: none), w1 (11-16, next t1 11-18: no), w2 (11-16, m1 11-16: yes)
            "follow_up_compliance": round(2 / 5, 4),
        },
    }


def test_upcoming_appointments(dash: dict[str, Any], world: World) -> None:
    a = world.appts
    consult_prep = ["Recent labs", "Blood pressure log"]
    expected = [
        # t6 is in progress and not over at 10:30; t1..t5 are done, cancelled or missed
        ("t6", "P6", "Fay Fox", 71, "2026-11-13", "Hypertension", "2026-11-18T08:15:00Z", "consultation", 30),
        ("t7", "P1", "Ann Able", 46, "2026-11-18", None, "2026-11-18T12:00:00Z", "follow_up", 30),
        ("t8", "P4", "Dan Dube", 26, None, None, "2026-11-18T13:00:00Z", "new_patient", 30),
        (
            "t9",
            "P3",
            "Cat Cole",
            51,
            "2026-11-18",
            "Hypertension",
            "2026-11-18T14:00:00Z",
            "consultation",
            20,
        ),
        ("m2", "P6", "Fay Fox", 71, "2026-11-13", "Hypertension", "2026-11-20T08:00:00Z", "consultation", 30),
        ("m3", "P5", "Eve East", 61, None, None, "2026-11-24T07:00:00Z", "consultation", 30),
        ("m4", "P2", "Ben Brown", 35, "2026-11-18", None, "2026-11-30T07:00:00Z", "consultation", 30),
    ]
    prep = {
        "t7": ["Wear loose clothing", "Bring previous reports"],  # split from the echo's text
        "t8": [],  # the plain visit has no preparation
    }
    assert dash["upcoming_appointments"] == [
        {
            "id": a[key].id,
            "patient": {
                "id": _pid(world, p),
                "name": name,
                "age": age,
                "last_visit": last,
                "condition": cond,
            },
            "scheduled_time": when,
            "type": kind,
            "duration_minutes": minutes,
            "notes": "INR review" if key == "t6" else None,
            "preparation_required": prep.get(key, consult_prep),
        }
        for key, p, name, age, last, cond, when, kind, minutes in expected
    ]


def test_patient_alerts(dash: dict[str, Any], world: World) -> None:
    assert dash["patient_alerts"] == [
        {
            "type": "abnormal_vitals",
            "patient_id": _pid(world, "P5"),
            "patient_name": "Eve East",
            "message": "SpO2 85% (normal 92-100)",
            "priority": "critical",  # below 88
            "recorded_at": "2026-11-12",
            "readings": {"spo2": 85},
        },
        {
            "type": "medication_interaction",
            "patient_id": _pid(world, "P6"),
            "patient_name": "Fay Fox",
            "message": "Potential major interaction between Warfarin and Aspirin",
            "priority": "high",
            "medications": ["Warfarin", "Aspirin"],
        },
        {
            "type": "abnormal_vitals",
            "patient_id": _pid(world, "P3"),
            "patient_name": "Cat Cole",
            "message": "Systolic BP 165 mmHg (normal 90-139); Diastolic BP 98 mmHg (normal 60-89)",
            "priority": "high",
            "recorded_at": "2026-11-17",
            "readings": {"systolic": 165, "diastolic": 98},
        },
        {
            "type": "overdue_followup",
            "patient_id": _pid(world, "P8"),
            "patient_name": "Hal Hill",
            "message": "Follow-up overdue by 3 weeks",  # due 10-22: 27 days
            "priority": "high",
            "last_visit": "2026-10-08",
            "due_date": "2026-10-22",
        },
        {
            "type": "overdue_followup",
            "patient_id": _pid(world, "P9"),
            "patient_name": "Ivy Ink",
            "message": "Follow-up overdue by 6 days",  # due 11-12
            "priority": "medium",
            "last_visit": "2026-11-06",
            "due_date": "2026-11-12",
        },
    ]


def test_performance_insights(dash: dict[str, Any]) -> None:
    last_duration = round((30 + 30 + 20) / 3, 1)  # w1, w2, w5
    before_duration = (40 + 30 + 20) / 3  # v1, v2, v4
    assert dash["performance_insights"] == [
        {
            "category": "efficiency",
            "insight": (
                f"Your average appointment duration decreased by {round(before_duration - 80 / 3, 1)} "
                f"minutes last week ({before_duration:g} to {last_duration})"
            ),
            "impact": "positive",
            "recommendation": "Continue current time management practices",
        },
        {
            "category": "satisfaction",
            "insight": "Patient satisfaction increased to 4.3/5.0 last week (from 3.0)",
            "impact": "positive",
            "recommendation": "Keep building on what patients noticed",  # 4.3 < 4.5
        },
        {
            "category": "attendance",
            "insight": "No-show rate fell to 20% last week (from 25%)",  # 1/5 vs 1/4
            "impact": "positive",
            "recommendation": "Keep the current reminder routine",
        },
        {
            "category": "punctuality",
            "insight": "On-time starts fell to 66.7% last week (from 100%)",  # 2/3 vs 3/3
            "impact": "negative",
            "recommendation": "Start the first appointment on time and review overruns",
        },
        {
            "category": "revenue",
            # Nov 1-18: 1050 + 1500 + 300 + 1200; Oct 1-18: o1 500 + o4 250
            "insight": (
                f"Revenue this month to date is up {round((4050 - 750) / 750 * 100)}% on the same days "
                "last month (4050.00 vs 750.00)"
            ),
            "impact": "positive",
            "recommendation": "Keep your current booking mix",
        },
    ]


def test_quick_actions(dash: dict[str, Any]) -> None:
    assert dash["quick_actions"] == [
        {"action": "view_schedule", "label": "Today's Schedule", "url": "/appointments/list/", "count": 9},
        # Smith's completed and unreviewed: 2 (one reviewed, one only ordered; Jones's not hers)
        {
            "action": "pending_results",
            "label": "Pending Lab Results",
            "url": "/lab-results/pending",
            "count": 2,
        },
        {"action": "messages", "label": "Unread Messages", "url": "/messages", "count": 2},
        # completed since 08-20 (90 days; y1 is older) owing a report: o1 o3 o4 v1 v2 w1 w2 w5 m1
        # t1 t2 t3 (12; v4 is a consultation); signed: v1 v2 w1 m1 t1 (5)
        {"action": "pending_reports", "label": "Reports to Sign", "url": "/reports/pending", "count": 12 - 5},
    ]


def test_other_doctor_sees_only_own_rows(session: Session, world: World) -> None:
    assert world.jones.id is not None
    other = wire(doctor.build(session=session, doctor_id=world.jones.id, now=NOW))
    today = other["today_metrics"]
    assert today["appointments"] == {"total": 1, "completed": 1, "upcoming": 0, "cancelled": 0, "no_show": 0}
    assert today["revenue"] == {"generated": "1000.00", "target": "500.00", "achievement_rate": 2.0}
    assert today["efficiency"] == {
        "avg_appointment_duration": 60.0,
        "on_time_percentage": 0.0,
        "patient_wait_time": 50.0,
    }
    week = other["weekly_summary"]
    assert week["appointments"]["total"] == 2  # b2, b3
    assert week["patient_metrics"]["satisfaction_avg"] == 1.0
    assert week["revenue"]["insurance_vs_private"] == {"insurance": round(800 / 1500, 4), "private": 0.4667}
    assert [a["id"] for a in other["upcoming_appointments"]] == [world.appts["b4"].id]
    # Jones's P1 follow-up (due 11-12) has no later visit with Jones; Smith's visits don't answer it
    assert [(a["type"], a["patient_id"], a["priority"]) for a in other["patient_alerts"]] == [
        ("abnormal_vitals", _pid(world, "P7"), "critical"),  # SBP 200, SpO2 80 ...
        ("medication_interaction", _pid(world, "P7"), "high"),  # warfarin + ibuprofen
        ("overdue_followup", _pid(world, "P1"), "medium"),  # due 11-12: 6 days
    ]
    assert [q["count"] for q in other["quick_actions"]] == [1, 1, 1, 3]  # b1 b2 b3 unsigned


def test_a_doctor_who_only_consults_owes_no_reports(session: Session, world: World) -> None:
    """Consultations end without a report: nothing to sign, and nothing missing (1.0, not 0)."""
    plain = world.services["plain"].id
    for appt in world.appts.values():
        if appt.doctor_id == world.smith.id:
            appt.service_id = plain
            session.add(appt)
    session.flush()
    assert world.smith.id is not None
    dash = wire(doctor.build(session=session, doctor_id=world.smith.id, now=NOW))
    assert dash["monthly_trends"]["performance_indicators"]["documentation_completeness"] == 1.0
    assert [q["count"] for q in dash["quick_actions"] if q["action"] == "pending_reports"] == [0]


def test_unknown_doctor_is_refused(session: Session) -> None:
    with pytest.raises(AccessDenied) as err:
        wire(doctor.build(session=session, doctor_id=987654, now=NOW))
    assert err.value.code is DashErrorCode.DASH_006
