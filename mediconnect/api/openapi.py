"""The API's OpenAPI 3.1 document (``GET /api/openapi.json``) and its HTML page (``GET /api/docs/``).

The dashboard routes are described in full: parameters, the response schemas (inferred from the
spec's own example responses, kept verbatim in ``api/spec_examples/``: every key required,
money a "0.00" string, dates and times formatted) and every error response with its DASH code.
Every other /api route is listed from the app itself (``router.collect_routes``), so none can be
missing: method, path parameters, bearer or public, and the summary and paragraph its module's
docstring gives it. The WebSocket is described under ``x-websockets`` (OpenAPI has no
WebSocket object). Both routes are public: the document holds no data, only the interface.
"""

from __future__ import annotations

import inspect
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

from mediconnect.api.auth_guard import access_of, public
from mediconnect.api.openapi_html import render
from mediconnect.core.errors import DashErrorCode

EXAMPLES = Path(__file__).with_name("spec_examples")
MONEY = re.compile(r"^-?\d+\.\d{2}$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
# Objects whose keys are data (equipment kinds), not a fixed structure.
MAPS = frozenset({"equipment"})
# Figures that are null when there is nothing to compute them from (no feedback, no visit yet).
NULLABLE = frozenset(
    """satisfaction_avg patient_satisfaction satisfaction_score satisfaction average_wait_time
    patient_wait_time avg_appointment_duration on_time_percentage last_visit age condition notes
    vs_last_month vs_target achievement_rate target average average_collection_time peak_time
    peak_day established accreditation retention retention_rate punctuality documentation
    documentation_completeness follow_up_compliance efficiency_score""".split()  # noqa: SIM905
)


def example(name: str) -> Any:
    return json.loads((EXAMPLES / f"{name}.json").read_text())


def _scalar(name: str, value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        out: dict[str, Any] = {"type": "boolean"}
    elif isinstance(value, int) and not name.startswith(("average", "avg_")):
        out = {"type": "integer"}
    elif isinstance(value, int | float):
        out = {"type": "number"}
    elif isinstance(value, str) and MONEY.match(value):
        out = {"type": "string", "pattern": MONEY.pattern, "description": "money, two decimals"}
    elif isinstance(value, str) and DATETIME.match(value):
        out = {"type": "string", "format": "date-time"}
    elif isinstance(value, str) and DATE.match(value):
        out = {"type": "string", "format": "date"}
    else:
        out = {"type": "string"}
    if name in NULLABLE:
        out["type"] = [out["type"], "null"]
    return out


def _merge(schemas: list[dict[str, Any]]) -> dict[str, Any]:
    """The schema of a list's items: properties of every example item, required those in all."""
    if not schemas or schemas[0].get("type") != "object" or "properties" not in schemas[0]:
        return schemas[0] if schemas else {}
    props: dict[str, Any] = {}
    for s in schemas:
        for key, sub in s["properties"].items():
            props.setdefault(key, sub)
    required = [k for k in props if all(k in s["properties"] for s in schemas)]
    return {"type": "object", "properties": props, "required": required, "additionalProperties": False}


def schema_of(value: Any, name: str = "") -> dict[str, Any]:
    """JSON Schema 2020-12 of a spec example."""
    if isinstance(value, dict):
        if name in MAPS:
            return {"type": "object", "additionalProperties": {"type": "number"}, "example": value}
        props = {k: schema_of(v, k) for k, v in value.items()}
        return {"type": "object", "properties": props, "required": list(value), "additionalProperties": False}
    if isinstance(value, list):
        return {"type": "array", "items": _merge([schema_of(v, name) for v in value])}
    return _scalar(name, value)


BY_HOUR = {
    "type": "array",
    "description": "Beyond the spec: today's live appointments by clinic-local start hour, and arrivals"
    " (check-ins) per hour.",
    "items": {
        "type": "object",
        "properties": {
            "hour": {"type": "string", "example": "08:00"},
            "booked": {"type": "integer"},
            "arrived": {"type": "integer"},
        },
        "required": ["hour", "booked", "arrived"],
        "additionalProperties": False,
    },
}


def with_extensions(clinic: dict[str, Any]) -> dict[str, Any]:
    """The clinic schema plus what we return beyond the spec (optional, so spec clients are unaffected)."""
    flow = clinic["properties"]["operational_metrics"]["properties"]["today"]["properties"]["patient_flow"]
    flow["properties"]["by_hour"] = BY_HOUR
    return clinic


def _error_response(codes: list[DashErrorCode]) -> dict[str, Any]:
    text = "; ".join(f"{c.code} {c.message}" for c in codes)
    return {
        "description": text,
        "content": {
            "application/json": {
                "schema": {"$ref": "#/components/schemas/Error"},
                "examples": {
                    c.code: {"value": {"code": c.code, "message": c.message, "detail": c.description}}
                    for c in codes
                },
            }
        },
    }


def errors(*codes: DashErrorCode) -> dict[str, Any]:
    by_status: dict[int, list[DashErrorCode]] = {}
    for c in codes:
        by_status.setdefault(c.http_status, []).append(c)
    out = {str(status): _error_response(group) for status, group in sorted(by_status.items())}
    out["401"] = {
        "description": "AUTH_00x: no, or an invalid, bearer token",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    return out


D = DashErrorCode
COMMON = (D.DASH_002, D.DASH_003, D.DASH_006, D.DASH_007, D.DASH_009, D.DASH_010)
HEADERS = {
    "X-Cache": {
        "schema": {"type": "string", "enum": ["HIT", "MISS"]},
        "description": "served from the cache?",
    },
    "X-Generated-At": {
        "schema": {"type": "string", "format": "date-time"},
        "description": "figures computed at",
    },
    "Last-Modified": {"schema": {"type": "string"}, "description": "the same instant, HTTP-date"},
    "Cache-Control": {"schema": {"type": "string"}, "description": "private, no-store"},
}
CACHE_PARAM = {
    "name": "Cache-Control",
    "in": "header",
    "required": False,
    "schema": {"type": "string"},
    "description": "no-cache: recompute; only-if-cached: cached figures or 503 DASH_009 (RFC 9111)",
}


def _q(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def _get(
    summary: str, description: str, params: list[dict[str, Any]], schema: str, codes: tuple[D, ...]
) -> dict[str, Any]:
    ok = {
        "description": "the dashboard",
        "headers": HEADERS,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }
    return {
        "summary": summary,
        "description": description,
        "tags": ["dashboards"],
        "security": [{"bearer": []}],
        "parameters": [*params, CACHE_PARAM],
        "responses": {"200": ok, **errors(*codes)},
    }


DOCTOR_ID = _q("doctor_id", {"type": "integer", "minimum": 1}, "admins: the doctor to show (required)")
PERIOD_PARAMS = [
    _q(
        "period",
        {"type": "string", "enum": ["day", "week", "month", "quarter", "year"], "default": "month"},
        "the period",
    ),
    _q("start_date", {"type": "string", "format": "date"}, "custom range start (with end_date)"),
    _q("end_date", {"type": "string", "format": "date"}, "custom range end, inclusive"),
    _q("clinic_id", {"type": "integer", "minimum": 1}, "only this clinic's appointments"),
    _q("comparison", {"type": "boolean", "default": False}, "add the previous period's figures"),
]


def dashboard_paths() -> dict[str, Any]:
    clinic_param = {"name": "clinic_id", "in": "path", "required": True, "schema": {"type": "integer"}}
    type_param = {
        "name": "dashboard_type",
        "in": "path",
        "required": True,
        "schema": {
            "type": "string",
            "enum": ["doctor", "patient", "clinic", "admin", "billing", "analytics"],
        },
    }
    return {
        "/api/dashboard/doctor/": {
            "get": _get(
                "Doctor dashboard",
                "Doctors: their own. Admins: any, named with doctor_id.",
                [DOCTOR_ID],
                "DoctorDashboard",
                (D.DASH_004, *COMMON),
            )
        },
        "/api/dashboard/doctor/analytics/": {
            "get": _get(
                "Doctor analytics",
                "Doctors: their own. Admins: any, named with doctor_id. Bad values: DASH_004.",
                [DOCTOR_ID, *PERIOD_PARAMS],
                "DoctorAnalytics",
                (D.DASH_004, *COMMON),
            )
        },
        "/api/clinics/{clinic_id}/dashboard/": {
            "get": _get(
                "Clinic dashboard",
                "Admins; the clinic's affiliated doctors; its own staff.",
                [clinic_param],
                "ClinicDashboard",
                (D.DASH_005, *COMMON),
            )
        },
        "/api/dashboard/{dashboard_type}/": {
            "get": {
                "summary": "Dashboard by type",
                "tags": ["dashboards"],
                "security": [{"bearer": []}],
                "description": "doctor: as /api/dashboard/doctor/. Every other type: DASH_001, naming the "
                "dashboards that exist (clinic: /api/clinics/{clinic_id}/dashboard/).",
                "parameters": [type_param],
                "responses": {
                    "200": {"description": "type doctor: the doctor dashboard"},
                    **errors(D.DASH_001, D.DASH_010),
                },
            }
        },
    }


def _module_text(endpoint: Any) -> tuple[str, str]:
    """(summary, description) of a route from its module's docstring."""
    module = inspect.getmodule(inspect.unwrap(endpoint))
    doc = inspect.cleandoc(module.__doc__ or "") if module else ""
    first = doc.split("\n\n", 1)[0].replace("\n", " ").strip()
    return first.split(": ", 1)[0][:120] if first.startswith("``") else first[:120], doc


def _paragraph(doc: str, method: str, path: str) -> str:
    needle = path.rstrip("/")
    for para in doc.split("\n``")[1:] if "\n``" in doc else []:
        head = para.split("``", 1)[0]
        if needle and needle in head and (method in head or not re.match(r"[A-Z]+ ", head)):
            return "``" + para.strip()
    return ""


def other_paths(routes: list[BaseRoute], documented: set[str]) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for route in routes:
        if not isinstance(route, Route) or not route.path.startswith("/api/") or route.path in documented:
            continue
        summary, doc = _module_text(route.endpoint)
        params = [
            {"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
            for p in route.param_convertors
        ]
        for method in sorted((route.methods or {"GET"}) - {"HEAD"}):
            op: dict[str, Any] = {
                "summary": summary or route.path,
                "parameters": params,
                "responses": {"default": {"description": "see the description"}},
            }
            para = _paragraph(doc, method, route.path)
            op["description"] = para or doc
            if access_of(route.endpoint) == "bearer":
                op["security"] = [{"bearer": []}]
                op["responses"]["401"] = {"description": "no, or an invalid, bearer token"}
            paths.setdefault(route.path, {})[method.lower()] = op
    return paths


@cache
def document() -> dict[str, Any]:
    from mediconnect.api.dashboard_ws import __doc__ as ws_doc
    from mediconnect.api.router import collect_routes

    dash = dashboard_paths()
    schemas = {
        "Error": {
            "type": "object",
            "required": ["code", "message", "detail"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "detail": {"type": ["string", "null"]},
            },
        },
        "DoctorDashboard": schema_of(example("doctor_dashboard")),
        "ClinicDashboard": with_extensions(schema_of(example("clinic_dashboard"))),
        "DoctorAnalytics": {"type": "object", "description": "the doctor's figures over the chosen period"},
        "MetricUpdate": schema_of(example("ws_metric_update")),
        "Alert": schema_of(example("ws_alert")),
    }
    schemas["MetricUpdate"]["properties"]["data"]["properties"]["change"]["type"] = ["string", "null"]
    schemas["MetricUpdate"]["properties"]["data"]["properties"]["value"] = {}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "MediConnect API",
            "version": "1.0.0",
            "description": "JSON API of MediConnect. Bearer access tokens from POST /api/auth/token.",
        },
        "paths": {**dash, **other_paths(collect_routes(), set(dash))},
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
        },
        "x-websockets": {
            "/ws/dashboard/{dashboard_type}/": {
                "description": inspect.cleandoc(ws_doc or ""),
                "messages": ["#/components/schemas/MetricUpdate", "#/components/schemas/Alert"],
            }
        },
    }


@public
async def openapi_json(request: Request) -> Response:
    return JSONResponse(document(), headers={"Cache-Control": "public, max-age=300"})


@public
async def docs_page(request: Request) -> Response:
    return HTMLResponse(render(document()), headers={"Cache-Control": "public, max-age=300"})


routes: list[BaseRoute] = [
    Route("/api/openapi.json", openapi_json, methods=["GET"]),
    Route("/api/docs/", docs_page, methods=["GET"]),
]
