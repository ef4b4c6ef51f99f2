"""The time zone a clinic's times are shown and counted in: the clinic's own, else the
practice's default from Settings (``TIMEZONE``). One place, so no module spells a zone name."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mediconnect.core.settings import get_settings
from mediconnect.models.clinics import Clinic


def default_zone() -> ZoneInfo:
    return ZoneInfo(get_settings().TIMEZONE)


def zone_named(name: str | None) -> ZoneInfo:
    """``name`` (a clinic's ``timezone``) as a zone; the Settings default when empty or unknown."""
    if not name:
        return default_zone()
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return default_zone()


def clinic_zone(clinic: Clinic | None) -> ZoneInfo:
    return zone_named(clinic.timezone if clinic is not None else None)
