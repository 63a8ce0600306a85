"""Cached market figures: JSON bytes in the project's group cache (Redis when configured,
memory otherwise), kept for a short time and dropped at once by a version bump.

Entries live in groups named after the current market version. ``invalidate_market_stats``
bumps that version, so every figure computed before it is simply never read again (and
expires with its TTL); a figure computed across a bump is stored under the old version.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from pitchaseat.adapters.cache import GroupCache

STATS_TTL_SECONDS = 60
VERSION_GROUP = "market-stats"


async def invalidate_market_stats(cache: GroupCache) -> None:
    """Call after committing a change to what counts as traded: an order paid or refunded."""
    await cache.invalidate(VERSION_GROUP)


class MarketStatsCache:
    def __init__(self, cache: GroupCache, *, enabled: bool = True) -> None:
        self.cache = cache
        self.enabled = enabled

    async def get_or_compute(
        self, section: str, key: str, compute: Callable[[], Awaitable[bytes]]
    ) -> bytes:
        """``section`` groups the entries (one per game keeps each group small)."""
        if not self.enabled:
            return await compute()
        version = await self.cache.generation(VERSION_GROUP)
        group = f"{VERSION_GROUP}:v{version}:{section}"
        body = await self.cache.get(group, key)
        if body is None:
            body = await compute()
            # Versioned groups are never invalidated, only abandoned: their generation stays 0.
            await self.cache.put(group, key, body, generation=0, ttl_seconds=STATS_TTL_SECONDS)
        return body
