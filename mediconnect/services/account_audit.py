"""audit_own_record: the audit row a user leaves when acting on their own patient record."""

from __future__ import annotations

from sqlmodel import Session

from mediconnect.core import audit
from mediconnect.models.users import User


def audit_own_record(
    session: Session,
    user: User,
    action: str,
    patient_id: int | None,
    resource_type: str,
    resource_id: int | None,
    ip: str | None,
) -> None:
    """The user acting on their own patient record leaves a row like anyone else would."""
    audit.record(
        session,
        principal_or_user_id=user.id,
        role=user.role,
        action=action,
        patient_id=patient_id,
        resource_type=resource_type,
        resource_id=resource_id,
        ip=ip,
    )
