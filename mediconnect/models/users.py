"""People who sign in, and the records of how they sign in."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from pydantic import BaseModel
from sqlmodel import Field, SQLModel

from mediconnect.models.base import StrEnum, enum_field, fk, now_field, pk, ts_field


class Role(StrEnum):
    PATIENT = "patient"
    DOCTOR = "doctor"
    REFERRING_DOCTOR = "referring_doctor"
    CLINIC_STAFF = "clinic_staff"
    BILLING_STAFF = "billing_staff"
    ANALYTICS_STAFF = "analytics_staff"
    ADMIN = "admin"


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: int | None = pk()
    email: str = Field(max_length=254, unique=True, index=True)
    password_hash: str | None = Field(default=None, max_length=255)
    role: Role = enum_field(Role, "role", index=True)
    first_name: str = Field(max_length=80)
    last_name: str = Field(max_length=80)
    phone: str | None = Field(default=None, max_length=32)
    is_active: bool = Field(default=True)
    email_verified: bool = Field(default=False)
    notify_sms: bool = Field(default=True)
    notify_email: bool = Field(default=True)
    created_at: datetime = now_field()
    last_login_at: datetime | None = ts_field()
    deactivated_at: datetime | None = ts_field()

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class UserPublic(BaseModel):
    id: int
    email: str
    role: Role
    first_name: str
    last_name: str
    is_active: bool


class UserSession(SQLModel, table=True):
    """A server-side session bound to a Reflex client token."""

    __tablename__ = "user_sessions"

    id: int | None = pk()
    user_id: int | None = fk("users.id", ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True)
    client_token: str | None = Field(default=None, max_length=64, index=True)
    ip_address: str | None = Field(default=None, max_length=45)
    user_agent: str | None = Field(default=None, max_length=300)
    created_at: datetime = now_field()
    last_seen_at: datetime = now_field()
    expires_at: datetime = ts_field(nullable=False)
    ended_at: datetime | None = ts_field()


class RefreshToken(SQLModel, table=True):
    __tablename__ = "refresh_tokens"

    id: int | None = pk()
    user_id: int | None = fk("users.id", ondelete="CASCADE")
    jti: str = Field(max_length=64, unique=True)
    issued_at: datetime = now_field()
    expires_at: datetime = ts_field(nullable=False)
    revoked_at: datetime | None = ts_field()
    replaced_by_jti: str | None = Field(default=None, max_length=64)


class PasswordResetToken(SQLModel, table=True):
    __tablename__ = "password_reset_tokens"

    id: int | None = pk()
    user_id: int | None = fk("users.id", ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = now_field()
    expires_at: datetime = ts_field(nullable=False)
    used_at: datetime | None = ts_field()


class OAuthIdentity(SQLModel, table=True):
    """A link from an OpenID Connect subject to a local account."""

    __tablename__ = "oauth_identities"
    __table_args__ = (sa.UniqueConstraint("issuer", "subject"),)

    id: int | None = pk()
    user_id: int | None = fk("users.id", ondelete="CASCADE")
    issuer: str = Field(max_length=255)
    subject: str = Field(max_length=255)
    email: str | None = Field(default=None, max_length=254)
    linked_at: datetime = now_field()


class LoginOutcome(StrEnum):
    SUCCESS = "success"
    BAD_PASSWORD = "bad_password"
    UNKNOWN_USER = "unknown_user"
    LOCKED = "locked"
    INACTIVE = "inactive"
    SUSPICIOUS = "suspicious"


class LoginAttempt(SQLModel, table=True):
    __tablename__ = "login_attempts"
    __table_args__ = (sa.Index(None, "attempted_at"), sa.Index(None, "ip_address", "attempted_at"))

    id: int | None = pk()
    user_id: int | None = fk("users.id", nullable=True)
    email: str = Field(max_length=254, index=True)
    ip_address: str | None = Field(default=None, max_length=45)
    success: bool
    outcome: LoginOutcome = enum_field(LoginOutcome, "login_outcome")
    method: str = Field(default="password", max_length=20)
    attempted_at: datetime = now_field()


class SecurityIncident(SQLModel, table=True):
    """What the lockout and anomaly rules concluded: the admin dashboard's security_incidents."""

    __tablename__ = "security_incidents"

    id: int | None = pk()
    incident_type: str = Field(max_length=40)
    source_ip: str | None = Field(default=None, max_length=45)
    user_id: int | None = fk("users.id", nullable=True)
    count: int = 1
    action_taken: str = Field(max_length=40)
    detected_at: datetime = now_field()
    resolved_at: datetime | None = ts_field()
