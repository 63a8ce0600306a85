"""Rate limits on a moving window: Redis when configured (shared by every process),
in-process memory otherwise."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string


@dataclass(frozen=True)
class LimitCheck:
    allowed: bool
    retry_after_seconds: int


class RateLimiter:
    def __init__(self, redis_url: str | None = None, *, namespace: str = "pas") -> None:
        self.storage: Storage
        if redis_url:
            uri = redis_url.replace("redis://", "async+redis://", 1)
            self.storage = storage_from_string(  # type: ignore[assignment]
                uri, key_prefix=f"{namespace}:limits", implementation="redispy"
            )
        else:
            self.storage = MemoryStorage()
        self._limiter = MovingWindowRateLimiter(self.storage)

    async def hit(self, rule: str, *key: str) -> LimitCheck:
        """Counts one attempt under ``rule`` (e.g. ``"10/5 minutes"``) for ``key``."""
        item: RateLimitItem = parse(rule)
        if await self._limiter.hit(item, *key):
            return LimitCheck(True, 0)
        stats = await self._limiter.get_window_stats(item, *key)
        return LimitCheck(False, max(1, math.ceil(stats.reset_time - time.time())))

    async def reset(self) -> None:
        await self.storage.reset()
