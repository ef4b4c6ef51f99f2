"""TEMPORARY shim (issue 11): the policy moved to ``mediconnect.core.policy``.

Import ``from mediconnect.core import policy`` (same public names). This module only re-exports
them, plus the model names some callers reached through it, so files still being moved keep
importing; the lead rewrites the last imports and deletes it.
"""

# ruff: noqa: F401, F403
from mediconnect.core.errors import AccessDenied, AuthError, AuthErrorCode, DashboardError, DashErrorCode
from mediconnect.core.policy import *
from mediconnect.core.policy import __all__ as __all__
from mediconnect.models.appointments import Appointment
from mediconnect.models.billing import Invoice
from mediconnect.models.clinics import Clinic
from mediconnect.models.patients import Patient
from mediconnect.models.referrals import Referral
from mediconnect.models.reports import Report, ReportStatus
from mediconnect.models.staff import Doctor, DoctorClinicAffiliation, ReferringDoctor, StaffAssignment
from mediconnect.models.users import Role, User
