"""Writing rows: SQLAlchemy Core executemany in batches on SQLite (the column types' processors
format datetimes and Decimals), COPY FROM STDIN on PostgreSQL. One transaction per table, every
column given explicitly (ids included), and sequences moved past the loaded ids at the end.

PostgreSQL: per-row foreign-key triggers dominated the load time (measured: about two thirds of
a 15-minute large seed). When the role may (superuser), the session sets
`session_replication_role = replica`, which skips only those triggers, as pg_restore
--disable-triggers does; CHECK, NOT NULL and UNIQUE constraints and every index are still
enforced row by row. Afterwards every foreign key of every seeded table is validated with one
set-based anti-join (about 20 s for the large scale), and the seed fails loudly on any orphan."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Engine
from tqdm import tqdm

from mediconnect.models import metadata

BATCH = 5_000


class Writer:
    def __init__(self, engine: Engine, progress: bool) -> None:
        self.engine = engine
        self.progress = progress
        self.counts: dict[str, int] = {}
        self.seconds: dict[str, float] = {}

    def _check(self, table: str, columns: Sequence[str]) -> sa.Table:
        tbl = metadata.tables[table]
        missing = set(tbl.c.keys()) - set(columns)
        unknown = set(columns) - set(tbl.c.keys())
        if missing or unknown:
            # Every column explicit: no server or client defaults (like created_at=now()) may leak
            # into the data, or two runs would differ.
            raise ValueError(f"{table}: missing columns {sorted(missing)}, unknown {sorted(unknown)}")
        return tbl

    def bar(self, desc: str, total: int | None) -> tqdm:
        return tqdm(
            total=total,
            desc=f"{desc:<28}",
            unit=" rows",
            leave=False,
            disable=None if self.progress else True,
            dynamic_ncols=True,
            mininterval=0.5,
        )

    def write(
        self, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]], total: int | None
    ) -> int:
        tbl = self._check(table, columns)
        started = time.perf_counter()
        with self.bar(table, total) as bar:
            n = self._write(tbl, list(columns), rows, bar)
        self.counts[table] = self.counts.get(table, 0) + n
        self.seconds[table] = self.seconds.get(table, 0.0) + time.perf_counter() - started
        return n

    def _write(self, tbl: sa.Table, columns: list[str], rows: Iterable[tuple[Any, ...]], bar: tqdm) -> int:
        raise NotImplementedError

    def finish(self) -> None:
        """Called once after every table is written."""

    def close(self) -> None:
        """Release connections."""


class SqliteWriter(Writer):
    def finish(self) -> None:
        with self.engine.begin() as conn:
            bad = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if bad:
                raise RuntimeError(f"foreign keys violated by the seed: {bad[:5]}")
            conn.exec_driver_sql("ANALYZE")

    def _write(self, tbl: sa.Table, columns: list[str], rows: Iterable[tuple[Any, ...]], bar: tqdm) -> int:
        stmt = sa.insert(tbl)
        n = 0
        with self.engine.begin() as conn:
            batch: list[dict[str, Any]] = []
            for row in rows:
                batch.append(dict(zip(columns, row, strict=True)))
                if len(batch) >= BATCH:
                    conn.execute(stmt, batch)
                    n += len(batch)
                    bar.update(len(batch))
                    batch = []
            if batch:
                conn.execute(stmt, batch)
                n += len(batch)
                bar.update(len(batch))
        return n


class PostgresWriter(Writer):
    def __init__(self, engine: Engine, progress: bool) -> None:
        super().__init__(engine, progress)
        self.raw = engine.raw_connection()
        self.conn: Any = self.raw.driver_connection  # a psycopg 3 Connection
        self.triggers_skipped = False
        with self.conn.cursor() as cur:
            cur.execute("SET synchronous_commit = off")  # one commit per table; a crash means re-seeding
            try:
                cur.execute("SET session_replication_role = replica")
                self.triggers_skipped = True
            except Exception:
                self.conn.rollback()
        self.conn.commit()

    def _write(self, tbl: sa.Table, columns: list[str], rows: Iterable[tuple[Any, ...]], bar: tqdm) -> int:
        json_cols = [i for i, c in enumerate(columns) if isinstance(tbl.c[c].type, sa.JSON)]
        cols = ", ".join(f'"{c}"' for c in columns)
        n = 0
        with self.conn.cursor() as cur, cur.copy(f'COPY "{tbl.name}" ({cols}) FROM STDIN') as copy:
            write = copy.write_row
            for row in rows:
                if json_cols:
                    row = list(row)
                    for i in json_cols:
                        row[i] = json.dumps(row[i])
                write(row)
                n += 1
                if not n % 20_000:
                    bar.update(20_000)
            bar.update(n % 20_000)
        self.conn.commit()
        return n

    def validate_foreign_keys(self) -> None:
        """Every foreign key of every written table, checked in one anti-join each."""
        problems = []
        with self.conn.cursor() as cur:
            cur.execute("SET LOCAL work_mem = '256MB'")
            for tbl in metadata.sorted_tables:
                if not self.counts.get(tbl.name):
                    continue
                for fk in tbl.foreign_key_constraints:
                    col, ref = fk.columns[0].name, fk.elements[0].column
                    cur.execute(
                        f'SELECT count(*) FROM "{tbl.name}" c WHERE c."{col}" IS NOT NULL AND NOT EXISTS '
                        f'(SELECT 1 FROM "{ref.table.name}" p WHERE p."{ref.name}" = c."{col}")'
                    )
                    orphans = cur.fetchone()[0]
                    if orphans:
                        problems.append(f"{tbl.name}.{col} -> {ref.table.name}: {orphans} orphans")
        self.conn.commit()
        if problems:
            raise RuntimeError("foreign keys violated by the seed: " + "; ".join(problems))

    def finish(self) -> None:
        """Validate foreign keys (when their triggers were skipped), move every id sequence past the
        ids loaded explicitly, and refresh planner statistics."""
        with self.bar("foreign keys, sequences", None):
            if self.triggers_skipped:
                with self.conn.cursor() as cur:
                    cur.execute("SET session_replication_role = DEFAULT")
                self.conn.commit()
                self.validate_foreign_keys()
            self._sequences_and_statistics()

    def _sequences_and_statistics(self) -> None:
        with self.conn.cursor() as cur:
            for tbl in metadata.sorted_tables:
                if "id" not in tbl.c or not tbl.c.id.primary_key:
                    continue
                cur.execute("SELECT pg_get_serial_sequence(%s, 'id')", (tbl.name,))
                seq = cur.fetchone()[0]
                if seq:
                    cur.execute(
                        f'SELECT setval(%s, COALESCE((SELECT max(id) FROM "{tbl.name}"), 0) + 1, false)',
                        (seq,),
                    )
        self.conn.commit()
        self.conn.autocommit = True
        with self.conn.cursor() as cur:
            cur.execute("ANALYZE")
        self.conn.autocommit = False

    def close(self) -> None:
        self.raw.close()


def make_writer(engine: Engine, progress: bool) -> Writer:
    if engine.dialect.name == "postgresql":
        return PostgresWriter(engine, progress)
    if engine.dialect.name == "sqlite":
        return SqliteWriter(engine, progress)
    raise ValueError(f"unsupported database: {engine.dialect.name}")
