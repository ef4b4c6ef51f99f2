"""Moved to ``book_state.py``; kept only until ``bench/booking_push.py`` imports it from there."""

from mediconnect.features.booking.book_state import BookState

__all__ = ["BookState"]
