"""A minimal Reflex WebSocket client that behaves like a hostile browser tab.

It speaks the same socket.io protocol as the compiled frontend (``.web/utils/state.js``):
it connects to ``/_event`` with its own client token in the query string, sends the
``hydrate_and_load`` boot event in the CONNECT packet, and emits ``"event"`` messages of the
shape ``{"name": "<full.state.path>.<handler>", "payload": {...}, "router_data": {...}}``.
Unlike the browser it can call ANY event handler by name with any payload, and it records
everything the server pushes back: state deltas and frontend events (``_redirect``, error
toasts ...).

Knowing when a call is finished. Reflex 0.10 processes the events of one client token one
after the other and chains the events a handler returns on the server, behind whatever is
already queued. So after each call the client sends a *marker*: a no-op
``update_vars_internal`` event whose router data carries a unique URL fragment, which the
server echoes in a delta of the root state's URL var. Once the marker's echo arrives,
everything queued before it has run. Events the call chained run after the marker; they
always produce output (the router var flips back from the marker's URL), so the client
sends markers until one round passes with nothing but the marker's own echo.

Use ``HostileClient`` from async code, or ``SyncHostileClient`` (one background event loop
shared by all clients) from ordinary tests.
"""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import threading
import uuid
from collections.abc import Awaitable, Iterator
from concurrent.futures import Future
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit

import socketio

ROOT_STATE = "reflex___state____state"
# How long to wait for the server: bounds a hang, never asserts how fast a loaded machine is.
HANG_S = 60.0
NAMESPACE = "/_event"
HYDRATE_AND_LOAD = f"{ROOT_STATE}.hydrate_and_load"
ON_LOAD_INTERNAL = f"{ROOT_STATE}.reflex___state____on_load_internal_state.on_load_internal"
UPDATE_VARS_INTERNAL = f"{ROOT_STATE}.reflex___state____update_vars_internal_state.update_vars_internal"
URL_VAR = "rx_router_url_rx_state_"
VAR_SUFFIX = "_rx_state_"
MARKER_PREFIX = "authz-marker-"

T = TypeVar("T")


def router_data(path: str) -> dict[str, Any]:
    """Router data as the frontend builds it for ``path`` (which may carry ?query and #fragment)."""
    parts = urlsplit(path)
    pathname = parts.path or "/"
    data: dict[str, Any] = {"pathname": pathname, "asPath": path}
    if parts.query:
        data["query"] = dict(parse_qsl(parts.query))
    return data


@dataclasses.dataclass
class CallResult:
    """Everything the server pushed for one call (and the events it chained)."""

    messages: list[dict[str, Any]] = dataclasses.field(default_factory=list)

    @property
    def deltas(self) -> list[dict[str, dict[str, Any]]]:
        return [m["delta"] for m in self.messages if m.get("delta")]

    @property
    def events(self) -> list[dict[str, Any]]:
        return [e for m in self.messages for e in (m.get("events") or [])]

    @property
    def redirects(self) -> list[str]:
        return [
            str(e.get("payload", {}).get("path", "")) for e in self.events if e.get("name") == "_redirect"
        ]

    @property
    def errors(self) -> list[dict[str, Any]]:
        """Backend exceptions reported to the client (Reflex sends them as an error toast)."""
        return [e for e in self.events if e.get("name") != "_redirect" and "backend_error" in repr(e)]

    def merged(self) -> dict[str, dict[str, Any]]:
        """The last value of every var pushed, by state full name then var name (no suffix)."""
        out: dict[str, dict[str, Any]] = {}
        for delta in self.deltas:
            for state, values in delta.items():
                target = out.setdefault(state, {})
                for key, value in values.items():
                    target[key.removesuffix(VAR_SUFFIX)] = value
        return out

    def var(self, state_suffix: str, name: str, default: Any = None) -> Any:
        """The last pushed value of ``name`` in the state whose full name ends with ``state_suffix``."""
        for state, values in self.merged().items():
            if state.endswith(state_suffix) and name in values:
                return values[name]
        return default

    def strings(self, *, include_router: bool = False) -> Iterator[str]:
        """Every string the server sent (var values, event payloads), for leak scans.

        The router vars only echo what the client itself sent (URL, headers), so they are left
        out unless asked for.
        """

        def walk(value: Any) -> Iterator[str]:
            if isinstance(value, str):
                yield value
            elif isinstance(value, dict):
                for key, item in value.items():
                    yield from walk(key)
                    yield from walk(item)
            elif isinstance(value, (list, tuple)):
                for item in value:
                    yield from walk(item)

        for delta in self.deltas:
            for state, values in delta.items():
                for key, value in values.items():
                    if not include_router and state == ROOT_STATE and key.startswith("rx_router_"):
                        continue
                    yield from walk(value)
        for event in self.events:
            yield from walk(event.get("payload"))

    def extend(self, other: CallResult) -> CallResult:
        self.messages.extend(other.messages)
        return self


class HostileClient:
    """One browser tab: one client token, one socket.io connection."""

    def __init__(self, base_url: str, *, token: str | None = None, timeout: float = HANG_S) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token or str(uuid.uuid4())
        self.timeout = timeout
        self.path = "/"
        self._sio = socketio.AsyncClient(reconnection=False)
        self._inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._markers = itertools.count(1)
        self._sio.on("event", self._on_event, namespace=NAMESPACE)

    async def _on_event(self, data: Any) -> None:
        if isinstance(data, dict):
            await self._inbox.put(data)

    # ------------------------------------------------------------------ connection

    async def connect(self, path: str = "/", *, boot: bool = True) -> CallResult:
        """Open the socket as a page load of ``path`` would: the CONNECT packet carries the
        ``hydrate_and_load`` event, so the page's on_load handlers run. Returns what they sent."""
        self.path = path
        auth = None
        if boot:
            auth = {"event": {"name": HYDRATE_AND_LOAD, "payload": {}, "router_data": router_data(path)}}
        await self._sio.connect(
            f"{self.base_url}?{urlencode({'token': self.token})}",
            namespaces=[NAMESPACE],
            socketio_path="/_event",
            transports=["websocket"],
            headers={"Origin": self.base_url},
            auth=auth,
            wait_timeout=self.timeout,
        )
        return await self._settle(CallResult())

    async def close(self) -> None:
        if self._sio.connected:
            await self._sio.disconnect()

    @property
    def connected(self) -> bool:
        return bool(self._sio.connected)

    # ------------------------------------------------------------------ events

    async def emit(
        self, name: str, payload: dict[str, Any] | None = None, *, path: str | None = None
    ) -> None:
        """Send one event without waiting for anything."""
        await self._sio.emit(
            "event",
            {"name": name, "payload": payload or {}, "router_data": router_data(path or self.path)},
            namespace=NAMESPACE,
        )

    async def call(
        self, name: str, payload: dict[str, Any] | None = None, *, path: str | None = None
    ) -> CallResult:
        """Call any event handler by its full name; return everything pushed until it (and every
        event it chained) has finished."""
        self._drain()
        await self.emit(name, payload, path=path)
        return await self._settle(CallResult())

    async def load_page(self, path: str) -> CallResult:
        """Navigate to ``path`` inside the open tab: the server runs that page's on_load
        handlers, as it does on a client-side navigation."""
        self.path = path
        return await self.call(ON_LOAD_INTERNAL, {}, path=path)

    async def sign_in(self, login_state: str, email: str, password: str) -> CallResult:
        """Sign in through the real login handler (``<LoginState full name>.submit``)."""
        return await self.call(f"{login_state}.submit", {"form": {"email": email, "password": password}})

    # ------------------------------------------------------------------ settling

    def _drain(self) -> None:
        while not self._inbox.empty():
            self._inbox.get_nowait()

    async def _marker_round(self, result: CallResult) -> bool:
        """Send one marker and collect until its echo. True if anything else arrived."""
        tag = f"{MARKER_PREFIX}{next(self._markers)}"
        await self._sio.emit(
            "event",
            {
                "name": UPDATE_VARS_INTERNAL,
                "payload": {"vars": {}},
                "router_data": router_data(f"{urlsplit(self.path).path or '/'}#{tag}"),
            },
            namespace=NAMESPACE,
        )
        other = False
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        while True:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"no echo of {tag} from the server within {self.timeout}s")
            message = await asyncio.wait_for(self._inbox.get(), timeout=remaining)
            if self._is_echo(message, tag):
                # The marker is a no-op: its delta holds only what every event flushes (the
                # router vars it changed, uncached computed vars such as the root's token).
                return other
            result.messages.append(message)
            other = True

    @staticmethod
    def _is_echo(message: dict[str, Any], tag: str) -> bool:
        url = (message.get("delta") or {}).get(ROOT_STATE, {}).get(URL_VAR)
        return isinstance(url, dict) and url.get("fragment") == tag

    async def _settle(self, result: CallResult, *, max_rounds: int = 12) -> CallResult:
        for _ in range(max_rounds):
            if not await self._marker_round(result):
                return result
        raise TimeoutError(f"the call kept producing output after {max_rounds} marker rounds")


class SyncHostileClient:
    """``HostileClient`` for synchronous tests: every coroutine runs on one shared loop thread."""

    _loop: asyncio.AbstractEventLoop | None = None
    _lock = threading.Lock()

    @classmethod
    def loop(cls) -> asyncio.AbstractEventLoop:
        with cls._lock:
            if cls._loop is None or cls._loop.is_closed():
                loop = asyncio.new_event_loop()
                threading.Thread(target=loop.run_forever, name="hostile-client-loop", daemon=True).start()
                cls._loop = loop
            return cls._loop

    @classmethod
    def run(cls, coro: Awaitable[T]) -> T:
        future: Future[T] = asyncio.run_coroutine_threadsafe(coro, cls.loop())  # type: ignore[arg-type]
        return future.result()

    def __init__(self, base_url: str, *, token: str | None = None, timeout: float = HANG_S) -> None:
        async def make() -> HostileClient:
            return HostileClient(base_url, token=token, timeout=timeout)

        self.client = self.run(make())

    @property
    def token(self) -> str:
        return self.client.token

    def connect(self, path: str = "/", *, boot: bool = True) -> CallResult:
        return self.run(self.client.connect(path, boot=boot))

    def close(self) -> None:
        self.run(self.client.close())

    def call(
        self, name: str, payload: dict[str, Any] | None = None, *, path: str | None = None
    ) -> CallResult:
        return self.run(self.client.call(name, payload, path=path))

    def load_page(self, path: str) -> CallResult:
        return self.run(self.client.load_page(path))

    def sign_in(self, login_state: str, email: str, password: str) -> CallResult:
        return self.run(self.client.sign_in(login_state, email, password))

    def __enter__(self) -> SyncHostileClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
