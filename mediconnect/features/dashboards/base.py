"""What the two dashboard states share: calling the dashboard service as the tab's user, the
loading / error / last-updated / pause plumbing, the refresh tiers and the live subscription.

Every fetch goes through ``dashboards.service`` with the caller's ``Principal`` resolved now
(``run_as``), so the service's ``core.policy`` check runs on every load, tick, refresh and
live push; the id being shown is read again from the tab's URL each time, never from state.
A refusal arrives as the spec's DASH code and message and nothing else is kept: the page then
shows only the message (and a Retry button).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

import reflex as rx
from sqlmodel import Session

from mediconnect.core import rate_limit
from mediconnect.core.policy import Principal
from mediconnect.dashboards.kit.schema import Schema
from mediconnect.features import live
from mediconnect.features.dashboards import refresh
from mediconnect.features.kit.calls import Outcome, page_call
from mediconnect.features.kit.format import as_local
from mediconnect.services.options import Option

log = logging.getLogger(__name__)
T = TypeVar("T")

# Refusals: the tab keeps nothing of the dashboard and stops listening.
ACCESS_CODES = frozenset({"DASH_001", "DASH_002", "DASH_004", "DASH_005", "DASH_006"})
HELP = {
    "DASH_001": "This dashboard does not exist.",
    "DASH_002": "Your role does not give access to this dashboard.",
    "DASH_003": "The figures could not be read just now. Try again in a moment.",
    "DASH_004": "The request was not valid.",
    "DASH_005": "There is no clinic with this number.",
    "DASH_006": "This dashboard belongs to a doctor or clinic you are not associated with.",
    "DASH_007": "Building the dashboard took too long. Try again in a moment.",
    "DASH_009": "The cached figures expired. Try again in a moment.",
    "DASH_010": "Too many dashboard requests. Wait a minute, then try again.",
}


D = TypeVar("D", bound=Schema)


@dataclass
class Fetched(Generic[D]):
    """What one fetch brings: the typed dashboard and, on a (re)load, the picker's options.

    ``data`` is where the service's JSON becomes the schema (``DashboardResult.model``): the
    one boundary; the views read typed fields from here on.
    """

    data: D
    generated_at: datetime
    cached: bool
    options: list[Option] | None = None
    selected: str = ""
    admin: bool = False


def _rate_limited(work: Callable[[Session, Principal], T]) -> Callable[[Session, Principal], T]:
    def counted(db: Session, p: Principal) -> T:
        rate_limit.check(p.user_id)
        return work(db, p)

    return counted


def clock(moment: datetime) -> str:
    local = as_local(moment, None)
    return local.strftime("%H:%M:%S") if local else ""


class DashboardBase(rx.State, mixin=True):
    """Subclasses implement ``_work(fresh, with_options)``, ``_apply(fetched, tiers)``, ``_topic()``."""

    loaded: bool = False
    loading: bool = True
    refreshing: bool = False
    error_code: str = ""
    error_message: str = ""
    error_help: str = ""
    denied: bool = False
    updated: str = ""
    from_cache: bool = False
    paused: bool = False
    auto_refreshes: int = 0
    options: list[Option] = []
    selected: str = ""
    # Wall-clock time each refresh tier was last shown (ticks may reach another process).
    _applied: dict[str, float] = {}
    _topic_now: str = ""

    def _work(self, fresh: bool, with_options: bool) -> Callable[[Session, Principal], Fetched[Any]]:
        raise NotImplementedError

    def _apply(self, fetched: Fetched[Any], tiers: list[str]) -> None:
        raise NotImplementedError

    def _topic(self, fetched: Fetched[Any]) -> str:
        raise NotImplementedError

    async def _fetch(
        self, tiers: list[str], *, fresh: bool = False, with_options: bool = False, counted: bool = False
    ) -> Any:
        work = self._work(fresh, with_options)
        if counted:
            # What a person (or a script calling handlers by name) asks for counts against their
            # DASH_010 limit, shared with the API; the timer and live pushes are the app's own.
            outcome = await page_call(self, _rate_limited(work), report_failures=True)
        else:
            outcome = await page_call(self, work, report_failures=True)
        if outcome.redirect is not None:
            self.reset()
            return outcome.redirect
        if outcome.value is None:
            await self._fail(outcome)
            return None
        fetched = outcome.value
        self._apply(fetched, tiers)
        stamp = time.time()
        self._applied = {**self._applied, **dict.fromkeys(tiers, stamp)}
        if fetched.options is not None:
            self.options, self.selected = fetched.options, fetched.selected
        self.updated, self.from_cache = clock(fetched.generated_at), fetched.cached
        self.loaded, self.loading, self.denied = True, False, False
        self.error_code = self.error_message = self.error_help = ""
        topic = self._topic(fetched)
        if topic != self._topic_now:
            await live.watch(self, topic)
            self._topic_now = topic
        return None

    async def _fail(self, outcome: Outcome[Any]) -> None:
        if outcome.code in ACCESS_CODES:
            paused = self.paused
            self.reset()
            self.paused, self.denied = paused, True
            await live.watch(self)
        self.loading = False
        self.error_code, self.error_message = outcome.code, outcome.error
        detail = f" ({outcome.detail})" if outcome.detail else ""
        self.error_help = HELP.get(outcome.code, "") + detail

    async def _on_live(self, event: Any) -> None:
        """A booking, check-in, completion, cancellation or payment touched what this tab shows
        (the cache was invalidated at commit): show every tier again, checked as any fetch."""
        if not self.loaded or self.denied:
            return
        if await self._fetch(list(refresh.TIERS)) is not None:
            self.reset()  # signed out meanwhile: nothing stays in the tab

    # ------------------------------------------------------------------ events

    @rx.event
    async def load(self):
        self.reset()
        yield
        yield await self._fetch(list(refresh.TIERS), with_options=True, counted=True)

    @rx.event
    async def retry(self):
        self.loading = not self.loaded
        yield
        yield await self._fetch(list(refresh.TIERS), with_options=True, counted=True)

    @rx.event
    async def refresh(self):
        """The Refresh button: every tier, bypassing the cache."""
        self.refreshing = True
        yield
        result = await self._fetch(list(refresh.TIERS), fresh=True, counted=True)
        self.refreshing = False
        yield result

    @rx.event
    async def tick(self, _content: str = ""):
        """The client timer (every 30 s while not paused): refresh the tiers that are due."""
        if self.paused or not self.loaded or self.denied:
            return None
        tiers = refresh.due(self._applied, time.time())
        if not tiers:
            return None
        self.auto_refreshes += 1
        return await self._fetch(tiers)

    @rx.event
    def pause(self):
        self.paused = True

    @rx.event
    def resume(self):
        # The timer is drawn again and ticks at once: whatever fell due while paused is shown.
        self.paused = False
