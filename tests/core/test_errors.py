"""The spec's error codes and the JSON every surface sends for them."""

from __future__ import annotations

import pytest

from mediconnect.core.errors import (
    AccessDenied,
    AuthError,
    AuthErrorCode,
    DashboardError,
    DashErrorCode,
    ServiceError,
)

SPEC = {
    "DASH_001": ("Dashboard not found", 404),
    "DASH_002": ("Insufficient permissions", 403),
    "DASH_003": ("Data unavailable", 503),
    "DASH_004": ("Invalid time period", 400),
    "DASH_005": ("Clinic not found", 404),
    "DASH_006": ("User not associated", 403),
    "DASH_007": ("Analytics timeout", 504),
    "DASH_008": ("Real-time connection failed", 400),
    "DASH_009": ("Cache miss", 503),
    "DASH_010": ("Rate limit exceeded", 429),
}


def test_every_spec_code_with_its_message_and_status() -> None:
    assert {c.code: (c.message, c.http_status) for c in DashErrorCode} == SPEC
    assert all(c.name == c.code for c in DashErrorCode)


@pytest.mark.parametrize("code", list(DashErrorCode))
def test_dashboard_error_json(code: DashErrorCode) -> None:
    err = DashboardError(code, "clinic 12")
    assert err.as_json() == {"code": code.code, "message": code.message, "detail": "clinic 12"}
    assert err.http_status == code.http_status
    assert code.code in str(err)
    assert DashboardError(code).as_json()["detail"] is None


def test_auth_errors_are_401_with_distinct_codes() -> None:
    codes = [c.code for c in AuthErrorCode]
    assert len(codes) == len(set(codes))
    for c in AuthErrorCode:
        err = AuthError(c, "why")
        assert err.http_status == 401 == c.http_status
        assert err.as_json() == {"code": c.code, "message": c.message, "detail": "why"}
        assert err.www_authenticate.startswith("Bearer ")


@pytest.mark.parametrize("code", [DashErrorCode.DASH_002, DashErrorCode.DASH_006])
def test_access_denied_keeps_the_refusal_wire_format(code: DashErrorCode) -> None:
    err = AccessDenied(code, "not associated with this invoice")
    assert isinstance(err, ServiceError)
    assert err.http_status == 403
    assert err.as_json() == {"code": code.code, "message": code.message, "detail": err.detail}
    assert AccessDenied().code is DashErrorCode.DASH_002
    assert AccessDenied.not_associated().code is DashErrorCode.DASH_006
    assert AccessDenied.not_allowed("x").code is DashErrorCode.DASH_002


def test_access_denied_carries_refusal_codes_only() -> None:
    with pytest.raises(ValueError):
        AccessDenied(DashErrorCode.DASH_005)


def test_access_denied_is_a_service_error_not_a_dashboard_failure() -> None:
    # Refusals have their own name; handlers catch AccessDenied or any ServiceError.
    with pytest.raises(ServiceError):
        raise AccessDenied.not_associated()
    assert not issubclass(AccessDenied, DashboardError)
