"""Signed, expiring values (core.signing): what the OIDC flow keeps in the browser."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from mediconnect.core import signing

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
SECRET = "a-test-secret-of-enough-length"


def make(data: dict[str, object] | None = None, **kwargs: object) -> str:
    options: dict[str, object] = {"purpose": "p", "ttl": timedelta(minutes=5), "now": NOW, "secret": SECRET}
    options.update(kwargs)
    return signing.sign(data if data is not None else {"ct": "tab", "n": 1}, **options)  # type: ignore[arg-type]


def test_round_trip_within_its_lifetime() -> None:
    value = make()

    assert signing.unsign(value, purpose="p", now=NOW + timedelta(minutes=4), secret=SECRET) == {
        "ct": "tab",
        "n": 1,
    }


def test_expired() -> None:
    with pytest.raises(signing.SignatureExpired):
        signing.unsign(make(), purpose="p", now=NOW + timedelta(minutes=5), secret=SECRET)


@pytest.mark.parametrize(
    ("mutate", "kwargs"),
    [
        (lambda v: v, {"purpose": "other"}),
        (lambda v: v, {"secret": "another-secret-of-enough-length"}),
        (lambda v: v[:-1] + ("A" if v[-1] != "A" else "B"), {}),
        (lambda v: "e30" + v[3:], {}),
        (lambda v: v.replace(".", ""), {}),
        (lambda v: "", {}),
        (lambda v: "x" * 5000, {}),
        (lambda v: v + "ü", {}),
    ],
)
def test_tampered_or_misused_values_are_refused(mutate, kwargs: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    options = {"purpose": "p", "now": NOW, "secret": SECRET, **kwargs}
    with pytest.raises(signing.SignatureError):
        signing.unsign(mutate(make()), **options)  # type: ignore[arg-type]


def test_none_is_refused_and_bad_arguments_raise() -> None:
    with pytest.raises(signing.SignatureError):
        signing.unsign(None, purpose="p", secret=SECRET)
    with pytest.raises(ValueError):
        make(ttl=timedelta(0))
    with pytest.raises(ValueError):
        make(purpose="")
    with pytest.raises(ValueError):
        make({"big": "x" * 5000})
