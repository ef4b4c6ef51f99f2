"""What every administration service shares: the admins-only gate and the audited commit.

``admin_only`` is the first call of every admin service. A refused call leaves an audit row
(action ``denied``) in its own committed transaction before ``AccessDenied`` (DASH_002) is
raised, so whoever probes the admin services by name, through a page handler or otherwise,
is on the record even though they get nothing.

``audited`` runs a change and its audit row in ONE transaction and commits it: the change and
its record exist together or not at all.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from mediconnect.core import audit
from mediconnect.core.errors import ServiceError
from mediconnect.core.policy import Principal, require_admin
from mediconnect.services.accounts import InvalidInput

T = TypeVar("T")


class AdminFormError(InvalidInput):
    """Every problem with a form at once, by field; ``field`` and ``message`` are the first."""

    def __init__(self, errors: dict[str, str]) -> None:
        field, message = next(iter(errors.items()))
        super().__init__(message, field=field)
        self.errors = dict(errors)


def admin_only(session: Session, *, principal: Principal, resource_type: str, ip: str | None = None) -> None:
    """Return when ``principal`` is an admin; otherwise audit the refusal and raise DASH_002."""
    try:
        require_admin(principal=principal)
    except ServiceError as exc:
        try:
            audit.record(
                session,
                principal_or_user_id=principal,
                action=audit.AuditAction.DENIED,
                patient_id=None,
                resource_type=resource_type,
                ip=ip,
                detail=exc.code.code,
            )
            session.commit()
        except BaseException:
            session.rollback()
            raise
        raise


def record(
    session: Session,
    principal: Principal,
    action: str,
    *,
    resource_type: str,
    resource_id: int | str | None = None,
    ip: str | None = None,
    detail: str | None = None,
) -> None:
    """An admin's action on accounts or the audit trail (never patient data: no patient id)."""
    audit.record(
        session,
        principal_or_user_id=principal,
        action=action,
        patient_id=None,
        resource_type=resource_type,
        resource_id=resource_id,
        ip=ip,
        detail=None if detail is None else detail[:500],
    )


def audited(session: Session, work: Callable[[], T]) -> T:
    """Run ``work`` (the change and its audit row) and commit; roll everything back on failure."""
    try:
        result = work()
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return result


def today() -> date:
    return datetime.now(UTC).date()


def in_force(starts: Any, ends: Any, on: date) -> ColumnElement[bool]:
    """An association that applies on ``on`` (the rule core.policy.principal_for uses)."""
    return sa.and_(
        sa.or_(col(starts).is_(None), col(starts) <= on),
        sa.or_(col(ends).is_(None), col(ends) >= on),
    )
