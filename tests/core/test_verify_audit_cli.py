"""`python -m mediconnect.cli verify-audit` passes an intact chain and names the edited row."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session

from mediconnect.cli import main
from mediconnect.core.audit import record
from mediconnect.core.db import make_engine
from tests.support.databases import migrate


def test_verify_audit_command(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'audit.db'}"
    migrate(url)
    engine = make_engine(url)
    with Session(engine) as s:
        for i in range(5):
            record(s, principal_or_user_id=1, role="doctor", action="patient.view", patient_id=i,
                   resource_type="patient", resource_id=str(i))  # fmt: skip
            s.commit()
    assert main(["verify-audit", "--database-url", url]) == 0
    assert "audit chain OK: 5 rows" in capsys.readouterr().out

    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE audit_log SET patient_id = 99 WHERE id = 3"))
    assert main(["verify-audit", "--database-url", url]) == 1
    assert "BROKEN at row 3" in capsys.readouterr().err
    engine.dispose()
