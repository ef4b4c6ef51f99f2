"""Who is looking: the one piece of state every page layout reads.

The role is a backend var, so it never reaches the browser; the client only gets the links
that role may see. Until sign-in exists every visitor is anonymous (role None).
"""

from __future__ import annotations

import reflex as rx

from mediconnect.features.shell.nav import NavLink, nav_for, split_nav
from mediconnect.models.users import Role

# Where a visitor without the right role is sent; becomes the sign-in page with sign-in.
DENIED_REDIRECT = "/"


class SessionState(rx.State):
    _role: Role | None = None

    @rx.var
    def nav_inline(self) -> list[NavLink]:
        return split_nav(nav_for(self._role))[0]

    @rx.var
    def nav_more(self) -> list[NavLink]:
        return split_nav(nav_for(self._role))[1]

    @rx.var
    def nav_actions(self) -> list[NavLink]:
        return split_nav(nav_for(self._role))[2]

    def _has_role(self, allowed: set[Role] | frozenset[Role]) -> bool:
        return self._role is not None and self._role in allowed

    @rx.event
    def require_roles(self, roles: list[str]):
        """on_load guard added by the page decorator for restricted pages.

        It only steers the browser away; handlers that load protected data must still check
        the caller themselves (a client can skip or forge this event).
        """
        # Unknown names are dropped rather than raised on: the list comes from the client.
        if not self._has_role({role for role in Role if role.value in roles}):
            return rx.redirect(DENIED_REDIRECT)
        return None
