"""Marks the Redis-backed variants of parametrised lockout tests so the backend tally counts them."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("make_lockout") == "redis":
            item.add_marker(pytest.mark.redis)
