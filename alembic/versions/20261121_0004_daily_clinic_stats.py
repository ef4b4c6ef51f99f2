"""daily_clinic_stats: the per clinic, per clinic-local day rollup the dashboards' history reads

PostgreSQL: a MATERIALIZED VIEW over appointments, with a UNIQUE index on (clinic_id, day) so
it can be refreshed CONCURRENTLY (readers are never blocked). Created WITH DATA, so it is
populated from the start and every refresh may be concurrent.

SQLite has no materialized views: a plain table with the same columns and primary key,
recomputed by ``mediconnect.dashboards.kit.daily_stats.refresh`` (the same definitions, in Python,
because SQLite cannot convert to a clinic's time zone).

Neither is part of the models' metadata: alembic/env.py and the drift test leave it out.

Definitions (one row per clinic and clinic-local day of ``scheduled_start``):
appointment_count all appointments, any status; completed/cancelled/no_show_count by status;
daily_revenue the sum of ``price`` of completed ones; unique_patients distinct patients with a
non-cancelled appointment; new_patients those whose first-ever non-cancelled appointment at
that clinic is on that day.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 19:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VIEW_SQL = """
CREATE MATERIALIZED VIEW daily_clinic_stats AS
WITH appts AS (
    SELECT a.clinic_id, a.patient_id, a.status, a.price,
           (a.scheduled_start AT TIME ZONE c.timezone)::date AS day
    FROM appointments a
    JOIN clinics c ON c.id = a.clinic_id
),
firsts AS (
    SELECT clinic_id, patient_id, min(day) AS day
    FROM appts
    WHERE status <> 'cancelled'
    GROUP BY clinic_id, patient_id
),
new_by_day AS (
    SELECT clinic_id, day, count(*) AS n FROM firsts GROUP BY clinic_id, day
),
by_day AS (
    SELECT clinic_id, day,
           count(*) AS appointment_count,
           count(*) FILTER (WHERE status = 'completed') AS completed_count,
           count(*) FILTER (WHERE status = 'cancelled') AS cancelled_count,
           count(*) FILTER (WHERE status = 'no_show') AS no_show_count,
           coalesce(sum(price) FILTER (WHERE status = 'completed'), 0) AS daily_revenue,
           count(DISTINCT patient_id) FILTER (WHERE status <> 'cancelled') AS unique_patients
    FROM appts
    GROUP BY clinic_id, day
)
SELECT b.clinic_id,
       b.day,
       b.appointment_count::integer AS appointment_count,
       b.completed_count::integer AS completed_count,
       b.cancelled_count::integer AS cancelled_count,
       b.no_show_count::integer AS no_show_count,
       b.daily_revenue::numeric(12, 2) AS daily_revenue,
       b.unique_patients::integer AS unique_patients,
       coalesce(n.n, 0)::integer AS new_patients
FROM by_day b
LEFT JOIN new_by_day n ON n.clinic_id = b.clinic_id AND n.day = b.day
WITH DATA
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(VIEW_SQL)
        op.execute(
            "CREATE UNIQUE INDEX ux_daily_clinic_stats_clinic_day ON daily_clinic_stats (clinic_id, day)"
        )
        op.execute("CREATE INDEX ix_daily_clinic_stats_day ON daily_clinic_stats (day)")
        return
    op.create_table(
        "daily_clinic_stats",
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("appointment_count", sa.Integer(), nullable=False),
        sa.Column("completed_count", sa.Integer(), nullable=False),
        sa.Column("cancelled_count", sa.Integer(), nullable=False),
        sa.Column("no_show_count", sa.Integer(), nullable=False),
        sa.Column("daily_revenue", sa.Numeric(12, 2), nullable=False),
        sa.Column("unique_patients", sa.Integer(), nullable=False),
        sa.Column("new_patients", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("clinic_id", "day", name="pk_daily_clinic_stats"),
    )
    op.create_index("ix_daily_clinic_stats_day", "daily_clinic_stats", ["day"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP MATERIALIZED VIEW IF EXISTS daily_clinic_stats")
        return
    op.drop_index("ix_daily_clinic_stats_day", table_name="daily_clinic_stats")
    op.drop_table("daily_clinic_stats")
