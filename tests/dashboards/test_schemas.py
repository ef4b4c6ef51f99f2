"""Each dashboard schema against the spec's JSON example (``api/spec_examples/*.json``).

Every key of the example is a field of the model with the same nesting and JSON type (an object
is a model or a ``dict[str, X]``, an array a ``list[X]``, a number ``int``/``float``); a field
the example lacks must be marked ``extension`` (or be optional because the example shows it on
another item of the same list), unless a role-limited view names it in ``OMITS``. The builders'
output on the hand-built worlds validates and serialises back to the very same JSON.
"""

from __future__ import annotations

import json
import types
import typing
from pathlib import Path
from typing import Any, get_args, get_origin

import pytest
from pydantic import BaseModel
from sqlmodel import Session

from mediconnect.dashboards import clinic, doctor
from mediconnect.dashboards.clinic.schema import ClinicDashboard
from mediconnect.dashboards.doctor import analytics
from mediconnect.dashboards.doctor.analytics_schema import AnalyticsQuery, AnalyticsResponse
from mediconnect.dashboards.doctor.schema import DoctorDashboard
from mediconnect.dashboards.kit import daily_stats
from mediconnect.dashboards.kit.frames import Alert, MetricUpdate
from mediconnect.dashboards.kit.schema import EXTENSION, Schema, is_extension, wire
from tests.dashboards import clinic_world, doctor_world

EXAMPLES = Path(__file__).resolve().parents[2] / "mediconnect" / "api" / "spec_examples"
SCHEMAS: list[tuple[str, type[Schema]]] = [
    ("clinic_dashboard.json", ClinicDashboard),
    ("doctor_dashboard.json", DoctorDashboard),
    ("ws_metric_update.json", MetricUpdate),
    ("ws_alert.json", Alert),
]


def _example(name: str) -> Any:
    return json.loads((EXAMPLES / name).read_text())


def _strip_optional(tp: Any) -> Any:
    if get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return _strip_optional(args[0])
        return tuple(args)
    if get_origin(tp) is typing.Annotated:
        return _strip_optional(get_args(tp)[0])
    return tp


def _json_type_ok(value: Any, tp: Any) -> bool:
    tp = _strip_optional(tp)
    if get_origin(tp) is typing.Literal:
        return value in get_args(tp)
    if isinstance(tp, tuple):
        return any(_json_type_ok(value, t) for t in tp)
    if isinstance(value, bool):
        return tp is bool
    if isinstance(value, int):
        return tp in (int, float)
    if isinstance(value, float):
        return tp is float
    if isinstance(value, str):
        return tp is str
    return False


def _check(value: Any, tp: Any, path: str, problems: list[str]) -> None:
    tp = _strip_optional(tp)
    if isinstance(value, dict):
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            _check_model(value, tp, path, problems)
        elif get_origin(tp) is dict:
            for key, item in value.items():
                _check(item, get_args(tp)[1], f"{path}.{key}", problems)
        else:
            problems.append(f"{path}: an object in the example, {tp!r} in the schema")
    elif isinstance(value, list):
        if get_origin(tp) is not list:
            problems.append(f"{path}: an array in the example, {tp!r} in the schema")
            return
        (item_tp,) = get_args(tp)
        if value and all(isinstance(v, dict) for v in value) and isinstance(_strip_optional(item_tp), type):
            merged: dict[str, Any] = {}
            for item in value:  # keys shown on any item of the list
                merged.update(item)
            _check(merged, item_tp, f"{path}[]", problems)
        else:
            for item in value:
                _check(item, item_tp, f"{path}[]", problems)
    elif not _json_type_ok(value, tp):
        problems.append(f"{path}: {type(value).__name__} {value!r} in the example, {tp!r} in the schema")


def _check_model(example: dict[str, Any], model: type[BaseModel], path: str, problems: list[str]) -> None:
    hints = typing.get_type_hints(model, include_extras=True)
    omits = getattr(model, "OMITS", ())
    for key, value in example.items():
        if key in omits:
            continue
        if key not in model.model_fields:
            problems.append(f"{path}.{key}: in the example, not in {model.__name__}")
            continue
        _check(value, hints[key], f"{path}.{key}", problems)
    for name in model.model_fields:
        if name not in example and not is_extension(model, name):
            problems.append(f"{path}.{name}: in {model.__name__} but not in the example nor marked extension")


@pytest.mark.parametrize(("example", "model"), SCHEMAS, ids=[m.__name__ for _, m in SCHEMAS])
def test_schema_holds_the_spec_example(example: str, model: type[Schema]) -> None:
    problems: list[str] = []
    _check_model(_example(example), model, "", problems)
    assert problems == []
    model.model_validate(_example(example))  # and the example itself is a valid response


def test_extensions_are_documented() -> None:
    marked = 0
    for model in _models(ClinicDashboard) | _models(DoctorDashboard):
        for name, info in model.model_fields.items():
            if is_extension(model, name):
                marked += 1
                assert info.description and info.description.startswith("Extension:"), (model, name)
    assert marked >= 4  # by_hour, due_date, recorded_at, readings
    assert ClinicDashboard.model_json_schema()["$defs"]["ClinicPatientFlow"]["properties"]["by_hour"][
        EXTENSION
    ]


def _models(root: type[BaseModel]) -> set[type[BaseModel]]:
    out = {root}
    for tp in typing.get_type_hints(root).values():
        for arg in (tp, *get_args(tp), *(a for t in get_args(tp) for a in get_args(t))):
            if isinstance(arg, type) and issubclass(arg, BaseModel) and arg not in out:
                out |= _models(arg)
    return out


def test_analytics_query_is_the_spec_query() -> None:
    assert list(AnalyticsQuery.model_fields) == list(_example("doctor_analytics_query.json"))
    assert AnalyticsResponse.model_json_schema()[EXTENSION] is True


def test_builders_round_trip_through_the_schemas(session: Session) -> None:
    w = clinic_world.build(session)
    daily_stats.refresh(session)
    assert w.clinic.id is not None
    built = clinic.build(session=session, clinic_id=w.clinic.id, now=clinic_world.NOW)
    body = wire(built)
    assert json.dumps(wire(ClinicDashboard.model_validate(body))) == json.dumps(body)


def test_doctor_builders_round_trip_through_the_schemas(session: Session) -> None:
    w = doctor_world.build(session)
    assert w.smith.id is not None
    built = doctor.build(session=session, doctor_id=w.smith.id, now=doctor_world.NOW)
    body = wire(built)
    assert json.dumps(wire(DoctorDashboard.model_validate(body))) == json.dumps(body)
    params = analytics.parse_params({"comparison": "true"})
    shown = analytics.build(session=session, doctor_id=w.smith.id, params=params, now=doctor_world.NOW)
    body = wire(shown)
    assert json.dumps(wire(AnalyticsResponse.model_validate(body))) == json.dumps(body)
