"""The market figures cache: served until the version is bumped, on memory and on Redis."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from pitchaseat.adapters.cache import GroupCache, MemoryGroupCache, RedisGroupCache
from pitchaseat.insights import invalidate_market_stats
from pitchaseat.insights.cache import MarketStatsCache

REDIS_URL = os.environ.get("PITCHASEAT_TEST_REDIS_URL")


@pytest.fixture(params=["memory", "redis"])
async def cache(request: pytest.FixtureRequest) -> AsyncIterator[GroupCache]:
    if request.param == "memory":
        yield MemoryGroupCache()
        return
    if not REDIS_URL:
        pytest.skip("PITCHASEAT_TEST_REDIS_URL is not set")
    client = Redis.from_url(REDIS_URL)
    yield RedisGroupCache(client, namespace=f"pas-test:{uuid.uuid4().hex}")
    await client.aclose()


class Counter:
    def __init__(self) -> None:
        self.calls = 0

    async def __call__(self) -> bytes:
        self.calls += 1
        return f"figure {self.calls}".encode()


async def test_a_figure_is_computed_once_then_served(cache: GroupCache) -> None:
    stats, compute = MarketStatsCache(cache), Counter()

    first = await stats.get_or_compute("site", "summary", compute)
    second = await stats.get_or_compute("site", "summary", compute)

    assert (first, second, compute.calls) == (b"figure 1", b"figure 1", 1)


async def test_invalidation_bumps_the_version_and_recomputes(cache: GroupCache) -> None:
    stats, compute = MarketStatsCache(cache), Counter()
    await stats.get_or_compute("site", "summary", compute)
    await stats.get_or_compute("game:1", "prices", compute)

    await invalidate_market_stats(cache)

    assert await stats.get_or_compute("site", "summary", compute) == b"figure 3"
    assert await stats.get_or_compute("game:1", "prices", compute) == b"figure 4"


async def test_a_figure_computed_across_a_bump_is_not_served_after_it(cache: GroupCache) -> None:
    stats = MarketStatsCache(cache)

    async def stale() -> bytes:
        await invalidate_market_stats(cache)  # a payment commits while this is computed
        return b"stale"

    await stats.get_or_compute("site", "summary", stale)

    assert await stats.get_or_compute("site", "summary", Counter()) == b"figure 1"


async def test_a_disabled_cache_always_computes(cache: GroupCache) -> None:
    stats, compute = MarketStatsCache(cache, enabled=False), Counter()

    await stats.get_or_compute("site", "summary", compute)
    await stats.get_or_compute("site", "summary", compute)

    assert compute.calls == 2
