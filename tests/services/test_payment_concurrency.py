"""Desks paying one invoice at once: never more than the balance, one payment per idempotency
key. Real threads, one Session each, on a freshly migrated database that really commits
(SQLite file, and PostgreSQL when TEST_DATABASE_URL is set)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from mediconnect.core.db import make_engine
from mediconnect.core.policy import principal_for
from mediconnect.models.billing import Invoice, Payment, PaymentStatus
from mediconnect.models.users import User
from mediconnect.services import payments
from mediconnect.services.invoice_figures import BillingError
from tests.conftest import DB_BACKENDS, PG_SERVER_URL
from tests.services import billing_world as bw
from tests.support.databases import create_postgres_database, drop_postgres_database, migrate

DESKS = 8


@pytest.fixture(params=DB_BACKENDS)
def committed_engine(request: pytest.FixtureRequest, tmp_root: Path) -> Iterator[sa.Engine]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_root / f'payments-{id(request)}.db'}"
        migrate(url)
        eng = make_engine(url)
        yield eng
        eng.dispose()
        return
    assert PG_SERVER_URL
    url = create_postgres_database(PG_SERVER_URL, "mediconnect_pay")
    migrate(url)
    eng = make_engine(url)
    yield eng
    eng.dispose()
    drop_postgres_database(PG_SERVER_URL, url)


def _arrange(engine: sa.Engine) -> tuple[int, int, int]:
    with Session(engine, expire_on_commit=False) as s:
        w = bw.world(s)
        _, a = bw.booked(s, w)
        _, b = bw.booked(s, w, patient=w.other_patient)
        s.commit()
        assert a.id and b.id and w.desk_user.id
        return a.id, b.id, w.desk_user.id


def _pay(engine: sa.Engine, user_id: int, invoice_id: int, amount: str, key: str | None,
         gate: threading.Barrier) -> object:  # fmt: skip
    gate.wait()
    with Session(engine, expire_on_commit=False) as s:
        try:
            user = s.get(User, user_id)
            assert user is not None
            principal = principal_for(s, user=user)
            pay = payments.record_payment(
                session=s, principal=principal, invoice_id=invoice_id, amount=amount, method="cash",
                idempotency_key=key,
            )  # fmt: skip
            s.commit()
            return pay.id
        except BillingError as exc:
            s.rollback()
            return exc.code


def _race(engine: sa.Engine, user_id: int, invoice_id: int, amount: str, key: str | None) -> list[object]:
    gate = threading.Barrier(DESKS)
    with ThreadPoolExecutor(max_workers=DESKS) as pool:
        futures = [pool.submit(_pay, engine, user_id, invoice_id, amount, key, gate) for _ in range(DESKS)]
        return [f.result() for f in futures]


def test_concurrent_desks_never_overpay(committed_engine: sa.Engine) -> None:
    a, b, desk = _arrange(committed_engine)
    full = _race(committed_engine, desk, a, "450.00", None)  # the whole patient portion, 8 times
    assert sorted(r for r in full if isinstance(r, str)) == ["overpayment"] * (DESKS - 1)
    keyed = _race(committed_engine, desk, b, "100.00", "same-key")  # one request retried 8 times
    assert len(set(keyed)) == 1 and isinstance(keyed[0], int)
    with Session(committed_engine) as s:
        inv_a, inv_b = s.get(Invoice, a), s.get(Invoice, b)
        assert inv_a and inv_b
        assert inv_a.amount_paid == Decimal("450.00") and inv_b.amount_paid == Decimal("100.00")
        rows = s.exec(select(Payment).where(Payment.status == PaymentStatus.COMPLETED)).all()
        assert sorted((p.invoice_id, p.amount) for p in rows) == [
            (a, Decimal("450.00")),
            (b, Decimal("100.00")),
        ]
