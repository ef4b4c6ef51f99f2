"""The invariants a later exclusion constraint and the dashboards rely on."""

from __future__ import annotations

from datetime import UTC
from decimal import Decimal

import pytest
import sqlalchemy as sa

ACTIVE = "status <> 'cancelled'"


@pytest.mark.parametrize("resource", ["room_id", "equipment_id", "doctor_id", "patient_id"])
def test_no_overlapping_active_appointments(tiny: sa.Connection, resource: str) -> None:
    overlaps = tiny.execute(
        sa.text(f"""
        SELECT count(*) FROM appointments a JOIN appointments b
          ON a.{resource} = b.{resource} AND a.id < b.id
         AND a.scheduled_start < b.scheduled_end AND b.scheduled_start < a.scheduled_end
        WHERE a.{ACTIVE} AND b.{ACTIVE}""")
    ).scalar_one()
    assert overlaps == 0


def test_every_appointment_is_inside_its_doctors_shift(tiny: sa.Connection) -> None:
    outside = tiny.execute(
        sa.text("""
        SELECT count(*) FROM appointments a JOIN doctors d ON d.id = a.doctor_id
        WHERE NOT EXISTS (SELECT 1 FROM duty_shifts s
                          WHERE s.user_id = d.user_id AND s.clinic_id = a.clinic_id
                          AND s.starts_at <= a.scheduled_start AND s.ends_at >= a.scheduled_end)""")
    ).scalar_one()
    assert outside == 0


def test_lifecycle_timestamps_are_ordered(tiny: sa.Connection) -> None:
    bad = tiny.execute(
        sa.text("""
        SELECT count(*) FROM appointments WHERE booked_at >= scheduled_start
           OR confirmed_at <= booked_at
           OR checked_in_at <= coalesce(confirmed_at, booked_at)
           OR started_at < checked_in_at OR started_at < scheduled_start
           OR ended_at <= started_at
           OR cancelled_at <= booked_at
           OR reminder_confirmed_at < reminder_sent_at""")
    ).scalar_one()
    assert bad == 0


def test_statuses_match_their_timestamps(tiny: sa.Connection) -> None:
    rows = dict(tiny.execute(sa.text("SELECT status, count(*) FROM appointments GROUP BY status")).all())
    assert {"completed", "cancelled", "no_show"} <= rows.keys()
    assert rows.get("booked", 0) + rows.get("confirmed", 0) > 0
    mismatched = tiny.execute(
        sa.text("""
        SELECT count(*) FROM appointments WHERE
            (status = 'completed' AND (ended_at IS NULL OR started_at IS NULL OR checked_in_at IS NULL))
         OR (status = 'cancelled' AND (cancelled_at IS NULL OR cancellation_reason IS NULL))
         OR (status = 'no_show' AND (no_show_recorded_at IS NULL OR checked_in_at IS NOT NULL))
         OR (status IN ('booked', 'confirmed') AND started_at IS NOT NULL)
         OR (status = 'in_progress' AND (started_at IS NULL OR ended_at IS NOT NULL))""")
    ).scalar_one()
    assert mismatched == 0
    future = (
        tiny.execute(
            sa.text("SELECT DISTINCT status FROM appointments WHERE scheduled_start > '2026-03-11 00:00:00'")
        )
        .scalars()
        .all()
    )
    assert set(future) <= {"booked", "confirmed", "cancelled"}


def test_money_and_time_types_round_trip(tiny: sa.Connection) -> None:
    from mediconnect.models.appointments import Appointment

    table = Appointment.__table__  # type: ignore[attr-defined]
    row = tiny.execute(sa.select(table.c.price, table.c.scheduled_start).limit(1)).one()
    assert isinstance(row.price, Decimal) and row.price.as_tuple().exponent == -2
    assert row.scheduled_start.tzinfo is UTC


def test_invoice_portions_and_payments(tiny: sa.Connection) -> None:
    assert (
        tiny.execute(
            sa.text(
                "SELECT count(*) FROM invoices "
                "WHERE total <> medical_aid_portion + patient_portion OR amount_paid > total"
            )
        ).scalar_one()
        == 0
    )
    statuses = set(tiny.execute(sa.text("SELECT DISTINCT status FROM invoices")).scalars())
    assert {"paid", "overdue"} <= statuses
    methods = set(tiny.execute(sa.text("SELECT DISTINCT method FROM payments")).scalars())
    assert {"card", "insurance", "bank_transfer", "mobile_money"} <= methods
    assert (
        tiny.execute(
            sa.text("SELECT count(*) FROM payments WHERE status = 'failed' AND failure_reason IS NOT NULL")
        ).scalar_one()
        > 0
    )
    claims = set(tiny.execute(sa.text("SELECT DISTINCT status FROM claims")).scalars())
    assert {"paid", "denied", "partially_approved"} <= claims
    # every completed visit is invoiced exactly once
    assert (
        tiny.execute(
            sa.text(
                "SELECT count(*) FROM appointments a LEFT JOIN invoices i ON i.appointment_id = a.id "
                "WHERE a.status = 'completed' AND i.id IS NULL"
            )
        ).scalar_one()
        == 0
    )


def test_reports_are_signed_after_the_scan(tiny: sa.Connection) -> None:
    assert (
        tiny.execute(
            sa.text(
                "SELECT count(*) FROM reports r JOIN appointments a ON a.id = r.appointment_id "
                "WHERE a.status <> 'completed' OR r.signed_at <= a.ended_at "
                "OR (r.status = 'draft') <> (r.signed_at IS NULL)"
            )
        ).scalar_one()
        == 0
    )
    assert tiny.execute(sa.text("SELECT count(*) FROM reports WHERE status = 'final'")).scalar_one() > 100
