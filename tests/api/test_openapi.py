"""The OpenAPI document and its HTML page: every /api route listed, the dashboards described in
full (parameters, the spec's response schemas, every error code), served without network."""

from __future__ import annotations

from typing import Any

from starlette.routing import Route

from mediconnect.api.auth_guard import access_of
from mediconnect.api.openapi import example
from mediconnect.api.router import collect_routes
from tests.api import dashboard_world as dw
from tests.api.test_auth_tokens import call

DASHBOARDS = (
    "/api/dashboard/doctor/",
    "/api/dashboard/doctor/analytics/",
    "/api/clinics/{clinic_id}/dashboard/",
)


def doc() -> dict[str, Any]:
    r = call("GET", "/api/openapi.json")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    return r.json()


def test_every_api_route_is_listed_with_its_access() -> None:
    d = doc()
    assert d["openapi"] == "3.1.0" and d["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    for route in collect_routes():
        if not isinstance(route, Route) or not route.path.startswith("/api/"):
            continue
        item = d["paths"][route.path]
        for method in (route.methods or set()) - {"HEAD"}:
            op = item[method.lower()]
            assert op["summary"], route.path
            assert bool(op.get("security")) == (access_of(route.endpoint) == "bearer"), (method, route.path)
    assert "/ws/dashboard/{dashboard_type}/" in d["x-websockets"]


def test_module_docstrings_give_summaries_and_paragraphs() -> None:
    d = doc()
    book = d["paths"]["/api/appointments/book"]["post"]
    assert book["summary"].startswith("Appointments over JSON")
    assert "preparation_acknowledged" in book["description"]


def test_dashboard_routes_are_described_in_full() -> None:
    d = doc()
    for path in DASHBOARDS:
        op = d["paths"][path]["get"]
        assert op["security"] == [{"bearer": []}]
        assert {"X-Cache", "X-Generated-At", "Last-Modified"} <= set(op["responses"]["200"]["headers"])
        codes = {
            name for resp in op["responses"].values()
            for name in resp.get("content", {}).get("application/json", {}).get("examples", {})
        }  # fmt: skip
        assert {"DASH_002", "DASH_003", "DASH_006", "DASH_007", "DASH_009", "DASH_010"} <= codes, path
        assert "401" in op["responses"]
    analytics = {p["name"] for p in d["paths"]["/api/dashboard/doctor/analytics/"]["get"]["parameters"]}
    assert {"period", "start_date", "end_date", "clinic_id", "comparison", "doctor_id"} <= analytics
    by_type = d["paths"]["/api/dashboard/{dashboard_type}/"]["get"]
    assert (
        "404" in by_type["responses"]
        and "DASH_001" in by_type["responses"]["404"]["content"]["application/json"]["examples"]
    )


def test_response_schemas_are_the_spec_examples() -> None:
    d = doc()
    for name, schema in (("doctor_dashboard", "DoctorDashboard"), ("clinic_dashboard", "ClinicDashboard")):
        ex = example(name)
        ref = {"$ref": f"#/components/schemas/{schema}"}
        assert dw.schema_errors(ref, ex, d) == []
        broken = {**ex, "surprise": 1}
        assert dw.schema_errors(ref, broken, d) == ["$: unexpected key 'surprise'"]
        missing = dict(ex)
        missing.pop(next(iter(ex)))
        assert dw.schema_errors(ref, missing, d)
    money = d["components"]["schemas"]["ClinicDashboard"]["properties"]["financial_summary"]["properties"][
        "revenue"
    ]
    assert money["properties"]["today"]["pattern"] == r"^-?\d+\.\d{2}$"


def test_docs_page_is_plain_html_without_network() -> None:
    r = call("GET", "/api/docs/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    assert "<script" not in html and "https://" not in html and "http://" not in html
    for path in (*DASHBOARDS, "/api/appointments/book", "/ws/dashboard/{dashboard_type}/"):
        assert path in html
    assert "DASH_009" in html
