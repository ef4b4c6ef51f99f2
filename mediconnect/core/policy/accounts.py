"""Accounts and administration: user management and the audit trail are admins' alone."""

from __future__ import annotations

from mediconnect.core.errors import AccessDenied, DashErrorCode
from mediconnect.core.policy.principal import Principal


def require_admin(*, principal: Principal) -> None:
    """Administration (user management, the audit trail): admins only, nobody else ever."""
    if not principal.is_admin:
        raise AccessDenied(DashErrorCode.DASH_002, f"role {principal.role.value} may not administer")
