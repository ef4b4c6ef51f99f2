"""What the appointment pages share: who may open them, the sentence for an appointment that is
not the caller's, and the status words and colours.

Calling services, formatting and widgets come from ``features/kit``.
"""

from __future__ import annotations

import reflex as rx

from mediconnect.core.policy import APPOINTMENT_ACTIONS, PAYMENT_SUMMARY_ROLES, Action
from mediconnect.features.kit.notices import status_badge as _badge

# Who may open the appointment pages at all (the policy's tables; the object check is the service's).
READERS = frozenset(r for r, acts in APPOINTMENT_ACTIONS.items() if Action.READ in acts)
WRITERS = frozenset(r for r, acts in APPOINTMENT_ACTIONS.items() if Action.WRITE in acts)
PAYERS = PAYMENT_SUMMARY_ROLES

# What a refused or unknown appointment shows (``page_call(..., denied_text=NOT_YOURS)``): the
# same sentence for both, so a page never tells whether someone else's appointment exists.
NOT_YOURS = "This appointment does not exist or is not one you can open."

STATUS_LABELS = {
    "booked": "Pending",
    "confirmed": "Confirmed",
    "checked_in": "Checked in",
    "in_progress": "In progress",
    "completed": "Completed",
    "cancelled": "Cancelled",
    "no_show": "No-show",
}
STATUS_COLORS = {
    "booked": "amber",
    "confirmed": "teal",
    "checked_in": "blue",
    "in_progress": "violet",
    "completed": "green",
    "cancelled": "gray",
    "no_show": "red",
}


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status.replace("_", " ").capitalize())


def status_badge(status: rx.Var, label: rx.Var) -> rx.Component:
    """An appointment's status on a badge (browser tests find it by ``status-badge``)."""
    return _badge(status, label, STATUS_COLORS, size="2", data_testid="status-badge")


__all__ = [
    "NOT_YOURS",
    "PAYERS",
    "READERS",
    "STATUS_COLORS",
    "STATUS_LABELS",
    "WRITERS",
    "status_badge",
    "status_label",
]
