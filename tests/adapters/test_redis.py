"""The Redis-backed adapters against a real Redis (PITCHASEAT_TEST_REDIS_URL; CI sets it)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from pitchaseat.adapters.cache import RedisGroupCache
from pitchaseat.adapters.ratelimit import RateLimiter

REDIS_URL = os.environ.get("PITCHASEAT_TEST_REDIS_URL")
pytestmark = pytest.mark.skipif(not REDIS_URL, reason="PITCHASEAT_TEST_REDIS_URL is not set")


@pytest.fixture
async def cache() -> AsyncIterator[RedisGroupCache]:
    client = Redis.from_url(REDIS_URL or "")
    yield RedisGroupCache(client, namespace=f"pas-test:{uuid.uuid4().hex}")
    await client.aclose()


async def test_redis_cache_stores_and_drops_a_group(cache: RedisGroupCache) -> None:
    generation = await cache.generation("game:1")
    await cache.put("game:1", "page-1", b"bytes", generation=generation, ttl_seconds=60)

    assert await cache.get("game:1", "page-1") == b"bytes"
    await cache.invalidate("game:1")
    assert await cache.get("game:1", "page-1") is None


async def test_redis_cache_refuses_a_value_computed_before_an_invalidation(
    cache: RedisGroupCache,
) -> None:
    before = await cache.generation("game:2")
    await cache.invalidate("game:2")

    await cache.put("game:2", "page-1", b"stale", generation=before, ttl_seconds=60)

    assert await cache.get("game:2", "page-1") is None


async def test_rate_limits_are_shared_through_redis() -> None:
    key = uuid.uuid4().hex
    first, second = RateLimiter(REDIS_URL), RateLimiter(REDIS_URL)

    results = [await first.hit("2/minute", "test", key), await second.hit("2/minute", "test", key)]
    third = await first.hit("2/minute", "test", key)

    assert [r.allowed for r in results] == [True, True]
    assert not third.allowed
    assert third.retry_after_seconds >= 1
