"""Settings refuse unsafe production configuration and pick the embedded default without Redis."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from mediconnect.core.settings import DEV_SECRET, Settings


def test_default_secret_refused_outside_development() -> None:
    with pytest.raises(ValidationError, match="SECRET_KEY must be set"):
        Settings(ENVIRONMENT="production", SECRET_KEY=DEV_SECRET, _env_file=None)  # type: ignore[call-arg]


def test_short_secret_refused() -> None:
    with pytest.raises(ValidationError, match="at least 16"):
        Settings(ENVIRONMENT="production", SECRET_KEY="short", _env_file=None)  # type: ignore[call-arg]


def test_development_accepts_default_secret() -> None:
    s = Settings(ENVIRONMENT="development", SECRET_KEY=DEV_SECRET, _env_file=None)  # type: ignore[call-arg]
    assert s.SECRET_KEY.get_secret_value() == DEV_SECRET


def test_embedded_mode_without_redis() -> None:
    s = Settings(REDIS_URL=None, _env_file=None)  # type: ignore[call-arg]
    assert s.embedded
    r = Settings(REDIS_URL="redis://127.0.0.1:6379/0", _env_file=None)  # type: ignore[call-arg]
    assert not r.embedded


def test_default_database_is_sqlite_under_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    s = Settings(_env_file=None)  # type: ignore[call-arg]
    assert s.is_sqlite
    assert s.DATABASE_URL.endswith("/data/mediconnect.db")


def test_secret_not_shown_in_repr() -> None:
    s = Settings(ENVIRONMENT="production", SECRET_KEY="x" * 40, _env_file=None)  # type: ignore[call-arg]
    assert "x" * 40 not in repr(s)
