"""The clinic dashboard's response (spec: GET /api/clinics/{clinic_id}/dashboard/), typed.

Held against ``api/spec_examples/clinic_dashboard.json`` by ``tests/dashboards/test_schemas.py``.
Field order is the wire order. Beyond the spec: ``patient_flow.by_hour`` (marked ``extension``).
Keys the spec shows on only some items (an alert's ``recommendation`` or ``action_required``,
an event's ``duration`` or ``attendees``) are optional and left out of the JSON when unset.
"""

from __future__ import annotations

from pydantic import Field

from mediconnect.dashboards.kit.schema import IsoDate, IsoInstant, Money, Rate, Schema, extension


class ClinicInfo(Schema):
    id: int
    name: str
    location: str
    established: IsoDate | None
    status: str
    accreditation: str | None
    total_staff: int
    total_doctors: int
    departments: int


class ClinicTodayAppointments(Schema):
    total_scheduled: int
    completed: int
    in_progress: int
    cancelled: int
    no_show: int
    completion_rate: Rate


class ClinicHourFlow(Schema):
    hour: str = Field(description='Clinic-local hour, "HH:00"')
    booked: int
    arrived: int


class ClinicPatientFlow(Schema):
    total_patients: int
    new_patients: int
    returning_patients: int
    average_wait_time: float = Field(description="Minutes")
    patient_satisfaction: float
    by_hour: list[ClinicHourFlow] = extension(
        "Extension: today's appointments booked to start, and patients checked in, per clinic-local hour",
        [],
    )


class ClinicRooms(Schema):
    total: int
    occupied: int
    utilization_rate: Rate


class ClinicResourceUtilization(Schema):
    examination_rooms: ClinicRooms
    equipment: dict[str, float] = Field(description="Booked share of available minutes today, per modality")


class ClinicStaffMetrics(Schema):
    doctors_on_duty: int
    nurses_on_duty: int
    support_staff: int
    efficiency_score: float


class ClinicToday(Schema):
    date: IsoDate
    appointments: ClinicTodayAppointments
    patient_flow: ClinicPatientFlow
    resource_utilization: ClinicResourceUtilization
    staff_metrics: ClinicStaffMetrics


class ClinicWeekAppointments(Schema):
    total: int
    completion_rate: Rate
    average_per_day: float
    peak_day: str | None
    peak_time: str | None


class ClinicWeekRevenue(Schema):
    total: Money
    daily_average: Money
    vs_target: float | None
    trend: str


class ClinicWeekPatients(Schema):
    unique_patients: int
    new_patients: int
    retention_rate: Rate
    satisfaction_score: float


class ClinicWeeklyPerformance(Schema):
    period: str
    appointments: ClinicWeekAppointments
    revenue: ClinicWeekRevenue
    patient_metrics: ClinicWeekPatients


class ClinicOperationalMetrics(Schema):
    today: ClinicToday
    weekly_performance: ClinicWeeklyPerformance


class ClinicRevenue(Schema):
    today: Money
    week: Money
    month: Money
    year_to_date: Money


class ClinicBilling(Schema):
    outstanding_invoices: int
    total_outstanding: Money
    collection_rate: Rate
    average_collection_time: float = Field(description="Days")


class ClinicPaymentMethod(Schema):
    method: str
    percentage: Rate
    amount: Money


class ClinicFinancialSummary(Schema):
    revenue: ClinicRevenue
    billing: ClinicBilling
    payment_methods: list[ClinicPaymentMethod]


class ClinicDoctorAppointments(Schema):
    today: int
    week: int
    completion_rate: Rate


class ClinicDoctorPatients(Schema):
    satisfaction: float
    retention: Rate


class ClinicDoctorRevenue(Schema):
    week: Money
    avg_per_appointment: Money


class ClinicDoctorEfficiency(Schema):
    punctuality: Rate
    documentation: Rate


class ClinicDoctorPerformance(Schema):
    doctor_id: int
    name: str
    specialization: str | None
    appointments: ClinicDoctorAppointments
    patient_metrics: ClinicDoctorPatients
    revenue: ClinicDoctorRevenue
    efficiency: ClinicDoctorEfficiency


class ClinicDepartmentAppointments(Schema):
    today: int
    week: int
    month: int


class ClinicDepartmentRevenue(Schema):
    week: Money
    percentage_of_total: Rate


class ClinicWaitTimes(Schema):
    average: float
    target: float


class ClinicDepartmentMetrics(Schema):
    department: str
    appointments: ClinicDepartmentAppointments
    revenue: ClinicDepartmentRevenue
    utilization: Rate
    wait_times: ClinicWaitTimes


class ClinicAlert(Schema):
    type: str
    severity: str
    message: str
    recommendation: str | None = None
    action_required: str | None = None


class ClinicInsight(Schema):
    category: str
    insight: str
    impact: str
    recommendation: str


class ClinicUpcomingEvent(Schema):
    type: str
    title: str
    date: IsoInstant
    duration: str | None = None
    attendees: int | None = None
    impact: str


class ClinicDashboard(Schema):
    clinic_info: ClinicInfo
    operational_metrics: ClinicOperationalMetrics
    financial_summary: ClinicFinancialSummary
    doctor_performance: list[ClinicDoctorPerformance]
    department_metrics: list[ClinicDepartmentMetrics]
    alerts_and_notifications: list[ClinicAlert]
    trends_and_insights: list[ClinicInsight]
    upcoming_events: list[ClinicUpcomingEvent]
