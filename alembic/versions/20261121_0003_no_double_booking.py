"""no double booking: one live appointment per room, equipment, doctor and patient at a time

PostgreSQL: an exclusion constraint per resource over tstzrange(scheduled_start,
scheduled_end) (btree_gist), ignoring cancelled and no-show appointments. SQLite has no
exclusion constraints; BEFORE INSERT / UPDATE triggers refuse the same overlaps, and because
every SQLite write transaction starts with BEGIN IMMEDIATE (core/db.py) the check and the
insert cannot interleave with another writer. Both fail with the constraint's name in the
message (``ex_appointments_<resource>_overlap``), which services.booking reads.

Careful: a later ``batch_alter_table('appointments')`` on SQLite rebuilds the table and drops
these triggers; recreate them in that migration.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 15:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RESOURCES = ("room", "equipment", "doctor", "patient")
FREED = "('cancelled', 'no_show')"


def _pg_upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    for res in RESOURCES:
        op.execute(
            f"ALTER TABLE appointments ADD CONSTRAINT ex_appointments_{res}_overlap "
            f"EXCLUDE USING gist ({res}_id WITH =, "
            f"tstzrange(scheduled_start, scheduled_end, '[)') WITH &&) "
            f"WHERE ({res}_id IS NOT NULL AND status NOT IN {FREED})"
        )


def _sqlite_checks(exclude_self: bool) -> str:
    same = " AND a.id <> NEW.id" if exclude_self else ""
    return "\n".join(
        f"  SELECT RAISE(ABORT, 'ex_appointments_{res}_overlap') WHERE NEW.{res}_id IS NOT NULL AND EXISTS ("
        f"SELECT 1 FROM appointments a WHERE a.{res}_id = NEW.{res}_id{same} "
        f"AND a.status NOT IN {FREED} "
        f"AND a.scheduled_start < NEW.scheduled_end AND a.scheduled_end > NEW.scheduled_start);"
        for res in RESOURCES
    )


def _sqlite_upgrade() -> None:
    op.execute(
        "CREATE TRIGGER trg_appointments_no_overlap_insert BEFORE INSERT ON appointments "
        f"WHEN NEW.status NOT IN {FREED}\nBEGIN\n{_sqlite_checks(False)}\nEND"
    )
    columns = ", ".join(["status", "scheduled_start", "scheduled_end"] + [f"{r}_id" for r in RESOURCES])
    op.execute(
        f"CREATE TRIGGER trg_appointments_no_overlap_update BEFORE UPDATE OF {columns} ON appointments "
        f"WHEN NEW.status NOT IN {FREED}\nBEGIN\n{_sqlite_checks(True)}\nEND"
    )


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _pg_upgrade()
    else:
        _sqlite_upgrade()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for res in RESOURCES:
            op.execute(f"ALTER TABLE appointments DROP CONSTRAINT IF EXISTS ex_appointments_{res}_overlap")
    else:
        op.execute("DROP TRIGGER IF EXISTS trg_appointments_no_overlap_insert")
        op.execute("DROP TRIGGER IF EXISTS trg_appointments_no_overlap_update")
