"""Every operation of the generated OpenAPI document, driven by schemathesis with data that fits
its schema and data that does not (positive and negative modes), signed in as each role: no
answer is a server error, and every answer fits the schema documented for its status.

In process against the ASGI app (``create_api()``), on the rolled-back test database, with a
scheduling world (a clinic, services, doctors, patients, staff) and one user of every role.
Deterministic (``deterministic``: a fixed seed per operation, no example database) and bounded
(``MAX_EXAMPLES`` per operation; each example is sent once per role on bearer routes).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from sqlmodel import Session

from mediconnect.api.router import create_api
from mediconnect.core.tokens import issue_tokens
from mediconnect.models.users import Role, User
from tests.core import factories
from tests.services import scheduling_world as sw

MAX_EXAMPLES = 8
CHECKS = [not_a_server_error, response_schema_conformance]

schema = schemathesis.openapi.from_asgi("/api/openapi.json", create_api())
schema.config.generation.update(
    max_examples=MAX_EXAMPLES, deterministic=True, database="none", allow_x00=True, unique_inputs=True
)


@pytest.fixture
def tokens(api_db: Callable[[], Session]) -> dict[Role, str]:
    """An access token for a user of every role, in a world where ids name real objects."""
    with api_db() as s:
        w = sw.build(s)
        users: dict[Role, User] = {
            Role.PATIENT: w.patient_user,
            Role.CLINIC_STAFF: w.staff_user,
            Role.ADMIN: w.admin,
        }
        doctor = s.get(User, w.doctor_a.user_id)
        assert doctor is not None
        users[Role.DOCTOR] = doctor
        for role in (Role.REFERRING_DOCTOR, Role.BILLING_STAFF, Role.ANALYTICS_STAFF):
            users[role] = factories.user(s, role)
        out = {role: issue_tokens(s, user=user).access_token for role, user in users.items()}
        s.commit()
    assert set(out) == set(Role)
    return out


def _bearer(case: Any) -> bool:
    return bool(case.operation.definition.raw.get("security"))


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_error_and_every_answer_fits_its_schema(case: Any, tokens: dict[Role, str]) -> None:
    if not _bearer(case):
        case.call_and_validate(checks=CHECKS)
        return
    for token in tokens.values():
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
