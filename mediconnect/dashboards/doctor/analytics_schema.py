"""The doctor's analytics (spec: GET /api/dashboard/doctor/analytics/), typed.

The spec gives the query (``api/spec_examples/doctor_analytics_query.json``, ``AnalyticsQuery``)
but no response; the whole response shape is ours (``AnalyticsResponse`` is marked as an
extension) and is defined in ``dashboards/doctor/analytics.py``'s docstring.
"""

from __future__ import annotations

from datetime import date

from pydantic import ConfigDict, Field

from mediconnect.dashboards.doctor.schema import DoctorInsuranceSplit
from mediconnect.dashboards.kit.schema import EXTENSION, IsoDate, Money, Rate, Schema


class AnalyticsQuery(Schema):
    """The spec's query parameters (``doctor.analytics.parse_params`` reads them; bad: DASH_004)."""

    period: str = Field("month", description="day | week | month | quarter | year")
    start_date: date | None = None
    end_date: date | None = None
    clinic_id: int | None = None
    comparison: bool = Field(False, description="Compare with the previous range of equal length")


class AnalyticsPeriod(Schema):
    name: str
    start_date: IsoDate
    end_date: IsoDate


class AnalyticsAppointments(Schema):
    total: int
    completed: int
    cancelled: int
    no_show: int
    completion_rate: Rate
    cancellation_rate: Rate
    no_show_rate: Rate


class AnalyticsRevenue(Schema):
    total: Money
    avg_per_appointment: Money
    insurance_vs_private: DoctorInsuranceSplit


class AnalyticsPatients(Schema):
    unique: int
    new: int
    returning: int
    retention_rate: Rate


class AnalyticsEfficiency(Schema):
    avg_appointment_duration: float
    on_time_percentage: float
    patient_wait_time: float


class AnalyticsSatisfaction(Schema):
    average: float
    responses: int


class AnalyticsPoint(Schema):
    start: IsoDate
    end: IsoDate
    appointments: int
    completed: int
    revenue: Money


class AnalyticsSeries(Schema):
    bucket: str = Field(description="day | week | month")
    points: list[AnalyticsPoint]


class AnalyticsChanges(Schema):
    appointments: float
    completed: float
    revenue: float
    unique_patients: float
    new_patients: float
    completion_rate: float
    cancellation_rate: float
    no_show_rate: float
    retention_rate: float
    avg_appointment_duration: float
    on_time_percentage: float
    patient_wait_time: float
    satisfaction: float


class AnalyticsComparison(Schema):
    period: AnalyticsPeriod
    appointments: AnalyticsAppointments
    revenue: AnalyticsRevenue
    patients: AnalyticsPatients
    efficiency: AnalyticsEfficiency
    satisfaction: AnalyticsSatisfaction
    changes: AnalyticsChanges


class AnalyticsResponse(Schema):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={EXTENSION: True, "description": "Not in the spec: MediConnect's shape"},
    )

    doctor_id: int
    period: AnalyticsPeriod
    clinic_id: int | None
    appointments: AnalyticsAppointments
    revenue: AnalyticsRevenue
    patients: AnalyticsPatients
    efficiency: AnalyticsEfficiency
    satisfaction: AnalyticsSatisfaction
    series: AnalyticsSeries
    comparison: AnalyticsComparison | None
