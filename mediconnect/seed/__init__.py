"""Deterministic demo and benchmark data: `python -m mediconnect.cli seed --scale tiny|demo|large`.

The world is simulated in memory first (simulate.py and the *_sim modules), then every table is
streamed out by its emitter (emit_*.py) through a writer (writer.py): Core executemany on SQLite,
COPY on PostgreSQL."""
