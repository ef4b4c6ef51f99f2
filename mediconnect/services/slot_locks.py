"""Serialise bookings that could collide, before they insert (PostgreSQL).

The exclusion constraints of migration 0003 are the guarantee against double booking. But two
transactions inserting overlapping rows at the same moment each find the other's uncommitted
row and wait for it: a deadlock, which PostgreSQL breaks only after deadlock_timeout (1 s),
failing one booking with an error instead of a clean "just taken". So a booking first takes a
transaction-scoped advisory lock on each resource it will occupy (room, equipment, doctor,
patient), always in the same order; bookings of different resources never wait for each other,
and the constraint check then sees the winner's committed row. SQLite needs nothing: a write
transaction there holds the database write lock from BEGIN IMMEDIATE.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session

# The two-int4 advisory key space: (kind, id). Distinct from the audit chain's bigint key.
_KINDS = {"room": 1, "equipment": 2, "doctor": 3, "patient": 4}


def lock_resources(
    session: Session,
    *,
    room_id: int | None,
    equipment_id: int | None,
    doctor_id: int | None,
    patient_id: int | None,
) -> None:
    if session.get_bind().dialect.name != "postgresql":
        return
    named = {"room": room_id, "equipment": equipment_id, "doctor": doctor_id, "patient": patient_id}
    keys = sorted((_KINDS[kind], ident) for kind, ident in named.items() if ident is not None)
    conn = session.connection()
    for kind, ident in keys:
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(kind, ident)))
