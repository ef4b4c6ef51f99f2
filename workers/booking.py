"""Booking housekeeping: waitlist offers that nobody took in time pass to the next patient."""

from __future__ import annotations

from mediconnect.core.db import session_scope
from mediconnect.services import waitlist
from workers.celery_app import app

# Beat runs it this often; an offer therefore lapses at most this late after its expiry.
EXPIRE_EVERY_S = 120.0


@app.task(name="booking.expire_waitlist_offers", acks_late=True)
def expire_waitlist_offers() -> int:
    """Idempotent: an offer lapses once (rows are locked and skipped by a parallel run)."""
    with session_scope() as session:
        return waitlist.expire_offers(session=session)
