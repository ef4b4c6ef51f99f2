"""The doctor's analytics: parameter parsing (DASH_004) and every figure over ``doctor_world``.

Expected values are hand arithmetic over the world's rows (see ``doctor_world``'s docstring).
The current ISO week is 11-16..11-22: m1 (11-16), t1..t9 (today, 11-18) and m2 (11-20).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlmodel import Session

from mediconnect.core.errors import DashboardError, DashErrorCode
from mediconnect.dashboards.doctor import analytics as doctor_analytics
from mediconnect.dashboards.doctor.analytics import AnalyticsParams, parse_params
from mediconnect.dashboards.kit.schema import wire
from tests.dashboards import doctor_world
from tests.dashboards.doctor_world import NOW, World


@pytest.fixture
def world(session: Session) -> World:
    return doctor_world.build(session)


def _build(session: Session, world: World, **query: str) -> dict[str, Any]:
    assert world.smith.id is not None
    return wire(
        doctor_analytics.build(session=session, doctor_id=world.smith.id, params=parse_params(query), now=NOW)
    )


def test_parse_defaults() -> None:
    assert parse_params({}) == AnalyticsParams("month", None, None, None, False)


def test_parse_values() -> None:
    params = parse_params(
        {
            "period": "Quarter",
            "start_date": "2026-01-01",
            "end_date": "2026-03-31",
            "clinic_id": "7",
            "comparison": "1",
        }
    )
    assert params == AnalyticsParams("quarter", date(2026, 1, 1), date(2026, 3, 31), 7, True)
    assert parse_params({"comparison": "FALSE"}).comparison is False
    assert parse_params({"comparison": "true"}).comparison is True


@pytest.mark.parametrize(
    "query",
    [
        {"period": "decade"},
        {"start_date": "2026-13-01"},
        {"end_date": "yesterday"},
        {"start_date": "2026-02-01", "end_date": "2026-01-31"},
        {"start_date": "2025-01-01", "end_date": "2026-01-02"},  # 367 days
        {"comparison": "maybe"},
        {"clinic_id": "main"},
        # Bad input that used to reach the date arithmetic or the database (a 500):
        {"start_date": "0001-01-01", "end_date": "0001-01-05", "comparison": "true"},
        {"end_date": "9999-12-31"},
        {"clinic_id": "99999999999999"},
    ],
)
def test_parse_rejects_bad_input(query: dict[str, str]) -> None:
    with pytest.raises(DashboardError) as err:
        parse_params(query)
    assert err.value.code is DashErrorCode.DASH_004


def test_a_full_leap_year_is_allowed() -> None:
    assert parse_params({"start_date": "2028-01-01", "end_date": "2028-12-31"}).end_date == date(2028, 12, 31)


def test_start_only_after_today_is_rejected(session: Session, world: World) -> None:
    with pytest.raises(DashboardError) as err:
        _build(session, world, start_date="2026-11-19")
    assert err.value.code is DashErrorCode.DASH_004


def test_week_with_comparison(session: Session, world: World) -> None:
    out = _build(session, world, period="week", comparison="true")
    assert out["doctor_id"] == world.smith.id
    assert out["period"] == {"name": "week", "start_date": "2026-11-16", "end_date": "2026-11-22"}
    assert out["clinic_id"] is None
    # due: 11 less t7, t8, t9, m2 (open, not begun at 10:30); t6 began
    assert out["appointments"] == {
        "total": 11,
        "completed": 4,  # m1, t1, t2, t3
        "cancelled": 1,  # t4
        "no_show": 1,  # t5
        "completion_rate": round(4 / 7, 4),
        "cancellation_rate": round(1 / 7, 4),
        "no_show_rate": round(1 / 7, 4),
    }
    assert out["revenue"] == {
        "total": "1500.00",  # 300 + 500 + 300 + 400
        "avg_per_appointment": "375.00",
        "insurance_vs_private": {"insurance": round(500 / 1500, 4), "private": round(1000 / 1500, 4)},  # t1
    }
    assert out["patients"] == {
        "unique": 6,  # P1..P6
        "new": 1,  # P4
        "returning": 5,
        "retention_rate": round(5 / 6, 4),
    }
    assert out["efficiency"] == {
        "avg_appointment_duration": round((31 + 25 + 30 + 20) / 4, 1),
        "on_time_percentage": round(100 * 4 / 5, 1),  # m1 t1 t3 t6 of m1 t1 t2 t3 t6
        "patient_wait_time": round((5 + 10 + 15 + 5 + 18) / 5, 1),
    }
    m1_score = (4 + 4 + 4 + 5 + 3) / 5
    assert out["satisfaction"] == {"average": round((m1_score + 5) / 2, 1), "responses": 2}
    assert out["series"] == {
        "bucket": "day",
        "points": [
            {
                "start": f"2026-11-{day}",
                "end": f"2026-11-{day}",
                "appointments": n,
                "completed": c,
                "revenue": r,
            }
            for day, n, c, r in (
                (16, 1, 1, "300.00"),
                (17, 0, 0, "0.00"),
                (18, 9, 3, "1200.00"),
                (19, 0, 0, "0.00"),
                (20, 1, 0, "0.00"),
                (21, 0, 0, "0.00"),
                (22, 0, 0, "0.00"),
            )
        ],
    }

    previous = out["comparison"]  # the 7 days before: last week, w1..w5
    assert previous["period"] == {"name": "week", "start_date": "2026-11-09", "end_date": "2026-11-15"}
    assert previous["appointments"] == {
        "total": 5,
        "completed": 3,
        "cancelled": 1,
        "no_show": 1,
        "completion_rate": 0.6,
        "cancellation_rate": 0.2,
        "no_show_rate": 0.2,
    }
    assert previous["revenue"]["total"] == "1500.00"
    assert previous["patients"] == {"unique": 4, "new": 2, "returning": 2, "retention_rate": 0.5}
    assert previous["efficiency"] == {
        "avg_appointment_duration": round(80 / 3, 1),
        "on_time_percentage": round(100 * 2 / 3, 1),
        "patient_wait_time": round((5 + 18 + 3) / 3, 1),
    }
    assert previous["satisfaction"] == {"average": 4.3, "responses": 2}
    assert "series" not in previous
    assert previous["changes"] == {
        "appointments": round((11 - 5) / 5, 4),
        "completed": round((4 - 3) / 3, 4),
        "revenue": 0.0,
        "unique_patients": round((6 - 4) / 4, 4),
        "new_patients": round((1 - 2) / 2, 4),
        "completion_rate": round(round(4 / 7, 4) - 0.6, 4),
        "cancellation_rate": round(round(1 / 7, 4) - 0.2, 4),
        "no_show_rate": round(round(1 / 7, 4) - 0.2, 4),
        "retention_rate": round(round(5 / 6, 4) - 0.5, 4),
        "avg_appointment_duration": round(26.5 - 26.7, 1),
        "on_time_percentage": round(80.0 - 66.7, 1),
        "patient_wait_time": round(10.6 - 8.7, 1),
        "satisfaction": round(4.5 - 4.3, 1),
    }


def test_no_comparison_is_null(session: Session, world: World) -> None:
    assert _build(session, world, period="day")["comparison"] is None


def test_day_defaults_to_today(session: Session, world: World) -> None:
    out = _build(session, world, period="day")
    assert out["period"] == {"name": "day", "start_date": "2026-11-18", "end_date": "2026-11-18"}
    assert out["appointments"]["total"] == 9
    assert out["revenue"]["total"] == "1200.00"
    assert [p["start"] for p in out["series"]["points"]] == ["2026-11-18"]


def test_clinic_filter(session: Session, world: World) -> None:
    assert world.north.id is not None
    out = _build(session, world, period="week", clinic_id=str(world.north.id))
    assert out["clinic_id"] == world.north.id
    # only t9 (booked at North, 16:00 today): nothing is due yet, so every rate is 0.0
    assert out["appointments"] == {
        "total": 1,
        "completed": 0,
        "cancelled": 0,
        "no_show": 0,
        "completion_rate": 0.0,
        "cancellation_rate": 0.0,
        "no_show_rate": 0.0,
    }
    # P3 is returning: her first visit with Smith (o3) was at Main
    assert out["patients"] == {"unique": 1, "new": 0, "returning": 1, "retention_rate": 1.0}


def test_month_to_date_series_by_day(session: Session, world: World) -> None:
    out = _build(session, world, period="month", end_date="2026-11-18")
    assert out["period"] == {"name": "month", "start_date": "2026-11-01", "end_date": "2026-11-18"}
    points = out["series"]["points"]
    assert out["series"]["bucket"] == "day" and len(points) == 18
    assert sum(p["appointments"] for p in points) == out["appointments"]["total"] == 4 + 5 + 1 + 9
    assert out["revenue"]["total"] == "4050.00"  # 1050 + 1500 + 300 + 1200


def test_quarter_series_by_iso_week(session: Session, world: World) -> None:
    out = _build(session, world, period="quarter")
    assert out["period"] == {"name": "quarter", "start_date": "2026-10-01", "end_date": "2026-12-31"}
    points = out["series"]["points"]
    assert out["series"]["bucket"] == "week"
    # Thu 10-01..Sun 10-04, then twelve full weeks from Mon 10-05, then Mon 12-28..Thu 12-31
    assert len(points) == 14
    assert (points[0]["start"], points[0]["end"]) == ("2026-10-01", "2026-10-04")
    assert (points[1]["start"], points[1]["end"]) == ("2026-10-05", "2026-10-11")
    assert (points[-1]["start"], points[-1]["end"]) == ("2026-12-28", "2026-12-31")
    assert points[0]["appointments"] == 1  # o1
    # October o1..o6 (6), November v* w* m1 t* m2 m3 m4 (4 + 5 + 1 + 9 + 3)
    assert out["appointments"]["total"] == 6 + 22
    assert sum(p["appointments"] for p in points) == 28
    assert out["revenue"]["total"] == "5200.00"  # Oct: o1 500, o3 400, o4 250; Nov 4050


def test_year_series_by_month(session: Session, world: World) -> None:
    out = _build(session, world, period="year")
    assert out["period"] == {"name": "year", "start_date": "2026-01-01", "end_date": "2026-12-31"}
    assert out["series"]["bucket"] == "month"
    assert [p["start"] for p in out["series"]["points"]] == [f"2026-{m:02d}-01" for m in range(1, 13)]
    assert [p["appointments"] for p in out["series"]["points"]][9:] == [6, 22, 0]
    # y1 (2025) is outside the year; P6's first visit was y1, so only P2 P3 P8 (Oct) and
    # P9 P1 P5 P4 (Nov) are new this year
    assert out["patients"]["new"] == 7


def test_start_only_runs_to_today(session: Session, world: World) -> None:
    out = _build(session, world, start_date="2026-11-09")
    assert out["period"] == {"name": "month", "start_date": "2026-11-09", "end_date": "2026-11-18"}
    assert out["appointments"]["total"] == 5 + 1 + 9


def test_other_doctor_rows_never_count(session: Session, world: World) -> None:
    assert world.jones.id is not None
    out = wire(
        doctor_analytics.build(
            session=session, doctor_id=world.jones.id, params=parse_params({"period": "month"}), now=NOW
        )
    )
    assert out["appointments"]["total"] == 4  # b1..b4
    assert out["revenue"]["total"] == "2500.00"  # 1000 + 800 + 700
