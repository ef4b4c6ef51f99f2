"""SQL building blocks shared by the resource modules' scopes (WHERE clauses)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement, False_
from sqlmodel import Session, col


def id_in(column: object, ids: frozenset[int]) -> ColumnElement[bool]:
    """``column IN ids``; no ids matches nothing."""
    if not ids:
        return sa.false()
    return col(column).in_(sorted(ids))


def id_eq(column: object, value: int | None) -> ColumnElement[bool]:
    """``column = value``; a principal without that id matches nothing (never ``IS NULL``)."""
    if value is None:
        return sa.false()
    return col(column) == value


def is_false(clause: ColumnElement[bool]) -> bool:
    """A predicate known to be false without asking the database."""
    return isinstance(clause, False_)


def row_matches(session: Session, id_column: object, object_id: int, clause: ColumnElement[bool]) -> bool:
    """Whether the row ``id_column = object_id`` exists and satisfies ``clause``."""
    return bool(session.scalar(sa.select(sa.exists().where(col(id_column) == object_id, clause))))
