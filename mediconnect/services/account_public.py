"""public_user: the UserPublic shape of a User row, what account operations hand back."""

from __future__ import annotations

from mediconnect.models.users import User, UserPublic


def public_user(user: User) -> UserPublic:
    assert user.id is not None
    return UserPublic(
        id=user.id,
        email=user.email,
        role=user.role,
        first_name=user.first_name,
        last_name=user.last_name,
        is_active=user.is_active,
    )
