"""Every figure of the clinic dashboard against hand arithmetic over ``clinic_world``'s rows.

Each expected value is written as the sum or ratio it comes from, naming the appointments
(a1 .. a8 today, d* this week, b* last week, c1 the week before, o* October, y* earlier this
year; x* belong to the other clinic and must never count).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlmodel import Session

from mediconnect.dashboards import clinic
from mediconnect.dashboards.kit import daily_stats
from mediconnect.dashboards.kit.schema import wire
from tests.dashboards import clinic_world
from tests.dashboards.clinic_world import NOW, World


@pytest.fixture
def world(session: Session) -> World:
    w = clinic_world.build(session)
    daily_stats.refresh(session)
    return w


@pytest.fixture
def dash(session: Session, world: World) -> dict[str, Any]:
    assert world.clinic.id is not None
    return wire(clinic.build(session=session, clinic_id=world.clinic.id, now=NOW))


def test_shape_has_every_spec_section(dash: dict[str, Any]) -> None:
    assert list(dash) == [
        "clinic_info",
        "operational_metrics",
        "financial_summary",
        "doctor_performance",
        "department_metrics",
        "alerts_and_notifications",
        "trends_and_insights",
        "upcoming_events",
    ]
    assert list(dash["operational_metrics"]) == ["today", "weekly_performance"]


def test_clinic_info(dash: dict[str, Any], world: World) -> None:
    assert dash["clinic_info"] == {
        "id": world.clinic.id,
        "name": "Main",
        "location": "1 Main Rd, Cape Town, Western Cape",
        "established": "2015-03-01",
        "status": "active",
        "accreditation": "JCI Accredited",
        # nurse, clerk, Smith (assignment and affiliation: once), Jones; not the ended, the
        # future-dated or the other clinic's staff, nor the doctor whose affiliation ended.
        "total_staff": 4,
        "total_doctors": 2,
        "departments": 3,  # Cardiology, Radiology, Dermatology; "Old" is inactive
    }


def test_today(dash: dict[str, Any]) -> None:
    today = dash["operational_metrics"]["today"]
    assert today["date"] == "2026-11-18"
    assert today["appointments"] == {
        "total_scheduled": 8,  # a1..a8 (x1 is the other clinic's)
        "completed": 2,  # a1, a2
        "in_progress": 2,  # a3 in progress, a4 checked in
        "cancelled": 1,  # a7
        "no_show": 1,  # a6
        "completion_rate": 0.5,  # 2 / (2 + 1 + 1)
    }
    assert today["patient_flow"] == {
        "total_patients": 7,  # P1 P2 P3 P4 P5 P6 P9 (a7's P1 is counted through a1)
        "new_patients": 4,  # P2, P4, P9 never seen; P5 only had a cancelled b4
        "returning_patients": 3,  # P1, P3, P6
        "average_wait_time": round((7 + 20 + 10) / 3, 1),  # a1, a2, a3 check-in to start
        "patient_satisfaction": 4.5,  # a1 5, a2 4
        # Booked: live starts per local hour (a1 a6 a8 at 8, a2 at 9, a3 a4 at 10, a5 at 11; a7
        # cancelled). Arrived: check-ins (a1 07:55, a2 08:50, a3 09:55, a4 10:10).
        "by_hour": [
            {"hour": "07:00", "booked": 0, "arrived": 1},
            {"hour": "08:00", "booked": 3, "arrived": 1},
            {"hour": "09:00", "booked": 1, "arrived": 1},
            {"hour": "10:00", "booked": 2, "arrived": 1},
            {"hour": "11:00", "booked": 1, "arrived": 0},
        ],
    }
    rooms_booked = 30 + 30 + 60 + 30 + 30 + 30 + 540  # a1 a2 a3 a4 a5 a6 a8; a7 cancelled
    rooms_open = 540 + (540 - 60) + 540 + 540  # R1, R2 less its 08:00-09:00 window, R3, R5
    assert today["resource_utilization"] == {
        "examination_rooms": {
            "total": 4,  # R1 R2 R3 R5 (R4 inactive)
            "occupied": 2,  # R3 (a3 in progress), R2 (a4 checked in for 10:15-10:45)
            "utilization_rate": round(rooms_booked / rooms_open, 4),
        },
        "equipment": {
            "ct": round(60 / 540, 4),  # a3 on CT-1
            "ultrasound": round(30 / (540 - 120 + 0), 4),  # a5 on US-1 (2 h window); US-2 down
        },
    }
    punctual = 2 / 3  # a1 +2 min, a3 +5 min on time; a2 +10 late
    wait_score = 1.0  # mean wait 12.3 < mean target (15 + 20 + 15) / 3
    assert today["staff_metrics"] == {
        "doctors_on_duty": 1,  # Smith (Jones starts at 12:00)
        "nurses_on_duty": 1,  # the spare nurse's shift is cancelled
        "support_staff": 1,  # reception
        "efficiency_score": round(10 * (0.4 * punctual + 0.4 * 0.5 + 0.2 * wait_score), 1),
    }


def test_weekly_goal_falls_back_to_the_daily_target_then_to_none(session: Session, world: World) -> None:
    from sqlmodel import select

    from mediconnect.models.staff import RevenueTarget, TargetPeriod

    targets = session.exec(select(RevenueTarget).where(RevenueTarget.clinic_id == world.clinic.id)).all()
    for t in targets:
        if t.period is TargetPeriod.WEEK:
            session.delete(t)
    session.add(
        RevenueTarget(
            clinic_id=world.clinic.id,
            period=TargetPeriod.DAY,
            amount=Decimal("1000"),
            effective_from=clinic_world.d(1, 1),
        )
    )
    session.flush()
    assert world.clinic.id is not None

    def vs_target() -> Any:
        built = wire(clinic.build(session=session, clinic_id=world.clinic.id, now=NOW))
        return built["operational_metrics"]["weekly_performance"]["revenue"]["vs_target"]

    assert vs_target() == 0.7  # 3500 / (1000 a day x 5 open days: Fri 13 closed, Sun shut)
    for t in session.exec(select(RevenueTarget).where(RevenueTarget.clinic_id == world.clinic.id)).all():
        if t.period is TargetPeriod.DAY:
            session.delete(t)
    session.flush()
    assert vs_target() is None  # no goal is not 0% of one


def test_weekly_performance(dash: dict[str, Any]) -> None:
    assert dash["operational_metrics"]["weekly_performance"] == {
        "period": "2026-11-09 to 2026-11-15",
        "appointments": {
            "total": 6,  # b1..b6
            "completion_rate": round(4 / 6, 4),  # b1 b2 b3 b6 of b1 b2 b3 b4 b5 b6
            "average_per_day": 1.2,  # 6 over Mon-Thu + Sat (Fri 13 closed, Sun shut)
            "peak_day": "Monday",  # b1 b2 b4 b6
            "peak_time": "10:00-12:00",  # b1 10:00, b2 10:30, b4 11:00, b5 10:00
        },
        "revenue": {
            "total": "3500.00",  # 500 + 500 + 2000 + 500
            "daily_average": "700.00",  # 3500 / 5 open days
            "vs_target": 0.7,  # 3500 / 5000 (the 9999 target starts 16 Nov)
            "trend": "increasing",  # vs c1's 1000
        },
        "patient_metrics": {
            "unique_patients": 4,  # P1 P6 P7 P8 (P5's b4 cancelled)
            "new_patients": 2,  # P7 (x2 was at the other clinic), P8
            "retention_rate": 0.5,  # P1, P6 seen here before
            "satisfaction_score": 3.5,  # b1 3, b3 4
        },
    }


def test_financial_summary(dash: dict[str, Any]) -> None:
    fin = dash["financial_summary"]
    assert fin["revenue"] == {
        "today": "1000.00",  # a1 + a2
        "week": "2500.00",  # d1 1500 + a1 + a2
        "month": "7000.00",  # c1 1000 + b1 b2 b3 b6 3500 + d1 1500 + today 1000
        "year_to_date": "9800.00",  # month + y1 500 + y2 600 + o1 1200 + o3 500 (not z1: 2025)
    }
    assert fin["billing"] == {
        "outstanding_invoices": 3,  # b3 1500, b6 500, y2 600; not draft, cancelled or other clinic
        "total_outstanding": "2600.00",
        "collection_rate": round(2500 / 4500, 4),  # issued since 20 Aug: b1, b3, b6, d1
        "average_collection_time": round((3 + 175 + 2 / 24) / 3, 1),  # b1, y1, d1 paid since 20 Aug
    }
    assert fin["payment_methods"] == [  # completed payments on invoices issued in November
        {"method": "Insurance", "percentage": 0.6, "amount": "1500.00"},  # b3 500 + d1 1000
        {"method": "Cash", "percentage": 0.2, "amount": "500.00"},  # d1
        {"method": "Credit Card", "percentage": 0.2, "amount": "500.00"},  # b1 (b6's failed)
    ]


def test_doctor_performance(dash: dict[str, Any], world: World) -> None:
    assert dash["doctor_performance"] == [
        {
            "doctor_id": world.jones.id,
            "name": "Dr. Bob Jones",
            "specialization": "Radiology",
            "appointments": {
                "today": 2,  # a3 a5
                "week": 3,  # a3 a5 d1
                "completion_rate": 0.75,  # b3 c1 d1 of those + b4 (30 days)
            },
            "patient_metrics": {
                "satisfaction": round((4 + 5 + 2) / 3, 1),  # b3 4, d1 5, c1 2
                "retention": round(1 / 3, 4),  # P3 (o1 in the 90 days before) of P7 P3 P5
            },
            "revenue": {"week": "1500.00", "avg_per_appointment": "1500.00"},  # d1
            "efficiency": {
                "punctuality": 1.0,  # b3 c1 d1 +3, a3 +5
                "documentation": round(2 / 3, 4),  # b3 5 h, d1 1 h; c1 never signed
            },
        },
        {
            "doctor_id": world.smith.id,
            "name": "Dr. Alice Smith",
            "specialization": "Cardiology",
            "appointments": {
                "today": 4,  # a1 a2 a4 a6 (a7 cancelled; x1 other clinic)
                "week": 5,  # + d2 on Thursday (d3 cancelled)
                "completion_rate": 0.6,  # o3 b1 b2 b6 a1 a2 of those + b5 a6 + d3 a7
            },
            "patient_metrics": {
                "satisfaction": 4.0,  # o3 4, b1 3, a1 5, a2 4 (x1's 1 is the other clinic)
                "retention": 0.2,  # P6 (o2) of P1 P6 P8 P2 P4; P1's y1 is older than 90 days
            },
            "revenue": {"week": "1000.00", "avg_per_appointment": "500.00"},  # a1 + a2
            "efficiency": {
                "punctuality": round(4 / 6, 4),  # b2 +8 and a2 +10 late
                # owed: o3 b2 (no report, past 24 h) b1 (in 2 h) b6 (in 30 h); a1 and a2 are
                # still inside their 24 h
                "documentation": round(1 / 4, 4),
            },
        },
    ]


def test_department_metrics(dash: dict[str, Any]) -> None:
    room_week = 5 * 540 + (240 - 120)  # Mon-Fri, Saturday less the HVAC 08:00-10:00
    assert dash["department_metrics"] == [
        {
            "department": "Cardiology",
            "appointments": {"today": 4, "week": 5, "month": 9},  # month: b1 b2 b5 b6 d2 a1 a2 a4 a6
            "revenue": {"week": "1000.00", "percentage_of_total": 0.4},  # of 2500
            "utilization": round((30 * 5) / (room_week + room_week - 60), 4),  # a1 a2 a6 d2 in R1, a4 in R2
            "wait_times": {"average": 13.5, "target": 15.0},  # a1 7, a2 20
        },
        {
            "department": "Dermatology",
            "appointments": {"today": 1, "week": 1, "month": 1},
            "revenue": {"week": "0.00", "percentage_of_total": 0.0},
            "utilization": round(540 / room_week, 4),
            "wait_times": {"average": 0.0, "target": 15.0},
        },
        {
            "department": "Radiology",
            "appointments": {"today": 2, "week": 3, "month": 5},  # month: b3 c1 d1 a3 a5
            "revenue": {"week": "1500.00", "percentage_of_total": 0.6},
            "utilization": round((60 + 30 + 60) / room_week, 4),  # a3 a5 d1 in R3
            "wait_times": {"average": 9.0, "target": 20.0},  # a3 10, d1 8
        },
    ]


def test_alerts(dash: dict[str, Any]) -> None:
    assert dash["alerts_and_notifications"] == [
        {
            "type": "capacity",
            "severity": "high",
            "message": "Dermatology department at 100% capacity today",  # a8 fills R5 08:00-17:00
            "recommendation": "Move non-urgent bookings to another day or open additional rooms",
        },
        {
            "type": "equipment",
            "severity": "high",
            "message": "CT-1 requires maintenance (overdue by 10 days)",  # 10 Aug + 90 d = 8 Nov
            "action_required": "Schedule maintenance within 24 hours",
        },
        {
            "type": "equipment",
            "severity": "low",
            "message": "US-1 down for maintenance from 2026-11-18 14:00",
            "action_required": "Reschedule bookings that fall inside the maintenance window",
        },
        {
            "type": "equipment",
            "severity": "medium",
            "message": "US-2 is under maintenance",
            "action_required": "Confirm its return to service before booking it",
        },
        {
            "type": "staffing",
            "severity": "high",
            "message": "Reception staff shortage expected on Friday 2026-11-20: 0 of 1 rostered",
            "recommendation": "Arrange locum or temporary staff now",
        },
        {
            "type": "staffing",
            "severity": "medium",
            "message": "Nurse shortage expected on Tuesday 2026-11-24: 1 of 2 rostered",
            "recommendation": "Consider temporary staffing solutions",
        },
    ]


def test_trends_and_insights(dash: dict[str, Any]) -> None:
    this_count = 9 + 8  # 1-17 Nov: c1 b1..b6 d1 d3; today a1..a8
    last_count = 2  # 1-18 Oct: o1 o2
    assert dash["trends_and_insights"] == [
        {
            "category": "appointments",
            "insight": (
                f"{round((this_count - last_count) / last_count * 100)}% increase"
                " in appointment volume vs last month"
            ),
            "impact": "positive",
            "recommendation": "Consider expanding hours or adding providers",
        },
        {
            "category": "satisfaction",
            # last week b1 3, b3 4 vs the week before c1 2
            "insight": "Patient satisfaction improved by 1.5 points vs the week before (2.0 to 3.5)",
            "impact": "positive",
            "recommendation": "Identify and replicate successful practices",
        },
        {
            "category": "no_show",
            "insight": f"No-show rate fell from 50.0% to {100 * 2 / 17:.1f}% vs last month",  # b5 a6; o2
            "impact": "positive",
            "recommendation": "Keep the current reminder routine",
        },
        {
            "category": "revenue",
            "insight": "Revenue at 58% of the monthly target pace (7000.00 of 12000.00)",  # 20000 * 18/30
            "impact": "negative",
            "recommendation": "Review unfilled slots and outstanding invoices",
        },
    ]


def test_upcoming_events(dash: dict[str, Any]) -> None:
    assert dash["upcoming_events"] == [
        {
            "type": "maintenance",
            "title": "US-1 service",
            "date": "2026-11-18T12:00:00Z",
            "duration": "2 hours",
            "impact": "US-1 unavailable",
        },
        {
            "type": "maintenance",
            "title": "HVAC System Maintenance",
            "date": "2026-11-21T04:00:00Z",
            "duration": "4 hours",
            "impact": "Minimal - backup systems available",
        },
        {
            "type": "staff",
            "title": "Nursing Education Session",
            "date": "2026-11-23T12:00:00Z",
            "duration": "2 hours 30 minutes",
            "attendees": 15,
            "impact": "Reduced capacity: 30%",
        },
    ]


def test_other_clinic_sees_only_its_own(session: Session, world: World) -> None:
    assert world.other.id is not None
    other = wire(clinic.build(session=session, clinic_id=world.other.id, now=NOW))
    today = other["operational_metrics"]["today"]
    assert today["appointments"]["total_scheduled"] == 1  # x1
    assert today["patient_flow"]["patient_satisfaction"] == 1.0
    assert today["staff_metrics"]["support_staff"] == 1  # its receptionist
    assert other["financial_summary"]["revenue"]["today"] == "999.00"
    assert other["financial_summary"]["billing"]["total_outstanding"] == "9000.00"
    assert other["financial_summary"]["payment_methods"] == [
        {"method": "Cash", "percentage": 1.0, "amount": "999.00"}
    ]
    assert other["operational_metrics"]["weekly_performance"]["revenue"]["total"] == "777.00"
    assert [d["name"] for d in other["doctor_performance"]] == ["Dr. Alice Smith"]
    assert other["doctor_performance"][0]["appointments"]["today"] == 1
    assert [d["department"] for d in other["department_metrics"]] == ["Cardiology"]
    assert [e["title"] for e in other["upcoming_events"]] == ["Other clinic", "Other clinic event"]
    assert other["clinic_info"]["total_staff"] == 2  # its receptionist, Smith (visiting)


def test_unknown_clinic_is_dash_005(session: Session) -> None:
    from mediconnect.core.errors import DashboardError, DashErrorCode

    with pytest.raises(DashboardError) as err:
        wire(clinic.build(session=session, clinic_id=987654, now=NOW))
    assert err.value.code is DashErrorCode.DASH_005
