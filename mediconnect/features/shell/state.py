"""Who is looking: the one piece of state every page layout reads.

The user id and role are backend vars, so they never reach the browser; the client only gets
the links that role may see and the user's first name. They are set at sign-in and re-read
from the server-side session (``services.sessions``) on every page load and by every
protected handler through ``current_user()``: the row in user_sessions decides, not this
state. Logout, deactivation, a password reset and the idle timeout end that row; the idle
watcher then clears this tab's private state and sends it to the sign-in page.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import TypeVar
from urllib.parse import quote

import reflex as rx

from mediconnect.core.db import session_scope
from mediconnect.features.live.context import REFRESHING
from mediconnect.features.shell.nav import NavLink, nav_for, split_nav
from mediconnect.models.base import utcnow
from mediconnect.models.users import Role, UserPublic
from mediconnect.services import sessions

LOGIN_ROUTE = "/login/"
# Where a signed-in user without the page's role is sent.
DENIED_REDIRECT = "/dashboard/"
# How often, at most, an idle watcher looks at its session row (deactivation shows within this).
WATCH_EVERY_S = 30.0

# States holding a signed-in user's data, reset when the tab signs out (see private_state).
_PRIVATE_STATES: list[type[rx.State]] = []
# Client tokens with a running idle watcher in this process.
_WATCHING: set[str] = set()

S = TypeVar("S", bound=type[rx.State])


def private_state(cls: S) -> S:
    """Class decorator for page states that hold the signed-in user's data: sign-out (by hand,
    idle or deactivation) resets them, so nothing of the last user stays in the tab."""
    _PRIVATE_STATES.append(cls)
    return cls


def safe_next(target: str | None) -> str | None:
    """A local path to return to after sign-in; anything else (other sites, //host) is dropped."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


def login_url(next_path: str | None = None, reason: str | None = None) -> str:
    params = []
    if next_path and safe_next(next_path) and not next_path.startswith(LOGIN_ROUTE):
        params.append(f"next={quote(next_path, safe='/')}")
    if reason:
        params.append(f"reason={reason}")
    return LOGIN_ROUTE + ("?" + "&".join(params) if params else "")


async def current_user(state: rx.State) -> UserPublic | None:
    """The signed-in user of the tab ``state`` belongs to, checked against the server-side
    session now (idle, ended, deactivated all give None, and clear the tab's private state).
    Every protected handler starts with this; never trust a user id held in page state."""
    session = await state.get_state(SessionState)
    return await session._current_user()


def _lookup(client_token: str, touch: bool) -> UserPublic | None:
    with session_scope() as db:
        return sessions.resolve_session(session=db, client_token=client_token, touch=touch)


class SessionState(rx.State):
    _user_id: int | None = None
    _role: Role | None = None
    # The signed-in user's own first name, for the greeting; not sensitive to them.
    first_name: str = ""

    @rx.var
    def signed_in(self) -> bool:
        return self._user_id is not None

    @rx.var
    def nav_inline(self) -> list[NavLink]:
        return split_nav(nav_for(self._role))[0]

    @rx.var
    def nav_more(self) -> list[NavLink]:
        return split_nav(nav_for(self._role))[1]

    @rx.var
    def nav_actions(self) -> list[NavLink]:
        return split_nav(nav_for(self._role))[2]

    # ------------------------------------------------------------------ server-side helpers

    def _client_token(self) -> str:
        return self.router.session.client_token

    def _apply(self, user: UserPublic | None) -> None:
        if user is None:
            self._user_id, self._role, self.first_name = None, None, ""
        else:
            self._user_id, self._role, self.first_name = user.id, user.role, user.first_name

    def _resolve(self, *, touch: bool = True) -> UserPublic | None:
        with session_scope() as db:
            user = sessions.resolve_session(session=db, client_token=self._client_token(), touch=touch)
        self._apply(user)
        return user

    async def _current_user(self) -> UserPublic | None:
        # Off the event loop (a hundred live refreshes must not queue behind each other's
        # queries), and a refresh pushed to the tab is not the user's activity.
        user = await asyncio.to_thread(_lookup, self._client_token(), not REFRESHING.get())
        self._apply(user)
        if user is None:
            await self._clear_private_states()
        return user

    def _has_role(self, allowed: set[Role] | frozenset[Role]) -> bool:
        return self._role is not None and self._role in allowed

    async def _clear_private_states(self) -> None:
        for cls in _PRIVATE_STATES:
            state = await self.get_state(cls)
            state.reset()

    def _start_session(self, user: UserPublic) -> None:
        """Bind a new server-side session to this tab (called by the login and register states)."""
        with session_scope() as db:
            sessions.create_session(
                session=db,
                user_id=user.id,
                client_token=self._client_token(),
                ip=self.router.session.client_ip or None,
                user_agent=self.router.headers.user_agent or None,
            )
        self._apply(user)

    async def _end_session(self) -> None:
        with session_scope() as db:
            sessions.end_session(session=db, client_token=self._client_token())
        self._apply(None)
        await self._clear_private_states()

    # ------------------------------------------------------------------ events

    @rx.event
    async def load_session(self):
        """on_load of every page: refresh who is signed in (and count it as activity)."""
        was_signed_in = self._user_id is not None
        user = self._resolve()
        if user is None:
            if was_signed_in:
                await self._clear_private_states()
            return None
        return self._ensure_watcher()

    @rx.event
    async def require_roles(self, roles: list[str]):
        """on_load guard added by the page decorator for restricted pages.

        It only steers the browser away; handlers that load protected data must still check
        the caller themselves (a client can skip or forge this event).
        """
        user = await self._current_user()
        if user is None:
            return rx.redirect(login_url(self.router.url.path), replace=True)
        # Unknown names are dropped rather than raised on: the list comes from the client.
        if not self._has_role({role for role in Role if role.value in roles}):
            return rx.redirect(DENIED_REDIRECT, replace=True)
        return self._ensure_watcher()

    @rx.event
    async def sign_out(self):
        """on_load of /logout/: end this tab's session and forget everything private."""
        await self._end_session()

    def _ensure_watcher(self):
        token = self._client_token()
        if token and token not in _WATCHING:
            return SessionState.watch_idle
        return None

    @rx.event(background=True)
    async def watch_idle(self):
        """Sign this tab out when its session ends: idle timeout, deactivation, logout elsewhere.

        One sleeping task per signed-in tab and process; it looks at the session row without
        counting as activity, sleeping until the idle deadline (at most WATCH_EVERY_S).
        """
        async with self:
            token = self._client_token()
            # Callable by name from any client: one watcher per signed-in tab, no more.
            if self._user_id is None or not token or token in _WATCHING:
                return
            _WATCHING.add(token)
        try:
            while True:
                with session_scope() as db:
                    user = sessions.resolve_session(session=db, client_token=token, touch=False)
                    deadline = sessions.idle_deadline(session=db, client_token=token) if user else None
                if user is None or deadline is None:
                    async with self:
                        if self._user_id is None:
                            return  # signed out by hand already
                        self._apply(None)
                        await self._clear_private_states()
                    yield rx.redirect(login_url(reason="ended"), replace=True)
                    return
                wait = (deadline - utcnow() + timedelta(seconds=1)).total_seconds()
                await asyncio.sleep(min(max(wait, 1.0), WATCH_EVERY_S))
                async with self:
                    if self._user_id is None:
                        return
        finally:
            _WATCHING.discard(token)
