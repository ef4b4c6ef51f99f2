"""Creating, migrating and dropping the databases the tests run on."""

from __future__ import annotations

import os
import uuid

import sqlalchemy as sa
from alembic.config import Config

from alembic import command
from mediconnect.core.db import make_engine, normalise_url
from mediconnect.core.settings import ROOT


def alembic_config(url: str) -> Config:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.attributes["url"] = url
    cfg.attributes["configure_logger"] = False
    return cfg


def migrate(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)


def _server_engine(server_url: str) -> sa.Engine:
    url = sa.make_url(normalise_url(server_url)).set(database="postgres")
    return sa.create_engine(url, isolation_level="AUTOCOMMIT")


def create_postgres_database(server_url: str, prefix: str) -> str:
    """A new, empty database on the server named by server_url; fails loudly if unreachable."""
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    eng = _server_engine(server_url)
    with eng.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    eng.dispose()
    return sa.make_url(normalise_url(server_url)).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(server_url: str, url: str) -> None:
    name = sa.make_url(url).database
    make_engine(url).dispose()
    eng = _server_engine(server_url)
    with eng.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    eng.dispose()
