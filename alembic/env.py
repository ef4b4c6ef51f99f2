"""Alembic runs against the URL in Settings unless the caller passes a connection or URL."""

from logging.config import fileConfig
from typing import Any

import sqlalchemy as sa
from sqlmodel.sql.sqltypes import AutoString

from alembic import context
from mediconnect.core.db import make_engine, normalise_url
from mediconnect.core.settings import get_settings
from mediconnect.dashboards.kit.daily_stats import include_object
from mediconnect.models import metadata
from mediconnect.models.base import Money, UTCDateTime

config = context.config
if config.config_file_name and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Write our TypeDecorators as their plain SQL types so migrations never import model code."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and isinstance(obj, Money):
        return "sa.Numeric(12, 2)"
    if type_ == "type" and isinstance(obj, AutoString):
        return f"sa.String(length={obj.length})" if obj.length else "sa.String()"
    return False


def _configure(connection: sa.Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_item=render_item,
        include_object=include_object,
        compare_type=True,
        render_as_batch=connection.dialect.name == "sqlite",
    )


def run_migrations_offline() -> None:
    url = normalise_url(config.attributes.get("url") or get_settings().DATABASE_URL)
    context.configure(
        url=url,
        target_metadata=metadata,
        render_item=render_item,
        include_object=include_object,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(config.attributes.get("url") or get_settings().DATABASE_URL)
    with engine.connect() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
