"""AccountError, the ValueError every account operation raises for bad input, and its kinds."""

from __future__ import annotations


class AccountError(ValueError):
    """Bad input for an account operation. ``field`` is the form field it concerns, if any."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidEmail(AccountError):
    pass


class DuplicateEmail(AccountError):
    pass


class WeakPassword(AccountError):
    pass


class InvalidInput(AccountError):
    pass


class WrongPassword(AccountError):
    pass


class ResetLinkError(AccountError):
    """An unknown, expired or already used password-reset link."""


class NotFound(AccountError):
    pass
