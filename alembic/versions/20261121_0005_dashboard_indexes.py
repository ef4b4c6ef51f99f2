"""dashboard indexes: what each clinic is still owed, when invoices were paid, follow-ups due

The clinic dashboard reads a clinic's outstanding invoices and its recently paid ones; without
these it scanned the clinic's whole billing history (about 36 ms per clinic on the large set).
The doctor dashboard reads follow-ups falling due; without an index it scanned a year of the
doctor's appointments. (Plain CREATE INDEX on appointments: a batch table rebuild on SQLite
would drop the no-double-booking triggers of 0003.)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21 20:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OWING = sa.text("total > amount_paid AND status NOT IN ('draft', 'cancelled')")


FOLLOW_UP = sa.text("follow_up_due_on IS NOT NULL")


def upgrade() -> None:
    op.create_index(
        "ix_appointments_doctor_follow_up",
        "appointments",
        ["doctor_id", "follow_up_due_on"],
        postgresql_where=FOLLOW_UP,
        sqlite_where=FOLLOW_UP,
    )
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.create_index(
            "ix_invoices_clinic_owing",
            ["clinic_id"],
            unique=False,
            postgresql_where=OWING,
            sqlite_where=OWING,
        )
        batch_op.create_index(
            batch_op.f("ix_invoices_clinic_id_paid_at"), ["clinic_id", "paid_at"], unique=False
        )


def downgrade() -> None:
    op.drop_index("ix_appointments_doctor_follow_up", table_name="appointments")
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invoices_clinic_id_paid_at"))
        batch_op.drop_index("ix_invoices_clinic_owing")
