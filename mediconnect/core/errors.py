"""The errors that cross a surface: the spec's DASH_0xx codes and 401 authentication failures.

``ServiceError`` is the base of what services raise: ``AccessDenied`` (DASH_002/DASH_006, the
policy's refusals) and ``DashboardError`` (every other DASH_0xx). ``AuthError`` is the 401.
All carry a stable machine code, a human message and an HTTP status, and serialise to the same
JSON shape, ``{"code", "message", "detail"}``, so the API, the WebSocket and the UI report
them identically. Neither ever carries PHI in ``detail``: say *what* was refused, not whose.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any


@dataclass(frozen=True, slots=True)
class ErrorInfo:
    code: str
    message: str
    http_status: int
    description: str
    resolution: str


class DashErrorCode(Enum):
    """The spec's "Error Codes" table (dashboards-api.md), with the HTTP status each maps to."""

    DASH_001 = ErrorInfo(
        "DASH_001",
        "Dashboard not found",
        404,
        "Requested dashboard type doesn't exist",
        "Check dashboard type parameter",
    )
    DASH_002 = ErrorInfo(
        "DASH_002",
        "Insufficient permissions",
        403,
        "User lacks access to dashboard",
        "Verify user role and permissions",
    )
    DASH_003 = ErrorInfo(
        "DASH_003",
        "Data unavailable",
        503,
        "Required data not accessible",
        "Check data source connectivity",
    )
    DASH_004 = ErrorInfo(
        "DASH_004", "Invalid time period", 400, "Requested period is invalid", "Use valid period format"
    )
    DASH_005 = ErrorInfo(
        "DASH_005", "Clinic not found", 404, "Specified clinic doesn't exist", "Verify clinic ID"
    )
    DASH_006 = ErrorInfo(
        "DASH_006",
        "User not associated",
        403,
        "User not linked to requested resource",
        "Check user associations",
    )
    DASH_007 = ErrorInfo(
        "DASH_007",
        "Analytics timeout",
        504,
        "Dashboard data processing timeout",
        "Retry or reduce data scope",
    )
    DASH_008 = ErrorInfo(
        "DASH_008",
        "Real-time connection failed",
        400,
        "WebSocket connection error",
        "Check network and authentication",
    )
    DASH_009 = ErrorInfo(
        "DASH_009", "Cache miss", 503, "Cached dashboard data expired", "Allow time for data refresh"
    )
    DASH_010 = ErrorInfo(
        "DASH_010", "Rate limit exceeded", 429, "Too many dashboard requests", "Respect rate limits"
    )

    @property
    def code(self) -> str:
        return self.value.code

    @property
    def message(self) -> str:
        return self.value.message

    @property
    def http_status(self) -> int:
        return self.value.http_status

    @property
    def description(self) -> str:
        return self.value.description

    @property
    def resolution(self) -> str:
        return self.value.resolution


# Readable aliases for the codes the policy raises most.
DASHBOARD_NOT_FOUND = DashErrorCode.DASH_001
INSUFFICIENT_PERMISSIONS = DashErrorCode.DASH_002
CLINIC_NOT_FOUND = DashErrorCode.DASH_005
NOT_ASSOCIATED = DashErrorCode.DASH_006


class ServiceError(Exception):
    """An error a service raises for a surface to report: one of the spec's codes, its HTTP
    status, and optional free-text ``detail`` (never PHI). Every surface maps any ServiceError
    the same way: ``as_json()`` with ``http_status``."""

    def __init__(self, code: DashErrorCode, detail: str | None = None) -> None:
        self.code = code
        self.detail = detail
        super().__init__(f"{code.code} {code.message}" + (f": {detail}" if detail else ""))

    @property
    def http_status(self) -> int:
        return self.code.http_status

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code.code, "message": self.code.message, "detail": self.detail}


class DashboardError(ServiceError):
    """A dashboard failure with one of the spec's codes (unknown dashboard or clinic, bad
    period, data unavailable, timeout, rate limit). Refusals are ``AccessDenied``."""


# The codes a refusal may carry: the role may never do this (DASH_002), or it may but this user
# is not linked to this object (DASH_006; a missing object is reported the same way).
ACCESS_DENIED_CODES = frozenset({DashErrorCode.DASH_002, DashErrorCode.DASH_006})


class AccessDenied(ServiceError):
    """The caller may not see or do this: DASH_002 (403, the role never may) or DASH_006 (403,
    not associated with this object). Raised by ``core.policy`` and by services' own checks."""

    def __init__(self, code: DashErrorCode = DashErrorCode.DASH_002, detail: str | None = None) -> None:
        if code not in ACCESS_DENIED_CODES:
            raise ValueError(f"AccessDenied carries DASH_002 or DASH_006, not {code.code}")
        super().__init__(code, detail)

    @classmethod
    def not_allowed(cls, detail: str | None = None) -> AccessDenied:
        """DASH_002: the caller's role may never do this."""
        return cls(DashErrorCode.DASH_002, detail)

    @classmethod
    def not_associated(cls, detail: str | None = None) -> AccessDenied:
        """DASH_006: the role may, but this caller is not linked to this object."""
        return cls(DashErrorCode.DASH_006, detail)


class AuthErrorCode(Enum):
    """Why a credential was refused. Every one is an HTTP 401."""

    TOKEN_MISSING = ErrorInfo(
        "AUTH_001",
        "Authentication required",
        401,
        "No bearer token was sent",
        "Send Authorization: Bearer <access token>",
    )
    TOKEN_MALFORMED = ErrorInfo(
        "AUTH_002",
        "Malformed token",
        401,
        "The token is not a well-formed signed JWT",
        "Obtain a new token from /api/auth/token",
    )
    TOKEN_INVALID = ErrorInfo(
        "AUTH_003",
        "Invalid token",
        401,
        "The signature or claims do not verify",
        "Obtain a new token from /api/auth/token",
    )
    TOKEN_EXPIRED = ErrorInfo(
        "AUTH_004",
        "Token expired",
        401,
        "The token's lifetime has passed",
        "Refresh it at /api/auth/refresh or sign in again",
    )
    TOKEN_REVOKED = ErrorInfo(
        "AUTH_005",
        "Token revoked",
        401,
        "The token was revoked, reused, or the account was deactivated",
        "Sign in again",
    )
    WRONG_TOKEN_TYPE = ErrorInfo(
        "AUTH_006",
        "Wrong token type",
        401,
        "A refresh token was sent where an access token is expected, or the reverse",
        "Send the access token in Authorization and the refresh token only to /api/auth/refresh",
    )
    INVALID_CREDENTIALS = ErrorInfo(
        "AUTH_007",
        "Invalid email or password",
        401,
        "The email and password do not match an active account",
        "Check the email and password",
    )
    ACCOUNT_INACTIVE = ErrorInfo(
        "AUTH_008",
        "Account deactivated",
        401,
        "The account has been deactivated",
        "Contact an administrator",
    )
    ACCOUNT_LOCKED = ErrorInfo(
        "AUTH_009",
        "Account locked",
        401,
        "Too many failed sign-in attempts; the account is locked for a while",
        "Wait for the time given in Retry-After, or reset the password",
    )

    @property
    def code(self) -> str:
        return self.value.code

    @property
    def message(self) -> str:
        return self.value.message

    @property
    def http_status(self) -> int:
        return self.value.http_status


class AuthError(Exception):
    """A 401: the caller is not (or no longer) authenticated."""

    http_status = 401

    def __init__(self, code: AuthErrorCode, detail: str | None = None) -> None:
        self.code = code
        self.detail = detail
        super().__init__(f"{code.code} {code.message}" + (f": {detail}" if detail else ""))

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code.code, "message": self.code.message, "detail": self.detail}

    @property
    def www_authenticate(self) -> str:
        """The RFC 6750 ``WWW-Authenticate`` header value to send with the 401."""
        if self.code is AuthErrorCode.TOKEN_MISSING:
            return 'Bearer realm="mediconnect"'
        return f'Bearer realm="mediconnect", error="invalid_token", error_description="{self.code.message}"'
