"""A small byte cache with generation counters: Redis when configured, a TTL dict otherwise.

Generations make invalidation race-free. A reader fetches the value together with the current
generation(s) of the families it belongs to (one MGET) BEFORE it reads the database, and stores
what it computed tagged with those generations. Invalidation increments the generation. A value
whose tag is not the current generation is a miss, so a reader that computed from a snapshot
taken before a commit can never make its stale result current by storing it after the
commit's invalidation.

A Redis outage is never an error for the caller: reads miss, writes are dropped, a warning is
logged and Redis is left alone for a short back-off. Because an invalidation may have been
lost meanwhile, the first successful contact afterwards increments a global epoch that every
tag includes, which retires everything stored before the outage.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from typing import cast

import redis

from mediconnect.core.settings import get_settings

log = logging.getLogger(__name__)

EPOCH_KEY = "dash:gen:epoch"
BACKOFF_S = 5.0
# Short: a dashboard must not wait seconds for a cache that is not there.
REDIS_TIMEOUT_S = 0.5
MAX_LOCAL_ENTRIES = 10_000

Tag = tuple[int, ...]


class Cache:
    """One cache. ``url`` None: in-process (the embedded default); else that Redis."""

    def __init__(self, url: str | None) -> None:
        self.url = url
        self._lock = threading.Lock()
        self._local: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._counters: dict[str, int] = {}
        self._clients: dict[int, redis.Redis] = {}
        self._down_until = 0.0
        self._lost_invalidation = False

    # ------------------------------------------------------------------ plain values

    def get(self, key: str) -> bytes | None:
        return self.read(key, ())[0]

    def set(self, key: str, value: bytes, ttl: int) -> None:
        if self.url is None:
            with self._lock:
                self._local[key] = (time.monotonic() + ttl, value)
                self._local.move_to_end(key)
                while len(self._local) > MAX_LOCAL_ENTRIES:
                    self._local.popitem(last=False)
            return
        client = self._client()
        if client is not None:
            try:
                client.set(key, value, ex=max(1, ttl))
            except redis.RedisError as exc:
                self._failed(exc)

    def delete(self, *keys: str) -> None:
        if not keys:
            return
        if self.url is None:
            with self._lock:
                for key in keys:
                    self._local.pop(key, None)
            return
        client = self._client()
        if client is not None:
            try:
                client.delete(*keys)
            except redis.RedisError as exc:
                self._failed(exc)

    # ------------------------------------------------------------------ generations

    def read(self, key: str, gen_keys: Sequence[str]) -> tuple[bytes | None, Tag]:
        """The value under ``key`` and the current tag: (epoch, *generations of gen_keys)."""
        if self.url is None:
            with self._lock:
                hit = self._local.get(key)
                if hit is not None and hit[0] <= time.monotonic():
                    del self._local[key]
                    hit = None
                tag = (self._counters.get(EPOCH_KEY, 0), *(self._counters.get(g, 0) for g in gen_keys))
            return (hit[1] if hit else None), tag
        client = self._client()
        if client is None:
            return None, ()
        try:
            raw = cast(list[bytes | None], client.mget([key, EPOCH_KEY, *gen_keys]))
        except redis.RedisError as exc:
            self._failed(exc)
            return None, ()
        return raw[0], tuple(int(v or 0) for v in raw[1:])

    def bump(self, gen_keys: Sequence[str], delete: Sequence[str] = ()) -> None:
        """Invalidate: increment each generation and drop the given values."""
        if self.url is None:
            with self._lock:
                for g in gen_keys:
                    self._counters[g] = self._counters.get(g, 0) + 1
                for key in delete:
                    self._local.pop(key, None)
            return
        client = self._client()
        if client is None:
            self._lost_invalidation = True
            return
        try:
            pipe = client.pipeline(transaction=False)
            for g in gen_keys:
                pipe.incr(g)
            if delete:
                pipe.delete(*delete)
            pipe.execute()
        except redis.RedisError as exc:
            self._lost_invalidation = True
            self._failed(exc)

    def clear(self, prefix: str = "dash:") -> None:
        """Forget everything under ``prefix`` (tests; an operator's flush)."""
        if self.url is None:
            with self._lock:
                for key in [k for k in self._local if k.startswith(prefix)]:
                    del self._local[key]
                self._counters[EPOCH_KEY] = self._counters.get(EPOCH_KEY, 0) + 1
            return
        client = self._client()
        if client is None:
            return
        try:
            client.incr(EPOCH_KEY)
            batch = [k for k in client.scan_iter(match=f"{prefix}*", count=1000) if k != EPOCH_KEY.encode()]
            for start in range(0, len(batch), 500):
                client.delete(*batch[start : start + 500])
        except redis.RedisError as exc:
            self._failed(exc)

    @property
    def available(self) -> bool:
        return self.url is None or self._client() is not None

    # ------------------------------------------------------------------ Redis plumbing

    def _client(self) -> redis.Redis | None:
        if self.url is None or time.monotonic() < self._down_until:
            return None
        pid = os.getpid()  # a forked worker opens its own connections
        client = self._clients.get(pid)
        if client is None:
            client = self._clients[pid] = redis.Redis.from_url(
                self.url, socket_timeout=REDIS_TIMEOUT_S, socket_connect_timeout=REDIS_TIMEOUT_S
            )
        if self._lost_invalidation:
            try:
                client.incr(EPOCH_KEY)
            except redis.RedisError as exc:
                self._failed(exc)
                return None
            self._lost_invalidation = False
            log.warning("cache: Redis is back; retired every value stored before the outage")
        return client

    def _failed(self, exc: Exception) -> None:
        self._down_until = time.monotonic() + BACKOFF_S
        log.warning("cache: Redis unavailable (%s); serving without cache for %.0fs", exc, BACKOFF_S)


_caches: dict[str | None, Cache] = {}
_caches_lock = threading.Lock()


def get_cache() -> Cache:
    """This process's cache for the configured REDIS_URL (None: in-process)."""
    url = get_settings().REDIS_URL or None
    with _caches_lock:
        cache = _caches.get(url)
        if cache is None:
            cache = _caches[url] = Cache(url)
        return cache
