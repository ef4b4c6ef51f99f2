"""Hold a real answer against what the generated OpenAPI document promises for it."""

from __future__ import annotations

from functools import cache
from typing import Any

import httpx
import jsonschema_rs
from fastapi.routing import APIRoute

from mediconnect.api.openapi import document
from mediconnect.api.router import create_api


@cache
def _templates() -> list[tuple[Any, set[str], str]]:
    return [
        (route.path_regex, set(route.methods or ()), route.path_format)
        for route in create_api().routes
        if isinstance(route, APIRoute)
    ]


def schema_errors(response: httpx.Response) -> list[str]:
    """How ``response`` breaks the schema documented for its operation and status ([] if it fits)."""
    method, path = response.request.method, response.request.url.path
    template = next(t for regex, methods, t in _templates() if method in methods and regex.match(path))
    doc = document()
    answers = doc["paths"][template][method.lower()]["responses"]
    documented = answers.get(str(response.status_code))
    if documented is None:
        return [f"{method} {template}: status {response.status_code} is not documented"]
    schema = documented.get("content", {}).get("application/json", {}).get("schema")
    if schema is None:
        return []
    validator = jsonschema_rs.validator_for({**schema, "components": doc["components"]})
    return [
        f"{method} {template} {e.instance_path}: {e.message}" for e in validator.iter_errors(response.json())
    ]
