"""Per-user request limits (DASH_010): in-process, shared through Redis, and Redis down."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mediconnect.core import rate_limit
from mediconnect.core.errors import DashboardError
from mediconnect.core.rate_limit import Limiter, RateLimited
from mediconnect.core.settings import get_settings


def own_db(url: str) -> str:
    return url.rsplit("/", 1)[0] + "/12"


@pytest.fixture(params=["in-process", "redis"])
def configured(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    url = own_db(request.getfixturevalue("redis_url")) if request.param == "redis" else None
    monkeypatch.setattr(get_settings(), "REDIS_URL", url)
    monkeypatch.setattr(get_settings(), "DASHBOARD_RATE_LIMIT", 3)
    rate_limit.reset()
    yield
    rate_limit.reset()


def test_the_request_over_the_limit_is_dash_010(configured: None) -> None:
    for _ in range(3):
        rate_limit.check(41)
    with pytest.raises(DashboardError) as refused:
        rate_limit.check(41)
    assert refused.value.code.code == "DASH_010" and refused.value.http_status == 429
    assert isinstance(refused.value, RateLimited)
    assert 1 <= refused.value.retry_after <= get_settings().DASHBOARD_RATE_WINDOW_SECONDS
    rate_limit.check(42)  # per user
    rate_limit.check(41, bucket="export")  # per bucket


def test_explicit_limit_and_window(configured: None) -> None:
    rate_limit.check(43, limit=1, window=3600)
    with pytest.raises(RateLimited):
        rate_limit.check(43, limit=1, window=3600)


def test_the_window_reopens() -> None:
    lim = Limiter(None)
    assert [lim.hit("u", 60, now=120.0)[0] for _ in range(3)] == [1, 2, 3]
    assert lim.hit("u", 60, now=150.0) == (4, 30)
    assert lim.hit("u", 60, now=180.0) == (1, 60)


def test_two_processes_share_one_count(redis_url: str) -> None:
    one, two = Limiter(own_db(redis_url)), Limiter(own_db(redis_url))
    one.reset()
    now = 1_000_000.0
    assert one.hit("dashboard:7", 60, now=now)[0] == 1
    assert two.hit("dashboard:7", 60, now=now)[0] == 2
    assert one.hit("dashboard:7", 60, now=now)[0] == 3
    one.reset()


def test_redis_outage_counts_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "REDIS_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setattr(get_settings(), "DASHBOARD_RATE_LIMIT", 2)
    rate_limit.reset()
    rate_limit.check(44)
    rate_limit.check(44)
    with pytest.raises(RateLimited):
        rate_limit.check(44)
    rate_limit.reset()
