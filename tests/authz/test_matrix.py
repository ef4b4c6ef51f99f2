"""The authorization matrix: every role (and an anonymous visitor) against every page, every
Reflex event handler (called by name over the WebSocket, as a hostile client would) and every
API route, on the caller's own object and on someone else's. Zero leaks.

The entries are enumerated from the app (tests/authz/matrix.py); the cases run against the
running app (tests/authz/runner.py). The summary line ("authorization matrix: N cases, ...")
is printed at the end of the run.
"""

from __future__ import annotations

import pytest

from tests.authz import matrix as m
from tests.authz.runner import CaseResult, Runner
from tests.authz.world import World
from tests.support.hostile_client import SyncHostileClient

pytestmark = pytest.mark.browser


def _run(runner: Runner, kind: str, record: list[CaseResult]) -> None:
    entries = [e for e in m.enumerate_all() if e.kind == kind and e.rule is not None]
    assert entries, f"no {kind} entries enumerated"
    for entry in entries:
        record.extend(runner.run(entry))
    problems = [p for case in record for p in case.problems()]
    assert not problems, f"{len(problems)} problem(s) in {len(record)} {kind} cases:\n" + "\n".join(problems)


def test_every_entry_is_classified() -> None:
    entries = m.enumerate_all()
    missing = [f"{e.kind} {e.key}" for e in entries if e.rule is None]
    assert not missing, (
        "not in the authorization matrix (add a Rule in tests/authz/matrix.py):\n  " + "\n  ".join(missing)
    )
    # Pages declare their roles through the page decorator; the matrix must agree with it.
    wrong = []
    for entry in (e for e in entries if e.kind == "page"):
        assert entry.rule is not None
        if not entry.detail["declared"]:
            wrong.append(f"{entry.key}: not registered through shell.template.page (no roles declared)")
        elif m.rule_access_as_roles(entry.rule.access) != entry.detail["declared_roles"]:
            wrong.append(
                f"{entry.key}: the page decorator admits {entry.detail['declared_roles']}, "
                f"the matrix says {entry.rule.access}"
            )
    assert not wrong, "\n".join(wrong)
    # Rules for what no longer exists are removed with it: the table is the contract.
    assert not m.stale_rules(), f"rules naming nothing the app has: {m.stale_rules()}"
    # Every kind is present, and the identity probe is what the runner relies on.
    assert {e.kind for e in entries} == {"page", "handler", "api"}
    probe = m.HANDLERS[m.IDENTITY_PROBE]
    assert probe.access == m.SIGNED_IN and probe.effect == "profile"


def test_hostile_client_signs_in_through_the_login_handler(runner: Runner, world: World) -> None:
    """The client can also sign in the way a browser does, through LoginState.submit."""
    from mediconnect.features.auth.state import LoginState
    from mediconnect.seed.demo_accounts import DEMO_PASSWORD

    patient = world.subjects["patient"]
    assert patient.email
    client = SyncHostileClient(runner.base_url)
    try:
        client.connect("/login/")
        result = client.sign_in(LoginState.get_full_name(), patient.email, DEMO_PASSWORD)
        assert "/dashboard/" in result.redirects, result.messages
        assert result.var("session_state", "signed_in") is True
        profile = client.call(runner.full(m.IDENTITY_PROBE), {}, path="/profile/")
        assert profile.var("profile_state", "email") == patient.email
    finally:
        client.close()
        world.end_session(client.token)


def test_pages(runner: Runner, record: list[CaseResult]) -> None:
    _run(runner, "page", record)


def test_event_handlers(runner: Runner, record: list[CaseResult]) -> None:
    _run(runner, "handler", record)


def test_api_routes(runner: Runner, record: list[CaseResult]) -> None:
    _run(runner, "api", record)


def test_the_judge_catches_leaks(runner: Runner, world: World) -> None:
    """The harness itself: rules stricter than the app must come out as leaks, so a passing
    matrix means the app refused, not that nothing was looked at."""
    import dataclasses

    from mediconnect.models.users import Role

    entries = {e.key: e for e in m.enumerate_all()}
    patients_only = frozenset({Role.PATIENT})

    def leaks_of(key: str, **change: object) -> dict[str, list[str]]:
        entry = entries[key]
        assert entry.rule is not None
        strict = dataclasses.replace(entry, rule=dataclasses.replace(entry.rule, **change))
        return {f"{c.subject}/{c.which}": c.leaks for c in runner.run(strict) if c.leaks}

    # A read the rule forbids: the profile reaches the doctor.
    found = leaks_of("ProfileState.load", access=patients_only, obj=None, path=None)
    assert "doctor/None" in found and any("profile effect" in leak for leak in found["doctor/None"])
    # A page the rule forbids: its data reaches the doctor.
    found = leaks_of("/profile/", access=patients_only)
    assert any("profile effect" in leak for leak in found["doctor/None"]), found
    # A write the rule forbids: the doctor's own row changes (found by re-running one by one).
    found = leaks_of("ProfileState.save_notifications", access=patients_only, obj=None, path=None)
    assert any("database: users row" in leak for leak in found["doctor/None"]), found
    # An API route the rule forbids answers 200.
    found = leaks_of("GET /api/auth/me", access=patients_only)
    assert any("answered 200" in leak for leak in found["admin/None"]), found
    # Someone else's personal data in what the server pushes (a nav label, planted as a canary).
    victim = world.victims["anonymous"].owner
    assert victim is not None
    with world.planted_canary("Book a scan", victim):
        found = leaks_of("LoginState.load")
    assert any(victim in leak for leak in found["anonymous/None"]), found
