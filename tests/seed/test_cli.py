"""Refusing a non-empty database, --if-empty, and the CLI's exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from mediconnect import cli
from mediconnect.core.db import make_engine
from mediconnect.seed.demo_accounts import DEMO_PASSWORD
from mediconnect.seed.runner import SeedRefused
from tests.seed.helpers import seed_tiny


def appointment_count(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as conn:
        n = conn.execute(sa.text("SELECT count(*) FROM appointments")).scalar_one()
    engine.dispose()
    return n


def test_refuses_a_database_with_data(tiny_url: str) -> None:
    before = appointment_count(tiny_url)
    with pytest.raises(SeedRefused, match="already has data"):
        seed_tiny(tiny_url)
    assert appointment_count(tiny_url) == before


def test_if_empty_is_a_no_op(tiny_url: str) -> None:
    before = appointment_count(tiny_url)
    assert seed_tiny(tiny_url, if_empty=True).skipped
    assert appointment_count(tiny_url) == before


def test_cli_exit_codes(tiny_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["seed", "--scale", "tiny", "--today", "2026-03-10", "--no-progress", "--database-url"]
    assert cli.main([*args, tiny_url]) == 2
    assert "already has data" in capsys.readouterr().err
    assert cli.main([*args, tiny_url, "--if-empty"]) == 0
    assert "nothing to do" in capsys.readouterr().out
    # an unmigrated database is refused with a pointer to `migrate`
    assert cli.main([*args, f"sqlite:///{tmp_path / 'blank.db'}"]) == 2
    assert "migrate" in capsys.readouterr().err


def test_demo_logins_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["demo-logins"]) == 0
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out and "admin@demo.mediconnect.local" in out
