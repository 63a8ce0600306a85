"""Rate limits on a moving window: Redis when configured (shared by every process),
in-process memory otherwise.

While Redis fails, limits are counted in this process's memory (each process then allows
its own share, which is looser but never open), with a warning in the log; the breaker
sends them back to Redis once it answers again.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, parse_many
from limits.aio.storage import MemoryStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError
from limits.storage import storage_from_string

from pitchaseat.adapters.breaker import REDIS_ERRORS, REDIS_TIMEOUT_SECONDS, CircuitBreaker

log = logging.getLogger(__name__)
_STORAGE_ERRORS: tuple[type[BaseException], ...] = (StorageError, *REDIS_ERRORS)


@dataclass(frozen=True)
class LimitCheck:
    allowed: bool
    retry_after_seconds: int


async def _check(
    limiter: MovingWindowRateLimiter, items: list[RateLimitItem], key: tuple[str, ...]
) -> LimitCheck:
    # Several windows make growing delays: "5/minute;10/hour" waits a minute after the
    # fifth attempt and up to an hour after the tenth.
    for item in items:
        if not await limiter.hit(item, *key):
            stats = await limiter.get_window_stats(item, *key)
            return LimitCheck(False, max(1, math.ceil(stats.reset_time - time.time())))
    return LimitCheck(True, 0)


class RateLimiter:
    def __init__(
        self,
        redis_url: str | None = None,
        *,
        namespace: str = "pas",
        breaker: CircuitBreaker | None = None,
    ) -> None:
        self.storage: Storage
        self.breaker = breaker
        self._local_storage = MemoryStorage()
        self._local = MovingWindowRateLimiter(self._local_storage)
        if redis_url:
            uri = redis_url.replace("redis://", "async+redis://", 1)
            self.storage = storage_from_string(  # type: ignore[assignment]
                uri,
                key_prefix=f"{namespace}:limits",
                implementation="redispy",
                wrap_exceptions=True,
                socket_timeout=REDIS_TIMEOUT_SECONDS,
                socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            )
            self.breaker = breaker or CircuitBreaker("redis")
            self._limiter = MovingWindowRateLimiter(self.storage)
        else:
            self.storage = MemoryStorage()
            self._limiter = MovingWindowRateLimiter(self.storage)
        self._counting_locally = False

    async def hit(self, rule: str, *key: str) -> LimitCheck:
        """Counts one attempt under ``rule`` (e.g. ``"10/5 minutes"``, or several windows
        separated by ``;``) for ``key``."""
        items = parse_many(rule)
        if self.breaker is None:
            return await _check(self._limiter, items, key)
        if self.breaker.allow():
            try:
                check = await _check(self._limiter, items, key)
            except _STORAGE_ERRORS as error:
                self.breaker.record_failure(error)
            else:
                self.breaker.record_success()
                if self._counting_locally:
                    self._counting_locally = False
                    log.warning("rate limits: counting in Redis again")
                return check
        if not self._counting_locally:
            self._counting_locally = True
            log.warning("rate limits: Redis unavailable, counting in this process meanwhile")
        return await _check(self._local, items, key)

    async def reset(self) -> None:
        await self.storage.reset()
        await self._local_storage.reset()
