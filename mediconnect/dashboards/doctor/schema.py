"""The doctor dashboard's response (spec: GET /api/dashboard/doctor/), typed.

Held against ``api/spec_examples/doctor_dashboard.json`` by ``tests/dashboards/test_schemas.py``.
Field order is the wire order. Beyond the spec (marked ``extension``): a patient alert's
``due_date`` (overdue follow-ups), ``recorded_at`` and ``readings`` (abnormal vitals). Keys the
spec shows on only some alerts (``last_visit``, ``medications``) are optional and left out of the
JSON when unset.
"""

from __future__ import annotations

from pydantic import Field

from mediconnect.dashboards.kit.schema import IsoDate, IsoInstant, Money, Rate, Schema, extension


class DoctorAffiliation(Schema):
    clinic_id: int
    clinic_name: str
    role: str
    is_primary: bool


class DoctorInfo(Schema):
    id: int
    name: str
    specialization: str
    license_number: str
    clinic_affiliations: list[DoctorAffiliation]


class DoctorTodayAppointments(Schema):
    total: int
    completed: int
    upcoming: int
    cancelled: int
    no_show: int


class DoctorTodayPatients(Schema):
    new: int
    returning: int
    total_seen: int


class DoctorTodayRevenue(Schema):
    generated: Money
    target: Money
    achievement_rate: float


class DoctorEfficiency(Schema):
    avg_appointment_duration: float = Field(description="Minutes")
    on_time_percentage: float = Field(description="Percent, 0-100")
    patient_wait_time: float = Field(description="Minutes")


class DoctorTodayMetrics(Schema):
    date: IsoDate
    appointments: DoctorTodayAppointments
    patients: DoctorTodayPatients
    revenue: DoctorTodayRevenue
    efficiency: DoctorEfficiency


class DoctorWeekAppointments(Schema):
    total: int
    completion_rate: Rate
    cancellation_rate: Rate
    no_show_rate: Rate


class DoctorWeekPatients(Schema):
    total_patients: int
    new_patients: int
    retention_rate: Rate
    satisfaction_avg: float


class DoctorInsuranceSplit(Schema):
    insurance: Rate
    private: Rate


class DoctorWeekRevenue(Schema):
    weekly_total: Money
    avg_per_appointment: Money
    insurance_vs_private: DoctorInsuranceSplit


class DoctorWeeklySummary(Schema):
    period: str
    appointments: DoctorWeekAppointments
    patient_metrics: DoctorWeekPatients
    revenue: DoctorWeekRevenue


class DoctorWeekTrend(Schema):
    week: int
    total: int
    completed: int
    revenue: Money


class DoctorPatientGrowth(Schema):
    new_patients: int
    vs_last_month: float
    trend: str


class DoctorPerformanceIndicators(Schema):
    punctuality: Rate
    documentation_completeness: Rate
    follow_up_compliance: Rate


class DoctorMonthlyTrends(Schema):
    current_month: str = Field(description="YYYY-MM")
    appointments: list[DoctorWeekTrend]
    patient_growth: DoctorPatientGrowth
    performance_indicators: DoctorPerformanceIndicators


class DoctorUpcomingPatient(Schema):
    id: int
    name: str
    age: int | None
    last_visit: IsoDate | None
    condition: str | None


class DoctorUpcomingAppointment(Schema):
    id: int
    patient: DoctorUpcomingPatient
    scheduled_time: IsoInstant
    type: str
    duration_minutes: int
    notes: str | None
    preparation_required: list[str]


class DoctorPatientAlert(Schema):
    type: str
    patient_id: int
    patient_name: str
    message: str
    priority: str
    last_visit: IsoDate | None = None
    due_date: IsoDate | None = extension("Extension: the follow-up's due date (overdue_followup)", None)
    medications: list[str] | None = None
    recorded_at: IsoDate | None = extension("Extension: day of the abnormal reading (abnormal_vitals)", None)
    readings: dict[str, int | float] | None = extension(
        "Extension: the out-of-range readings by name (abnormal_vitals)", None
    )


class DoctorInsight(Schema):
    category: str
    insight: str
    impact: str
    recommendation: str


class DoctorQuickAction(Schema):
    action: str
    label: str
    url: str
    count: int


class DoctorDashboard(Schema):
    doctor_info: DoctorInfo
    today_metrics: DoctorTodayMetrics
    weekly_summary: DoctorWeeklySummary
    monthly_trends: DoctorMonthlyTrends
    upcoming_appointments: list[DoctorUpcomingAppointment]
    patient_alerts: list[DoctorPatientAlert]
    performance_insights: list[DoctorInsight]
    quick_actions: list[DoctorQuickAction]
