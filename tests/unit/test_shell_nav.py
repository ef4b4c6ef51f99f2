"""The role-to-navigation data, checked against the spec's permission matrix."""

from __future__ import annotations

import pytest

from mediconnect.features.shell.nav import INLINE_LIMIT, PUBLIC_NAV, ROLE_NAV, nav_for, split_nav
from mediconnect.models.users import Role


def hrefs(role: Role | None) -> set[str]:
    return {item.href for item in nav_for(role)}


def test_every_role_has_navigation() -> None:
    assert set(ROLE_NAV) == set(Role)


def test_anonymous_visitor_gets_the_public_links() -> None:
    assert nav_for(None) == PUBLIC_NAV
    assert [i.label for i in PUBLIC_NAV] == ["Home", "Book a scan", "Sign in", "Register"]


@pytest.mark.parametrize("role", [None, *Role])
def test_links_are_absolute_with_trailing_slash_and_unique(role: Role | None) -> None:
    items = nav_for(role)
    assert all(i.href.startswith("/") and i.href.endswith("/") for i in items)
    assert len({i.href for i in items}) == len(items)


@pytest.mark.parametrize(
    ("href", "allowed"),
    [
        # Dashboards-api "Permission Matrix": Billing and Analytics rows.
        ("/billing/dashboard/", {Role.ADMIN, Role.DOCTOR, Role.BILLING_STAFF}),
        ("/analytics/dashboard/", {Role.ADMIN, Role.DOCTOR, Role.CLINIC_STAFF, Role.ANALYTICS_STAFF}),
        ("/dashboard/doctor/", {Role.DOCTOR}),
        ("/admin/users/", {Role.ADMIN}),
        ("/admin/audit/", {Role.ADMIN}),
    ],
)
def test_links_follow_the_permission_matrix(href: str, allowed: set[Role]) -> None:
    assert {role for role in Role if href in hrefs(role)} == allowed
    assert href not in hrefs(None)


def test_signed_in_roles_can_sign_out_and_not_register() -> None:
    for role in Role:
        labels = {i.label for i in nav_for(role)}
        assert "Sign out" in labels
        assert not labels & {"Sign in", "Register"}


@pytest.mark.parametrize("role", [None, *Role])
def test_split_keeps_every_link_once(role: Role | None) -> None:
    inline, more, actions = split_nav(nav_for(role))
    assert len(inline) <= INLINE_LIMIT
    assert [*inline, *more, *actions] == [i.as_link() for i in nav_for(role) if not i.cta] + [
        i.as_link() for i in nav_for(role) if i.cta
    ]
    assert all(link["href"] for link in actions)
