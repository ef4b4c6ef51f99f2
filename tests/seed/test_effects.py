"""The behavioural effects the analytics dashboards are meant to find must be in the data."""

from __future__ import annotations

import sqlalchemy as sa

LEAD_DAYS = "(julianday(scheduled_start) - julianday(booked_at))"


def rate(conn: sa.Connection, sql: str) -> tuple[float, int]:
    value, n = conn.execute(sa.text(sql)).one()
    return float(value), int(n)


def test_no_show_rises_with_lead_time(tiny: sa.Connection) -> None:
    base = (
        "SELECT avg(status = 'no_show'), count(*) FROM appointments WHERE status IN ('completed', 'no_show')"
    )
    short, n_short = rate(tiny, f"{base} AND {LEAD_DAYS} < 7")
    long, n_long = rate(tiny, f"{base} AND {LEAD_DAYS} >= 30")
    assert n_short > 200 and n_long > 100
    assert long > short * 1.8


def test_confirmed_reminder_cuts_no_shows(tiny: sa.Connection) -> None:
    base = (
        "SELECT avg(status = 'no_show'), count(*) FROM appointments "
        "WHERE status IN ('completed', 'no_show') AND reminder_sent_at IS NOT NULL"
    )
    confirmed, n1 = rate(tiny, f"{base} AND reminder_confirmed_at IS NOT NULL")
    unconfirmed, n2 = rate(tiny, f"{base} AND reminder_confirmed_at IS NULL")
    assert n1 > 200 and n2 > 200
    assert confirmed < unconfirmed / 2


def test_ratings_fall_as_waits_grow(tiny: sa.Connection) -> None:
    wait = "(julianday(a.started_at) - julianday(max(a.checked_in_at, a.scheduled_start))) * 1440"
    base = (
        "SELECT avg(f.overall_rating), count(*) FROM feedback f "
        "JOIN appointments a ON a.id = f.appointment_id"
    )
    quick, n_quick = rate(tiny, f"{base} WHERE {wait} < 10")
    slow, n_slow = rate(tiny, f"{base} WHERE {wait} >= 20")
    assert n_quick > 100 and n_slow >= 10
    assert quick - slow > 0.7


def test_weekday_and_hour_seasonality(tiny: sa.Connection) -> None:
    local = "datetime(scheduled_start, '+2 hours')"  # Africa/Johannesburg has no DST
    by_day = dict(
        tiny.execute(sa.text(f"SELECT strftime('%w', {local}), count(*) FROM appointments GROUP BY 1")).all()
    )
    weekdays = [by_day[d] for d in "12345"]
    assert min(weekdays) > by_day["6"] > by_day.get("0", 0)  # Saturday is a half day, Sunday walk-ins only
    assert by_day["1"] + by_day["2"] > by_day["4"] + by_day["5"]
    by_hour = dict(
        tiny.execute(sa.text(f"SELECT strftime('%H', {local}), count(*) FROM appointments GROUP BY 1")).all()
    )
    assert by_hour["09"] > by_hour["15"] > by_hour.get("17", 0)


def test_patients_on_interacting_medicines(tiny: sa.Connection) -> None:
    pairs = tiny.execute(
        sa.text("""
        SELECT count(DISTINCT a.patient_id) FROM prescriptions a
        JOIN prescriptions b ON b.patient_id = a.patient_id AND a.medication_id < b.medication_id
        JOIN medication_interactions i
          ON i.medication_a_id = a.medication_id AND i.medication_b_id = b.medication_id
        WHERE a.status = 'active' AND b.status = 'active'""")
    ).scalar_one()
    assert pairs >= 1
