"""Work queued on a session that belongs to its transaction: kept on commit, dropped on rollback.

``events.publish`` and the PostgreSQL audit trail queue items here. A rollback of the whole
transaction drops everything; a rolled-back SAVEPOINT (``session.begin_nested()``) drops only
what was queued inside it, so a booking that loses a slot inside its savepoint and carries on
keeps what it queued before.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

_QUEUES_KEY = "mediconnect_after_commit"


class TransactionQueue:
    def __init__(self, name: str) -> None:
        self.name = name

    def _items(self, session: Session) -> list[tuple[SessionTransaction | None, Any]]:
        queues: dict[str, list[tuple[SessionTransaction | None, Any]]]
        queues = session.info.setdefault(_QUEUES_KEY, {})
        return queues.setdefault(self.name, [])

    def add(self, session: Session, item: Any) -> None:
        if not session.in_transaction():
            session.connection()  # begin now, so the commit or rollback that settles it fires
        self._items(session).append((session.get_nested_transaction(), item))

    def pending(self, session: Session) -> bool:
        return bool(session.info.get(_QUEUES_KEY, {}).get(self.name))

    def take(self, session: Session) -> list[Any]:
        queues = session.info.get(_QUEUES_KEY, {})
        items = queues.pop(self.name, [])
        return [item for _, item in items]


@event.listens_for(Session, "after_soft_rollback")
def _drop_rolled_back(session: Session, previous_transaction: SessionTransaction) -> None:
    queues: dict[str, list[tuple[SessionTransaction | None, Any]]] = session.info.get(_QUEUES_KEY, {})
    if not queues:
        return
    if not previous_transaction.nested:
        queues.clear()
        return
    for name, items in queues.items():
        queues[name] = [(txn, item) for txn, item in items if not _within(txn, previous_transaction)]


def _within(txn: SessionTransaction | None, rolled_back: SessionTransaction) -> bool:
    while txn is not None:
        if txn is rolled_back:
            return True
        txn = txn.parent
    return False
