"""Per-user request limits (DASH_010), shared by every process through Redis when configured.

A fixed window: the count of a user's requests in the current ``window``-second slot. One
pipelined INCR + EXPIRE per request, so every process of the app (and every API worker) counts
against the same number. Without Redis (the embedded default), or while Redis is unreachable,
the count is kept in this process: a limit that is briefly per-process is better than none,
and far better than refusing every request because the counter is down.
"""

from __future__ import annotations

import logging
import os
import threading
import time

import redis

from mediconnect.core.errors import DashboardError, DashErrorCode
from mediconnect.core.settings import get_settings

log = logging.getLogger(__name__)

BACKOFF_S = 5.0
REDIS_TIMEOUT_S = 0.5


class RateLimited(DashboardError):
    """DASH_010 with the seconds until the window reopens (the API sends it as Retry-After)."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = max(1, retry_after)
        super().__init__(DashErrorCode.DASH_010, f"retry after {self.retry_after} s")


class Limiter:
    """One counter store. ``url`` None: in-process; else that Redis."""

    def __init__(self, url: str | None) -> None:
        self.url = url
        self._lock = threading.Lock()
        self._local: dict[str, int] = {}
        self._clients: dict[int, redis.Redis] = {}
        self._down_until = 0.0

    def hit(self, key: str, window: int, now: float | None = None) -> tuple[int, int]:
        """Count one request; returns (requests in this window so far, seconds left in it)."""
        now = time.time() if now is None else now
        slot = int(now // window)
        left = max(1, int((slot + 1) * window - now + 0.999))
        slot_key = f"ratelimit:{key}:{window}:{slot}"
        count = self._redis_hit(slot_key, window)
        if count is None:
            count = self._local_hit(slot_key, slot, window)
        return count, left

    def reset(self) -> None:
        with self._lock:
            self._local.clear()
        client = self._client()
        if client is None:
            return
        try:
            keys = list(client.scan_iter(match="ratelimit:*", count=1000))
            if keys:
                client.delete(*keys)
        except redis.RedisError as exc:
            self._failed(exc)

    def _local_hit(self, slot_key: str, slot: int, window: int) -> int:
        with self._lock:
            # Drop finished windows now and then so the dict stays the size of the active users.
            if len(self._local) > 10_000:
                live = f":{window}:{slot}"
                self._local = {k: v for k, v in self._local.items() if k.endswith(live)}
            count = self._local.get(slot_key, 0) + 1
            self._local[slot_key] = count
            return count

    def _redis_hit(self, slot_key: str, window: int) -> int | None:
        client = self._client()
        if client is None:
            return None
        try:
            pipe = client.pipeline(transaction=True)
            pipe.incr(slot_key)
            pipe.expire(slot_key, window + 1)
            count, _ = pipe.execute()
            return int(count)
        except redis.RedisError as exc:
            self._failed(exc)
            return None

    def _client(self) -> redis.Redis | None:
        if self.url is None or time.monotonic() < self._down_until:
            return None
        pid = os.getpid()
        client = self._clients.get(pid)
        if client is None:
            client = self._clients[pid] = redis.Redis.from_url(
                self.url, socket_timeout=REDIS_TIMEOUT_S, socket_connect_timeout=REDIS_TIMEOUT_S
            )
        return client

    def _failed(self, exc: Exception) -> None:
        self._down_until = time.monotonic() + BACKOFF_S
        log.warning("rate limit: Redis unavailable (%s); counting in-process for %.0fs", exc, BACKOFF_S)


_limiters: dict[str | None, Limiter] = {}
_limiters_lock = threading.Lock()


def get_limiter() -> Limiter:
    url = get_settings().REDIS_URL or None
    with _limiters_lock:
        limiter = _limiters.get(url)
        if limiter is None:
            limiter = _limiters[url] = Limiter(url)
        return limiter


def check(
    user_id: int, *, bucket: str = "dashboard", limit: int | None = None, window: int | None = None
) -> None:
    """Count a request of ``user_id`` in ``bucket``; DASH_010 (``RateLimited``) over the limit."""
    settings = get_settings()
    limit = settings.DASHBOARD_RATE_LIMIT if limit is None else limit
    window = settings.DASHBOARD_RATE_WINDOW_SECONDS if window is None else window
    count, left = get_limiter().hit(f"{bucket}:{user_id}", max(1, window))
    if count > limit:
        raise RateLimited(left)


def reset() -> None:
    """Forget every count (tests; an operator lifting a limit)."""
    get_limiter().reset()
