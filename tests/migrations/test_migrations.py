"""The migrations and the models describe the same schema, on every backend."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from mediconnect.core.db import make_engine
from mediconnect.dashboards.kit import daily_stats
from mediconnect.models import metadata
from tests.support.databases import alembic_config, downgrade, migrate


def _drift(engine: sa.Engine) -> list[object]:
    with engine.connect() as conn:
        opts = {"compare_type": True, "include_object": daily_stats.include_object}
        ctx = MigrationContext.configure(conn, opts=opts)
        return list(compare_metadata(ctx, metadata))


def _check_constraints(engine: sa.Engine) -> set[tuple[str, str]]:
    insp = sa.inspect(engine)
    return {
        (table, ck["name"]) for table in insp.get_table_names() for ck in insp.get_check_constraints(table)
    }


def _model_check_constraints(engine: sa.Engine) -> set[tuple[str, str]]:
    names: set[tuple[str, str]] = set()
    for table in metadata.sorted_tables:
        for c in table.constraints:
            if isinstance(c, sa.CheckConstraint) and c.name:
                names.add((table.name, str(c.name)))
        for col in table.columns:
            if isinstance(col.type, sa.Enum) and col.type.create_constraint:
                names.add((table.name, f"ck_{table.name}_{col.type.name}"))
    return names


def test_migrated_schema_has_no_drift(engine: sa.Engine) -> None:
    diffs = _drift(engine)
    assert diffs == [], f"models and migrations disagree: {diffs}"


def test_every_check_constraint_is_migrated(engine: sa.Engine) -> None:
    migrated = _check_constraints(engine)
    expected = _model_check_constraints(engine)
    assert expected, "the models declare CHECK constraints"
    assert expected - migrated == set()


def test_single_head() -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1


def test_downgrade_to_base_and_back(database_url: str, tmp_root) -> None:  # type: ignore[no-untyped-def]
    # Run on a scratch copy: the session database stays migrated for the other tests.
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_root / 'roundtrip.db'}"
        migrate(url)
        cleanup = None
    else:
        from tests.conftest import PG_SERVER_URL
        from tests.support.databases import create_postgres_database, drop_postgres_database

        assert PG_SERVER_URL
        url = create_postgres_database(PG_SERVER_URL, "mediconnect_roundtrip")
        migrate(url)
        cleanup = (PG_SERVER_URL, url)
    eng = make_engine(url)
    try:
        assert len(sa.inspect(eng).get_table_names()) >= len(metadata.tables)
        downgrade(url, "base")
        leftover = set(sa.inspect(eng).get_table_names()) - {"alembic_version"}
        assert leftover == set()
        migrate(url)
        assert _drift(eng) == []
    finally:
        eng.dispose()
        if cleanup:
            drop_postgres_database(*cleanup)
