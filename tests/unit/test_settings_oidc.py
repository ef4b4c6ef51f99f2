"""OIDC settings: off by default, and an issuer needs a client id and https (loopback excepted)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from mediconnect.core.settings import Settings


def make(**values: str) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg, arg-type]


def test_off_by_default() -> None:
    s = make()
    assert not s.oidc_enabled
    assert s.oidc_provider_label == "single sign-on"


def test_configured() -> None:
    s = make(
        OIDC_ISSUER="https://id.example.org/realms/clinic",
        OIDC_CLIENT_ID="mc",
        OIDC_PROVIDER_NAME="Clinic ID",
    )
    assert s.oidc_enabled
    assert s.oidc_provider_label == "Clinic ID"
    assert "top-secret-value" not in repr(make(OIDC_CLIENT_SECRET="top-secret-value"))


def test_plain_http_only_on_loopback() -> None:
    assert make(OIDC_ISSUER="http://127.0.0.1:8080", OIDC_CLIENT_ID="mc").oidc_enabled
    assert make(OIDC_ISSUER="http://localhost:8080/realms/x", OIDC_CLIENT_ID="mc").oidc_enabled
    with pytest.raises(ValidationError, match="https"):
        make(OIDC_ISSUER="http://id.example.org", OIDC_CLIENT_ID="mc")


def test_issuer_needs_a_client_id() -> None:
    with pytest.raises(ValidationError, match="OIDC_CLIENT_ID"):
        make(OIDC_ISSUER="https://id.example.org")
