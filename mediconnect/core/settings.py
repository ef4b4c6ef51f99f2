"""The one place configuration is read: rxconfig, the app, Alembic and Celery all use it."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parents[2]
DEV_SECRET = "dev-only-insecure-secret-key-change-me"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=ROOT / ".env", extra="ignore")

    ENVIRONMENT: Literal["development", "test", "production"] = "development"
    DATABASE_URL: str = f"sqlite:///{ROOT / 'data' / 'mediconnect.db'}"
    # Unset means the embedded default: in-process cache and event bus, Celery tasks run eagerly.
    REDIS_URL: str | None = None
    SECRET_KEY: SecretStr = SecretStr(DEV_SECRET)
    TIMEZONE: str = "Africa/Johannesburg"
    CURRENCY: str = "ZAR"

    # Reflex prod mode serves the frontend, its WebSocket and our /api routes on one port.
    PORT: int = 3000
    PUBLIC_URL: str = "http://localhost:3000"
    UPLOAD_DIR: Path = ROOT / "data" / "uploads"

    TWILIO_ACCOUNT_SID: str = ""
    TWILIO_AUTH_TOKEN: SecretStr = SecretStr("")
    TWILIO_FROM_NUMBER: str = ""
    # Points the Twilio SDK at a stand-in (tests, staging); empty means Twilio's own API.
    TWILIO_API_BASE: str = ""

    SMTP_HOST: str = "localhost"
    SMTP_PORT: int = 25
    SMTP_USERNAME: str = ""
    SMTP_PASSWORD: SecretStr = SecretStr("")
    SMTP_USE_TLS: bool = False
    SMTP_FROM: str = "MediConnect <no-reply@mediconnect.local>"

    # Sign-in with an OpenID Connect provider; off while OIDC_ISSUER or OIDC_CLIENT_ID is empty.
    OIDC_ISSUER: str = ""
    OIDC_CLIENT_ID: str = ""
    # Empty for a public client (PKCE only).
    OIDC_CLIENT_SECRET: SecretStr = SecretStr("")
    # Shown on the button: "Sign in with <name>".
    OIDC_PROVIDER_NAME: str = ""

    # Dashboards: the time budget of one build (DASH_007) and the per-user request limit (DASH_010).
    DASHBOARD_TIMEOUT_MS: int = 8000
    DASHBOARD_RATE_LIMIT: int = 120
    DASHBOARD_RATE_WINDOW_SECONDS: int = 60

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> Settings:
        if self.ENVIRONMENT != "development" and self.SECRET_KEY.get_secret_value() == DEV_SECRET:
            raise ValueError("SECRET_KEY must be set outside development")
        if len(self.SECRET_KEY.get_secret_value()) < 16:
            raise ValueError("SECRET_KEY must be at least 16 characters")
        return self

    @model_validator(mode="after")
    def _check_oidc(self) -> Settings:
        if not self.OIDC_ISSUER:
            return self
        if not self.OIDC_CLIENT_ID:
            raise ValueError("OIDC_CLIENT_ID must be set with OIDC_ISSUER")
        issuer = urlsplit(self.OIDC_ISSUER)
        loopback = issuer.hostname in {"localhost", "127.0.0.1", "::1"}
        if issuer.scheme != "https" and not (issuer.scheme == "http" and loopback):
            raise ValueError("OIDC_ISSUER must be an https:// URL (plain http only on loopback)")
        return self

    @property
    def oidc_enabled(self) -> bool:
        return bool(self.OIDC_ISSUER and self.OIDC_CLIENT_ID)

    @property
    def oidc_provider_label(self) -> str:
        return self.OIDC_PROVIDER_NAME.strip() or "single sign-on"

    @property
    def is_sqlite(self) -> bool:
        return self.DATABASE_URL.startswith("sqlite")

    @property
    def embedded(self) -> bool:
        """True when running without Redis: cache, event bus and tasks stay in-process."""
        return not self.REDIS_URL


@lru_cache
def get_settings() -> Settings:
    return Settings()
