"""``page_call``: how every page handler touches data, and the ``Outcome`` it hands back.

The handler never says who is calling: ``page_call`` asks the server-side session
(``current_user``, never an id held in page state), resolves the caller's ``Principal`` from the
database now (``shell.calls.run_as``) and runs ``work(session, principal)`` off the event loop.
The session commits when ``work`` returns and rolls back on any exception, so nothing is ever
half-written. Whatever happens comes back as one ``Outcome``:

- signed out or deactivated (``AuthError``): ``redirect`` to sign in, ``denied``;
- refused by the policy (``AccessDenied``) or stopped by any other ``ServiceError``
  (``DashboardError``: no such clinic, data unavailable ...): ``denied`` with the spec's
  ``code`` and ``detail``. The page chose how it shows that: ``on_denied="show"`` keeps the
  tab where it is with ``error`` (``denied_text`` or the spec's message);
  ``on_denied="leave"`` adds a ``redirect`` to the user's dashboard (admin and billing pages);
- bad input or a refused transition (any service error carrying a ``message`` for a person:
  BookingError, BillingError, AccountError ...): ``error``, ``code``, ``field``, ``errors`` by
  field, and the ``alternatives`` a booking conflict offers;
- anything else is a bug and is raised, unless the page asked ``report_failures=True`` (the
  dashboards, which show DASH_003 with a Retry button rather than a dead page).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

import reflex as rx
from sqlmodel import Session

from mediconnect.core.errors import AccessDenied, AuthError, DashErrorCode, ServiceError
from mediconnect.core.policy import Principal
from mediconnect.features.shell.calls import run_as
from mediconnect.features.shell.state import DENIED_REDIRECT, current_user, login_url
from mediconnect.models.users import Role

log = logging.getLogger(__name__)
T = TypeVar("T")
Work = Callable[[Session, Principal], T]
MAX_ID_DIGITS = 9


@dataclass
class Outcome(Generic[T]):
    value: T | None = None
    # An event to return as is: sign in (signed out, deactivated) or, with on_denied="leave",
    # away to the user's dashboard. The tab keeps nothing when it is set.
    redirect: Any = None
    # The policy refused (or the caller is no longer signed in).
    denied: bool = False
    # The machine code: the spec's DASH_0xx for a refusal, the service's code for bad input.
    code: str = ""
    # One sentence for a person.
    error: str = ""
    # A refusal's free-text detail (never PHI), as the dashboards show it.
    detail: str = ""
    # The form field the service named ("" for the whole form), and every field's message.
    field: str = ""
    errors: dict[str, str] | None = None
    # Other times a booking conflict offers.
    alternatives: list[Any] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.redirect is None and not self.denied and not self.error


def _service_error(exc: Exception) -> Outcome[Any] | None:
    """The Outcome of a service's refusal meant for a person, else None (a bug: raised).

    Any exception carrying a ``message`` sentence that is a ``ValueError`` or has a string
    ``code`` (BookingError, PricingError, BillingError, AccountError, AdminFormError with its
    ``errors`` by field).
    """
    message = getattr(exc, "message", None)
    code = getattr(exc, "code", None)
    errors = getattr(exc, "errors", None)
    errors = {str(k): str(v) for k, v in errors.items()} if isinstance(errors, dict) and errors else None
    if not (isinstance(exc, ValueError) or isinstance(code, str)):
        return None
    if not (isinstance(message, str) and message):
        if errors is None:
            return None
        message = "; ".join(errors.values())
    field_name = str(getattr(exc, "field", "") or "")
    return Outcome(
        error=message,
        code=code if isinstance(code, str) else "",
        field=field_name,
        errors=errors or {field_name or "form": message},
        alternatives=list(getattr(exc, "alternatives", None) or []),
    )


def _for_roles(roles: frozenset[Role], work: Work[T]) -> Work[T]:
    def guarded(db: Session, principal: Principal) -> T:
        if principal.role not in roles:
            # Not this page's audience, whatever the services would let them read elsewhere.
            raise AccessDenied.not_allowed(f"role {principal.role.value} has no page here")
        return work(db, principal)

    return guarded


async def page_call(
    state: rx.State,
    work: Work[T],
    *,
    roles: Iterable[Role] | None = None,
    on_denied: Literal["show", "leave"] = "show",
    denied_text: str = "",
    report_failures: bool = False,
) -> Outcome[T]:
    """Run ``work(session, principal)`` for the tab's signed-in user, off the event loop.

    ``roles``: who the page (or the action) is for; anyone else is refused before any service
    is asked. ``on_denied``/``denied_text``: how this page shows a refusal (module docstring).
    ``report_failures``: an unexpected exception becomes DASH_003 instead of being raised.
    """
    sign_in = rx.redirect(login_url(state.router.url.path), replace=True)
    user = await current_user(state)
    if user is None:
        return Outcome(redirect=sign_in, denied=True)
    guarded = _for_roles(frozenset(roles), work) if roles is not None else work
    try:
        return Outcome(value=await asyncio.to_thread(run_as, user.id, guarded))
    except AuthError:
        return Outcome(redirect=sign_in, denied=True)
    except ServiceError as exc:
        # AccessDenied, and every other DASH-coded stop (DASH_005 "no such clinic" is as final
        # for the page as DASH_006): one outcome; ``code`` tells which.
        leave = rx.redirect(DENIED_REDIRECT, replace=True) if on_denied == "leave" else None
        return Outcome(
            redirect=leave,
            denied=True,
            code=exc.code.code,
            error=denied_text or exc.code.message,
            detail=exc.detail or "",
        )
    except Exception as exc:
        found = _service_error(exc)
        if found is not None:
            return found
        if not report_failures:
            raise
        log.exception("page call failed")
        info = DashErrorCode.DASH_003
        return Outcome(code=info.code, error=info.message)


def client_ip(state: rx.State) -> str | None:
    """The tab's address as the server saw it (for the audit log)."""
    return state.router.session.client_ip or None


def path_id(state: rx.State, after: str) -> int:
    """The id that follows ``after`` in the tab's path, or 0 (every service refuses 0).

    Only what the router shows is trusted, and only up to nine digits: a longer number is no row
    of ours and would overflow the database's integer (a 500 instead of "not found").
    """
    parts = [p for p in state.router.url.path.split("/") if p]
    for i, part in enumerate(parts[:-1]):
        following = parts[i + 1]
        if part == after and following.isdigit() and len(following) <= MAX_ID_DIGITS:
            return int(following)
    return 0
