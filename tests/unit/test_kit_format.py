"""features/kit/format: the one money format, percentages, and times in the clinic's zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from mediconnect.core import money as core_money
from mediconnect.core.settings import Settings
from mediconnect.features.kit import format as fmt

NBSP = "\u00a0"


def test_money_is_the_billing_format() -> None:
    assert fmt.money(Decimal("1250")) == f"R1{NBSP}250.00"
    assert fmt.money("1234567.5") == f"R1{NBSP}234{NBSP}567.50"
    assert fmt.money(0) == "R0.00"
    assert fmt.money(Decimal("-10")) == "-R10.00"
    # Half-up to cents, not banker's rounding.
    assert fmt.money("0.005") == "R0.01"
    assert fmt.money(None) == ""
    assert fmt.money("") == ""


def test_money_follows_the_settings_currency(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(core_money, "get_settings", lambda: Settings(CURRENCY="USD", _env_file=None))  # type: ignore[call-arg]
    assert fmt.money("5") == "$5.00"
    monkeypatch.setattr(core_money, "get_settings", lambda: Settings(CURRENCY="XYZ", _env_file=None))  # type: ignore[call-arg]
    assert fmt.money("5") == "XYZ5.00"


def test_money_input_and_percent() -> None:
    assert fmt.money_input("1250") == "1250.00"
    assert fmt.money_input(None) == ""
    assert fmt.percent("80.00") == "80%"
    assert fmt.percent("12.5") == "12.5%"
    assert fmt.percent(None) == "—"


def test_zone_is_the_clinics_else_the_settings_default(monkeypatch: pytest.MonkeyPatch) -> None:
    from mediconnect.services import zones

    monkeypatch.setattr(zones, "get_settings", lambda: Settings(TIMEZONE="Europe/London", _env_file=None))  # type: ignore[call-arg]
    assert str(fmt.zone("Africa/Nairobi")) == "Africa/Nairobi"
    assert str(fmt.zone(None)) == "Europe/London"
    assert str(fmt.zone("Not/AZone")) == "Europe/London"


def test_times_are_shown_in_the_clinic_zone() -> None:
    moment = datetime(2026, 11, 21, 22, 5, tzinfo=UTC)
    assert fmt.hhmm(moment, "Africa/Johannesburg") == "00:05"
    assert fmt.local_time(moment, "Africa/Johannesburg") == "22 Nov 2026, 00:05"
    assert fmt.local_day(moment, "Africa/Johannesburg") == "22 Nov 2026"
    # A naive timestamp (SQLite) is UTC.
    assert fmt.hhmm(moment.replace(tzinfo=None), "Africa/Johannesburg") == "00:05"
    assert fmt.short_when("2026-11-21T07:50:00+00:00", "Africa/Johannesburg") == "Sat 21 Nov 2026, 09:50"
    assert fmt.when(moment, "Africa/Johannesburg") == "Sunday 22 November 2026, 00:05"
    assert fmt.local_day(date(2026, 11, 21)) == "21 Nov 2026"
    assert fmt.local_day("2026-11-21") == "21 Nov 2026"
    assert fmt.local_day(None) == "" and fmt.local_time(None) == ""


def test_label_of() -> None:
    assert fmt.label_of("partially_paid") == "Partially paid"
    assert fmt.label_of(None) == ""
