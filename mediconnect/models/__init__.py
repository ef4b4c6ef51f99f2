"""Every table, imported so that SQLModel.metadata is complete (Alembic and tests rely on it)."""

from sqlmodel import SQLModel

from mediconnect.models import (  # noqa: F401
    appointments,
    audit,
    billing,
    catalog,
    clinical,
    clinics,
    notifications,
    operations,
    patients,
    referrals,
    reports,
    staff,
    support,
    users,
)

metadata = SQLModel.metadata
