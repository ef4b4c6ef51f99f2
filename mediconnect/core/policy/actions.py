"""What a role may do to a kind of object (the ``*_ACTIONS`` tables), and the role check.

Each resource module holds its own table (``PATIENT_ACTIONS``, ``INVOICE_ACTIONS``, ...); the
role check is the same for all: a role absent from the table, or without the action, is
refused with DASH_002 before anything is looked up.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from mediconnect.core.errors import AccessDenied, DashErrorCode
from mediconnect.core.policy.principal import Principal
from mediconnect.models.users import Role


class Action(StrEnum):
    READ = "read"  # demographics, contact details, appointments
    WRITE = "write"  # edit those, book, reschedule, cancel
    READ_CLINICAL = "read_clinical"  # reports, clinical notes, prescriptions, results
    WRITE_CLINICAL = "write_clinical"  # author or amend clinical content
    BILLING = "billing"  # invoices, payments, claims, statements


ALL_ACTIONS = frozenset(Action)
READ_WRITE = frozenset({Action.READ, Action.WRITE})
READ_ONLY = frozenset({Action.READ})

ActionTable = Mapping[Role, frozenset[Action]]


def object_action(action: Action | str) -> Action:
    """Read or write: the only actions on objects other than patients."""
    act = Action(action)
    if act not in READ_WRITE:
        raise ValueError(f"{act.value!r} applies to patients only; use read or write")
    return act


def require_role(table: ActionTable, principal: Principal, action: Action, what: str) -> None:
    """DASH_002 when the principal's role may never ``action`` this kind of object."""
    if action not in table.get(principal.role, frozenset()):
        raise AccessDenied(
            DashErrorCode.DASH_002, f"role {principal.role.value} may not {action.value} {what}"
        )
