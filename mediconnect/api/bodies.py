"""Reading JSON request bodies: size-capped, an object, typed fields; bad input is DASH_004."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request

from mediconnect.core.errors import DashboardError, DashErrorCode

SMALL_BODY = 16 * 1024


def bad(detail: str) -> DashboardError:
    return DashboardError(DashErrorCode.DASH_004, detail)


async def read_json(request: Request, limit: int = SMALL_BODY) -> dict[str, Any]:
    """The body as a JSON object ({} when empty); refused past ``limit`` bytes without reading on."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise bad("request body too large")
    raw = b""
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > limit:
            raise bad("request body too large")
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        raise bad("the body must be JSON") from None
    if not isinstance(data, dict):
        raise bad("the body must be a JSON object")
    return data


def int_field(data: dict[str, Any], name: str, *, required: bool = True) -> int | None:
    """A positive id: a JSON integer, or its digits as a string."""
    value = data.get(name)
    if value is None:
        if required:
            raise bad(f"{name} is required")
        return None
    if isinstance(value, str) and value.isdigit() and len(value) <= 12:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value < 10**12:
        raise bad(f"{name} must be a positive integer")
    return value


def str_field(data: dict[str, Any], name: str, limit: int = 300) -> str | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > limit:
        raise bad(f"{name} must be a string of at most {limit} characters")
    return value
