"""The one access policy: who may see or do what, at dashboard level and per object.

Every surface (Reflex pages and event handlers, API routes, WebSocket subscriptions) and every
service asks this package and nothing else. It is pure policy over a Session: no Reflex, no HTTP.
Import the package (``from mediconnect.core import policy``); the modules are its layout.

Two layers:

* Dashboard level, the spec's Permission Matrix (dashboards-api.md), encoded in
  ``DASHBOARD_MATRIX`` as role -> ``Scope`` (``dashboards.py``).
* Object level, one SQL predicate per resource (``patient_scope``, ``appointment_scope``,
  ``report_scope``, ``invoice_scope``). The ``can_access_*`` checks and the list queries use the
  same predicate, so a list can never show what a single fetch would refuse.

One module per resource: ``principal`` (who is asking), ``patients`` (the association every
other resource builds on), ``appointments``, ``reports``, ``billing`` (invoices, payment
summary, front-desk payments), ``clinics`` (viewing and managing a clinic's set-up),
``dashboards``, ``accounts`` (administration), ``referrals`` (referral documents). Shared
pieces: ``actions`` (the ``Action`` enum, the role check), ``predicates`` (SQL helpers).

Object rules (``A`` = any action the role has on that resource, see the ``*_ACTIONS`` tables):

==================  ========================================================================
Role                Associated with ...
==================  ========================================================================
admin               everything
patient             themself; their appointments and invoices; their reports once final
doctor              their patients: an appointment with them, their primary doctor, or a
                    report they wrote or signed; appointments with them (write), their
                    patients' appointments (read); reports they wrote, signed or whose
                    appointment was theirs (read; write only as author) and their patients'
                    final reports; invoices naming them (read)
clinic_staff        "limited": patients with an appointment at, or registered to, one of
                    their clinics (demographics and appointments, never clinical content);
                    appointments at their clinics
billing_staff       patients invoiced at their assigned clinics or doctors (demographics and
                    billing only); those invoices; those appointments (read)
referring_doctor    the patients they referred: demographics, appointments and final reports
analytics_staff     no individual patient, appointment, report or invoice
==================  ========================================================================

Associations that end (``ended_on`` / ``ends_on`` in the past) or have not started yet do not
count. ``require_*`` raise ``AccessDenied``: DASH_002 when the role may never do the action on
that kind of resource, DASH_006 when it may but this user is not linked to this object (a
missing object is reported the same way, so existence never leaks); ``DashboardError``
DASH_005 for an unknown clinic and DASH_001 for an unknown dashboard type.

Adding a resource (reports views, messages, notifications, ...): a module ``<resource>.py``
with its ``<RESOURCE>_ACTIONS`` table, ``<resource>_scope(*, principal, action)`` built from
``patient_link`` and ``predicates``, ``can_access_<resource>`` and ``require_<resource>``
(``actions.require_role`` first, then DASH_006), exported here and tested in
tests/core/test_permissions.py against a world where every principal meets every object.
"""

from mediconnect.core.policy.accounts import require_admin
from mediconnect.core.policy.actions import Action
from mediconnect.core.policy.appointments import (
    APPOINTMENT_ACTIONS,
    appointment_scope,
    can_access_appointment,
    require_appointment,
)
from mediconnect.core.policy.billing import (
    DESK_PAYMENT_ROLES,
    INVOICE_ACTIONS,
    PAYMENT_SUMMARY_ROLES,
    can_access_invoice,
    invoice_scope,
    require_desk_payment,
    require_invoice,
    require_invoice_role,
    require_payment_summary,
)
from mediconnect.core.policy.clinics import (
    CLINIC_MANAGER_ROLES,
    can_access_clinic,
    require_clinic,
    require_clinic_manager,
)
from mediconnect.core.policy.dashboards import (
    DASHBOARD_MATRIX,
    DashboardType,
    Scope,
    can_view_dashboard,
    can_view_doctor,
    dashboard_scope,
    doctor_for_dashboard,
    parse_dashboard_type,
    require_clinic_dashboard,
    require_dashboard,
    require_doctor,
)
from mediconnect.core.policy.patients import (
    PATIENT_ACTIONS,
    can_access_patient,
    patient_link,
    patient_scope,
    require_patient,
)
from mediconnect.core.policy.principal import Principal, principal_for
from mediconnect.core.policy.referrals import require_referral_document
from mediconnect.core.policy.reports import (
    RELEASED_REPORT_STATUSES,
    REPORT_ACTIONS,
    can_access_report,
    report_scope,
    require_report,
)

__all__ = [
    "APPOINTMENT_ACTIONS",
    "CLINIC_MANAGER_ROLES",
    "DASHBOARD_MATRIX",
    "DESK_PAYMENT_ROLES",
    "INVOICE_ACTIONS",
    "PATIENT_ACTIONS",
    "PAYMENT_SUMMARY_ROLES",
    "RELEASED_REPORT_STATUSES",
    "REPORT_ACTIONS",
    "Action",
    "DashboardType",
    "Principal",
    "Scope",
    "appointment_scope",
    "can_access_appointment",
    "can_access_clinic",
    "can_access_invoice",
    "can_access_patient",
    "can_access_report",
    "can_view_dashboard",
    "can_view_doctor",
    "dashboard_scope",
    "doctor_for_dashboard",
    "invoice_scope",
    "parse_dashboard_type",
    "patient_link",
    "patient_scope",
    "principal_for",
    "report_scope",
    "require_admin",
    "require_appointment",
    "require_clinic",
    "require_clinic_dashboard",
    "require_clinic_manager",
    "require_dashboard",
    "require_desk_payment",
    "require_doctor",
    "require_invoice",
    "require_invoice_role",
    "require_patient",
    "require_payment_summary",
    "require_referral_document",
    "require_report",
]
