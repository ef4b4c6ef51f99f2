"""Row counts land in the ranges the tiny scale promises, and every seeded table has rows."""

from __future__ import annotations

import sqlalchemy as sa

from mediconnect.models import metadata
from mediconnect.seed.runner import NOT_SEEDED


def count(conn: sa.Connection, table: str, where: str = "1=1") -> int:
    return conn.execute(sa.text(f"SELECT count(*) FROM {table} WHERE {where}")).scalar_one()


def test_scale_counts(tiny: sa.Connection) -> None:
    assert count(tiny, "clinics") == 1
    assert count(tiny, "doctors") == 3
    assert count(tiny, "doctors", "is_radiologist") >= 1
    assert count(tiny, "patients") == 150
    assert 1_200 <= count(tiny, "appointments") <= 2_000
    assert count(tiny, "services") >= 40
    assert count(tiny, "medication_interactions") >= 25


def test_every_table_but_runtime_artefacts_has_rows(tiny: sa.Connection) -> None:
    empty = [t.name for t in metadata.sorted_tables if t.name not in NOT_SEEDED and count(tiny, t.name) == 0]
    assert empty == []


def test_two_years_of_history_and_eight_weeks_ahead(tiny: sa.Connection) -> None:
    first, last = tiny.execute(
        sa.text("SELECT min(scheduled_start), max(scheduled_start) FROM appointments")
    ).one()
    assert str(first) < "2024-03-20" and str(last) > "2026-04-14"


def test_patients_mix(tiny: sa.Connection) -> None:
    no_login = count(tiny, "patients", "user_id IS NULL")
    assert 10 <= no_login <= 100
    members = count(tiny, "medical_aid_memberships")
    assert 0.55 * 150 <= members <= 0.85 * 150
    assert count(tiny, "patients", "area_type = 'Rural'") > 0
    ages = tiny.execute(sa.text("SELECT min(date_of_birth), max(date_of_birth) FROM patients")).one()
    assert str(ages[0]) < "1961-01-01" and str(ages[1]) > "2010-01-01"
