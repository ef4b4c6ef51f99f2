"""The service catalogue (scan types): list, create, edit, deactivate. Admins only, since a
service is sold by every clinic. Availability and pricing read exactly these rows, so every
change is audited and announces ``catalog_changed`` for every clinic after commit.

Functions flush; the surface commits. Bad input raises ``CatalogFormError`` naming every field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, TypedDict

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from mediconnect.core.policy import Principal
from mediconnect.models.catalog import Service, ServiceCategory
from mediconnect.models.clinics import Clinic, Modality, RoomType
from mediconnect.services.admin_access import admin_only
from mediconnect.services.catalog_access import CatalogFormError, catalog_changed, change, flag, text

RESOURCE = "service"
MAX_PRICE = Decimal("9999999999.99")


class ServiceRow(TypedDict):
    id: int
    code: str
    name: str
    category: str
    modality: str
    department_name: str
    duration_minutes: int
    price: str
    cost: str
    preparation: str
    preparation_items: list[str]
    fasting_hours: int
    room_type: str
    requires_equipment: bool
    referral_required: bool
    is_active: bool


@dataclass(frozen=True, slots=True)
class ServicePage:
    rows: list[ServiceRow]
    total: int
    page: int
    pages: int


def row(s: Service) -> ServiceRow:
    assert s.id is not None
    return ServiceRow(
        id=s.id,
        code=s.code,
        name=s.name,
        category=str(s.category),
        modality=str(s.modality),
        department_name=s.department_name,
        duration_minutes=s.duration_minutes,
        price=f"{s.price:.2f}",
        cost=f"{s.cost:.2f}",
        preparation=s.preparation or "",
        preparation_items=list(s.preparation_items or []),
        fasting_hours=s.fasting_hours,
        room_type=str(s.room_type),
        requires_equipment=s.requires_equipment,
        referral_required=s.referral_required,
        is_active=s.is_active,
    )


def list_services(
    *,
    session: Session,
    principal: Principal,
    search: str = "",
    include_inactive: bool = True,
    page: int = 1,
    page_size: int = 20,
) -> ServicePage:
    admin_only(session, principal=principal, resource_type=RESOURCE)
    query = select(Service)
    needle = search.strip()[:80]
    if needle:
        like = f"%{needle.lower()}%"
        query = query.where(
            sa.or_(
                func.lower(col(Service.name)).like(like),
                func.lower(col(Service.code)).like(like),
                func.lower(col(Service.department_name)).like(like),
            )
        )
    if not include_inactive:
        query = query.where(col(Service.is_active).is_(True))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    found = session.exec(
        query.order_by(col(Service.is_active).desc(), col(Service.name), col(Service.id))
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    return ServicePage(rows=[row(s) for s in found], total=total, page=page, pages=pages)


def _money(raw: str, name: str, errors: dict[str, str]) -> Decimal:
    try:
        value = Decimal(raw.replace(",", "").replace(" ", ""))
    except (InvalidOperation, ValueError):
        errors[name] = "Enter an amount such as 1250.00."
        return Decimal("0")
    if not value.is_finite() or value < 0 or value > MAX_PRICE:
        errors[name] = "Enter an amount of zero or more."
        return Decimal("0")
    if value != value.quantize(Decimal("0.01")):
        errors[name] = "Use at most two decimals (cents)."
    return value.quantize(Decimal("0.01"))


def _integer(raw: str, name: str, errors: dict[str, str], *, low: int, high: int, what: str) -> int:
    if not raw.lstrip("-").isdigit():
        errors[name] = f"Enter {what} as a whole number."
        return low
    value = int(raw)
    if not low <= value <= high:
        errors[name] = f"Enter {what} between {low} and {high}."
    return value


def _choice(raw: str, enum: Any, name: str, errors: dict[str, str], what: str) -> Any:
    try:
        return enum(raw)
    except ValueError:
        errors[name] = f"Choose a {what}."
        return next(iter(enum))


def _items(form: Mapping[str, Any]) -> list[str]:
    raw = form.get("preparation_items", "")
    lines = raw if isinstance(raw, list) else str(raw or "").splitlines()
    return [str(item).strip()[:200] for item in lines if str(item).strip()][:20]


def _parse(session: Session, form: Mapping[str, Any], *, current: int | None) -> dict[str, Any]:
    errors: dict[str, str] = {}
    code = text(form, "code").upper()
    name = text(form, "name")
    department = text(form, "department_name")
    preparation = text(form, "preparation")
    if not code or len(code) > 20 or not all(ch.isalnum() or ch in "-_" for ch in code):
        errors["code"] = "Enter a code of up to 20 letters, digits, - or _."
    elif session.exec(
        select(Service.id).where(func.upper(col(Service.code)) == code, col(Service.id) != (current or 0))
    ).first():
        errors["code"] = "Another service already uses this code."
    if not name or len(name) > 120:
        errors["name"] = "Enter a name of up to 120 characters."
    if not department or len(department) > 80:
        errors["department_name"] = "Enter the department (up to 80 characters)."
    if len(preparation) > 1000:
        errors["preparation"] = "Keep the preparation note under 1000 characters."
    values = {
        "code": code,
        "name": name,
        "department_name": department,
        "preparation": preparation or None,
        "preparation_items": _items(form),
        "category": _choice(text(form, "category"), ServiceCategory, "category", errors, "category"),
        "modality": _choice(text(form, "modality"), Modality, "modality", errors, "modality"),
        "room_type": _choice(text(form, "room_type"), RoomType, "room_type", errors, "room type"),
        "duration_minutes": _integer(
            text(form, "duration_minutes"), "duration_minutes", errors, low=5, high=480, what="the duration"
        ),
        "fasting_hours": _integer(
            text(form, "fasting_hours") or "0", "fasting_hours", errors, low=0, high=48, what="fasting hours"
        ),
        "price": _money(text(form, "price"), "price", errors),
        "cost": _money(text(form, "cost") or "0", "cost", errors),
        "requires_equipment": flag(form, "requires_equipment"),
        "referral_required": flag(form, "referral_required"),
    }
    if errors:
        raise CatalogFormError(errors)
    return values


def _announce(session: Session) -> None:
    """Every clinic sells every service: each clinic's open pages refresh."""
    for clinic_id in session.exec(select(Clinic.id)).all():
        if clinic_id is not None:
            catalog_changed(session, clinic_id)


def create_service(*, session: Session, principal: Principal, form: Mapping[str, Any]) -> ServiceRow:
    admin_only(session, principal=principal, resource_type=RESOURCE)
    service = Service(**_parse(session, form, current=None))
    session.add(service)
    session.flush()
    change(session, principal, "create", resource_type=RESOURCE, resource_id=service.id, detail=service.code)
    _announce(session)
    return row(service)


def _get(session: Session, service_id: int) -> Service:
    service = session.get(Service, service_id)
    if service is None:
        raise CatalogFormError({"form": "No such service: it may have been removed. Reload the list."})
    return service


def update_service(
    *, session: Session, principal: Principal, service_id: int, form: Mapping[str, Any]
) -> ServiceRow:
    admin_only(session, principal=principal, resource_type=RESOURCE)
    service = _get(session, service_id)
    values = _parse(session, form, current=service_id)
    changed = sorted(k for k, v in values.items() if getattr(service, k) != v)
    for key, value in values.items():
        setattr(service, key, value)
    session.add(service)
    session.flush()
    change(
        session,
        principal,
        "update",
        resource_type=RESOURCE,
        resource_id=service_id,
        detail="changed: " + (", ".join(changed) or "nothing"),
    )
    _announce(session)
    return row(service)


def set_service_active(
    *, session: Session, principal: Principal, service_id: int, active: bool
) -> ServiceRow:
    """Deactivate (no new bookings; existing ones stand) or reactivate a service."""
    admin_only(session, principal=principal, resource_type=RESOURCE)
    service = _get(session, service_id)
    if service.is_active != active:
        service.is_active = active
        session.add(service)
        session.flush()
        change(
            session,
            principal,
            "reactivate" if active else "deactivate",
            resource_type=RESOURCE,
            resource_id=service_id,
        )
        _announce(session)
    return row(service)


def deactivate_service(*, session: Session, principal: Principal, service_id: int) -> ServiceRow:
    return set_service_active(session=session, principal=principal, service_id=service_id, active=False)
