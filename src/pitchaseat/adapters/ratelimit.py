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
from functools import lru_cache

from limits import RateLimitItem, parse_many
from limits.aio.storage import Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError
from limits.storage import storage_from_string

from pitchaseat.adapters.breaker import REDIS_ERRORS, REDIS_TIMEOUT_SECONDS, CircuitBreaker
from pitchaseat.adapters.local_limits import LocalMovingWindows

log = logging.getLogger(__name__)
_STORAGE_ERRORS: tuple[type[BaseException], ...] = (StorageError, *REDIS_ERRORS)


@dataclass(frozen=True)
class LimitCheck:
    allowed: bool
    retry_after_seconds: int


@lru_cache(maxsize=256)
def _windows_of(rule: str) -> tuple[RateLimitItem, ...]:
    return tuple(parse_many(rule))


# Several windows make growing delays: "5/minute;10/hour" waits a minute after the fifth
# attempt and up to an hour after the tenth.
async def _check(
    limiter: MovingWindowRateLimiter, items: tuple[RateLimitItem, ...], key: tuple[str, ...]
) -> LimitCheck:
    for item in items:
        if not await limiter.hit(item, *key):
            stats = await limiter.get_window_stats(item, *key)
            return LimitCheck(False, max(1, math.ceil(stats.reset_time - time.time())))
    return LimitCheck(True, 0)


def _check_locally(
    windows: LocalMovingWindows, items: tuple[RateLimitItem, ...], key: tuple[str, ...]
) -> LimitCheck:
    for item in items:
        allowed, wait_seconds = windows.hit(item, *key)
        if not allowed:
            return LimitCheck(False, max(1, math.ceil(wait_seconds)))
    return LimitCheck(True, 0)


class RateLimiter:
    def __init__(
        self,
        redis_url: str | None = None,
        *,
        namespace: str = "pas",
        breaker: CircuitBreaker | None = None,
    ) -> None:
        self.breaker = breaker
        self._local = LocalMovingWindows()
        self._shared: MovingWindowRateLimiter | None = None
        self._shared_storage: Storage | None = None
        if redis_url:
            uri = redis_url.replace("redis://", "async+redis://", 1)
            storage: Storage = storage_from_string(  # type: ignore[assignment]
                uri,
                key_prefix=f"{namespace}:limits",
                implementation="redispy",
                wrap_exceptions=True,
                socket_timeout=REDIS_TIMEOUT_SECONDS,
                socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            )
            self.breaker = breaker or CircuitBreaker("redis")
            self._shared_storage = storage
            self._shared = MovingWindowRateLimiter(storage)
        self._counting_locally = False

    async def hit(self, rule: str, *key: str) -> LimitCheck:
        """Counts one attempt under ``rule`` (e.g. ``"10/5 minutes"``, or several windows
        separated by ``;``) for ``key``."""
        items = _windows_of(rule)
        if self._shared is None:
            return _check_locally(self._local, items, key)
        if self.breaker is None or self.breaker.allow():
            try:
                check = await _check(self._shared, items, key)
            except _STORAGE_ERRORS as error:
                if self.breaker is None:
                    raise
                self.breaker.record_failure(error)
            else:
                if self.breaker is not None:
                    self.breaker.record_success()
                if self._counting_locally:
                    self._counting_locally = False
                    log.warning("rate limits: counting in Redis again")
                return check
        if not self._counting_locally:
            self._counting_locally = True
            log.warning("rate limits: Redis unavailable, counting in this process meanwhile")
        return _check_locally(self._local, items, key)

    async def reset(self) -> None:
        if self._shared_storage is not None:
            await self._shared_storage.reset()
        self._local.reset()
