"""The live frames of ``/ws/dashboard/{dashboard_type}/`` (spec: "Real-Time Features"), typed.

Held against ``api/spec_examples/ws_metric_update.json`` and ``ws_alert.json`` by
``tests/dashboards/test_schemas.py``; ``api/dashboard_feed.py`` builds them. ``value`` is the
figure as the dashboard has it (a count, a rate, or money as its string); ``change`` is null on
the first frames of a socket (nothing to compare with yet).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from mediconnect.dashboards.kit.schema import IsoInstant, Schema


class MetricUpdateData(Schema):
    metric_name: str
    value: int | float | str | None = Field(description="The figure as the dashboard has it")
    timestamp: IsoInstant
    change: str | None = Field(description='Signed difference ("+3", "-150.00"); null when unknown')


class MetricUpdate(Schema):
    type: Literal["metric_update"]
    data: MetricUpdateData


class AlertData(Schema):
    severity: str
    message: str
    action_required: bool
    timestamp: IsoInstant


class Alert(Schema):
    type: Literal["alert"]
    data: AlertData
