"""The live fan-out of one backend process: domain events in, Reflex state deltas out.

A page state asks to be kept current with ``await watch(self, "clinic:3:day:2026-11-21")``
from one of its handlers. This process then holds ONE event subscription
(``core.events.subscribe``: Redis pub/sub shared by every process, or the in-process bus) and,
for each event, finds the tabs watching any of its topics and runs that state's
``async def _on_live(self, event)`` inside ``app.modify_state``. The state re-checks its caller
and reloads; Reflex computes the delta and pushes it over the tab's own WebSocket. If the tab's
socket now lives in another process, Reflex's Redis token manager relays the delta there.

No polling and no socket layer of our own. Work shared by many tabs (the same slot grid on
100 open booking pages) is done once per event with ``once``.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

import reflex as rx
from reflex.istate.manager.token import BaseStateToken

from mediconnect.core import events
from mediconnect.core.events import DomainEvent
from mediconnect.features.live.context import REFRESHING

log = logging.getLogger(__name__)

T = TypeVar("T")
WatchKey = tuple[str, type[rx.State]]  # (client token, state class)

# Who watches what, in this process. Only touched from the event loop.
_by_topic: dict[str, set[WatchKey]] = {}
_by_watch: dict[WatchKey, frozenset[str]] = {}
# Results shared by every tab refreshed for one event: (event_id, key) -> future.
_memo: dict[tuple[str, Hashable], asyncio.Future[Any]] = {}

_loop: asyncio.AbstractEventLoop | None = None
_queue: asyncio.Queue[DomainEvent] | None = None
_consumer: asyncio.Task[None] | None = None
_start_lock = threading.Lock()
_subscribed_in: int | None = None
# Tabs refreshed at once per event: bounds database connections taken by a burst.
MAX_PARALLEL = 16


# The Reflex app whose tab states the fan-out modifies. Set by ``mediconnect/app.py``
# (``set_app``) when it makes the app: this module must not import the app, which imports
# every page, which imports this module.
_app: rx.App | None = None


def set_app(app: rx.App) -> None:
    """Give the fan-out the app it refreshes tabs through (``mediconnect/app.py`` calls it)."""
    global _app
    _app = app


def _the_app() -> rx.App:
    if _app is None:
        raise RuntimeError("features.live has no app: mediconnect/app.py calls hub.set_app(app)")
    return _app


def instance_id() -> str:
    """This backend process's id as Reflex's token manager knows it (per process, random)."""
    try:
        return str(_the_app().event_namespace._token_manager.instance_id)  # type: ignore[union-attr]
    except (AttributeError, RuntimeError):
        return ""


def _ensure_started() -> None:
    global _loop, _queue, _consumer, _subscribed_in
    loop = asyncio.get_running_loop()
    with _start_lock:
        if _consumer is not None and not _consumer.done() and _loop is loop:
            return
        _loop, _queue = loop, asyncio.Queue()
        _consumer = loop.create_task(_consume(_queue), name="mediconnect-live-fanout")
        if _subscribed_in != os.getpid():  # once per process (workers are forked)
            events.subscribe(_receive)
            _subscribed_in = os.getpid()


def _receive(evt: DomainEvent) -> None:
    """Called from the Redis listener thread or a committing thread: hand over to the loop."""
    loop, queue = _loop, _queue
    if loop is None or queue is None or loop.is_closed():
        return
    loop.call_soon_threadsafe(queue.put_nowait, evt)


def _set_topics(key: WatchKey, topics: frozenset[str]) -> None:
    for topic in _by_watch.pop(key, frozenset()):
        holders = _by_topic.get(topic)
        if holders is not None:
            holders.discard(key)
            if not holders:
                del _by_topic[topic]
    if topics:
        _by_watch[key] = topics
        for topic in topics:
            _by_topic.setdefault(topic, set()).add(key)


async def watch(state: rx.State, *topics: str) -> None:
    """Keep ``state`` (this tab's instance of its class) current with these topics.

    Replaces what this state watched before; no topics stops watching. The state must define
    ``async def _on_live(self, event: DomainEvent) -> None``.
    """
    if not hasattr(type(state), "_on_live"):
        raise TypeError(f"{type(state).__name__} has no _on_live(event) to be kept current with")
    token = state.router.session.client_token
    if not token:
        return
    _ensure_started()
    _set_topics((token, type(state)), frozenset(topics))
    from mediconnect.features.live.state import LiveState

    (await state.get_state(LiveState)).instance = instance_id()


def watching(topic: str) -> int:
    """How many tabs of this process watch ``topic`` (for tests and the health page)."""
    return len(_by_topic.get(topic, ()))


async def once(event: DomainEvent, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` (blocking, run in a thread) once per event and key in this process.

    For results that are the same for every tab (public availability), never for anything
    that depends on who is looking.
    """
    memo_key = (event.event_id, key)
    future = _memo.get(memo_key)
    if future is None:
        future = asyncio.get_running_loop().create_future()
        _memo[memo_key] = future
        try:
            future.set_result(await asyncio.to_thread(compute))
        except Exception as exc:
            future.set_exception(exc)
    return await asyncio.shield(future)


async def _refresh(key: WatchKey, evt: DomainEvent, gate: asyncio.Semaphore) -> None:
    token, cls = key
    app = _the_app()
    async with gate:
        namespace = app.event_namespace
        if namespace is None or not await namespace._token_manager.is_token_connected(token):
            _set_topics(key, frozenset())  # the tab is gone; it watches again when it reloads
            return
        marker = REFRESHING.set(True)
        try:
            async with app.modify_state(BaseStateToken(ident=token, cls=cls)) as root:
                state = await root.get_state(cls)
                result: Awaitable[None] = state._on_live(evt)  # type: ignore[attr-defined]
                await result
        except Exception:
            log.exception("live refresh of %s failed on %s", cls.__name__, evt.name)
        finally:
            REFRESHING.reset(marker)


async def _consume(queue: asyncio.Queue[DomainEvent]) -> None:
    """Refresh each watching tab once per burst: events that queued up while the previous
    fan-out ran are taken together, and a tab hit by several is refreshed once, with the
    newest (its ``_on_live`` reloads everything it shows anyway)."""
    gate = asyncio.Semaphore(MAX_PARALLEL)
    while True:
        batch = [await queue.get()]
        while not queue.empty():
            batch.append(queue.get_nowait())
        latest: dict[WatchKey, DomainEvent] = {}
        for evt in batch:
            for topic in evt.topics:
                for key in _by_topic.get(topic, ()):
                    latest[key] = evt
        if latest:
            await asyncio.gather(*(_refresh(key, evt, gate) for key, evt in latest.items()))
        done = {evt.event_id for evt in batch}
        for memo_key in [k for k in _memo if k[0] in done]:
            del _memo[memo_key]
