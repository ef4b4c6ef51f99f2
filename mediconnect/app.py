"""The Reflex app: theme, pages and the JSON/WebSocket API mounted in front of Reflex.

It wires the process first (``bootstrap.wire``: commit hooks, the Celery app to send through)
and hands the app to the live fan-out (``hub.set_app``) instead of the hub importing this module.
"""

from __future__ import annotations

import reflex as rx

from mediconnect.api.router import create_api
from mediconnect.bootstrap import wire
from mediconnect.features.admin import audit_page as _admin_audit  # noqa: F401 - registers /admin/audit/
from mediconnect.features.admin import users_page as _admin_users  # noqa: F401 - registers /admin/users/
from mediconnect.features.appointments import cancel_page as _cancel  # noqa: F401 - /appointments/[id]/cancel/
from mediconnect.features.appointments import detail_page as _detail  # noqa: F401 - /appointments/[id]/ (+ confirmed)
from mediconnect.features.appointments import list_page as _list  # noqa: F401 - registers /appointments/list/
from mediconnect.features.appointments import payment_page as _payment  # noqa: F401 - [id]/payment-summary/
from mediconnect.features.auth import dashboard as _dashboard  # noqa: F401 - registers /dashboard/
from mediconnect.features.auth import pages as _auth  # noqa: F401 - registers sign-in pages
from mediconnect.features.billing import claims_page as _billing_claims  # noqa: F401 - /billing/claims/
from mediconnect.features.billing import invoice_page as _billing_invoice  # noqa: F401 - /billing/invoices/[id]/
from mediconnect.features.billing import invoices_page as _billing_invoices  # noqa: F401 - /billing/invoices/
from mediconnect.features.billing import my_invoices_page as _my_invoices  # noqa: F401 - /billing/my-invoices/
from mediconnect.features.billing import receipt_page as _billing_receipt  # noqa: F401 - /billing/receipts/[id]/
from mediconnect.features.booking import page as _booking  # noqa: F401 - registers /appointments/book/
from mediconnect.features.booking import waitlist_page as _waitlist  # noqa: F401 - /appointments/waitlist/
from mediconnect.features.catalog import clinic_page as _manage_clinics  # noqa: F401 - registers /manage/clinics/
from mediconnect.features.catalog import services_page as _manage_services  # noqa: F401 - registers /manage/services/
from mediconnect.features.dashboards.clinic import page as _clinic_dash  # noqa: F401 - /clinics/[id]/dashboard/
from mediconnect.features.dashboards.doctor import page as _doctor_dash  # noqa: F401 - /dashboard/doctor/
from mediconnect.features.desk import page as _desk  # noqa: F401 - registers /desk/
from mediconnect.features.landing import page as _landing  # noqa: F401 - registers its pages
from mediconnect.features.live import hub
from mediconnect.features.profile import page as _profile  # noqa: F401 - registers /profile/
from mediconnect.features.shell import not_found as _not_found  # noqa: F401 - registers the 404 page
from mediconnect.features.shell.template import add_pages
from mediconnect.features.shell.theme import FAVICON, GLOBAL_STYLE

wire()

app = rx.App(
    style=GLOBAL_STYLE,
    html_lang="en",
    head_components=[rx.el.link(rel="icon", href=FAVICON, type="image/svg+xml")],
    api_transformer=create_api(),
)
add_pages(app)  # every @page once (a forked worker compiling again must not add them twice)
hub.set_app(app)
