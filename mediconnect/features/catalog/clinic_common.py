"""Which clinic a /manage/clinics/<id>/ handler acts on. The id is read from the page URL on
every call and never trusted: each service checks the caller against that clinic
(``catalog_access.managed_clinic``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

import reflex as rx
from sqlmodel import Session

from mediconnect.core.policy import Principal

T = TypeVar("T")
_PATH = re.compile(r"/manage/clinics/(\d{1,9})(?:/|$)")


def route_clinic_id(state: rx.State) -> int:
    """The clinic id of the page's URL; 0 when there is none (every service refuses 0)."""
    raw = str(state.router.page.params.get("clinic_id", "") or "")
    if raw.isdigit() and len(raw) <= 9:
        return int(raw)
    found = _PATH.search(str(state.router.url.path or ""))
    return int(found.group(1)) if found else 0


def for_route_clinic(
    state: rx.State, work: Callable[[Session, Principal, int], T]
) -> Callable[[Session, Principal], T]:
    """``work`` for ``page_call``, given the clinic id of the page's URL read now."""
    clinic_id = route_clinic_id(state)
    return lambda db, principal: work(db, principal, clinic_id)


def form_text(form: dict[str, Any], name: str) -> str:
    value = form.get(name, "")
    return value.strip() if isinstance(value, str) else ""
