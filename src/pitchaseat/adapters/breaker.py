"""A circuit breaker for the optional parts (Redis, the broker).

Closed, calls go through. After ``failure_threshold`` failures in a row it opens: calls are
refused at once for ``reset_seconds``, so a dead Redis does not add its timeout to every
request. Then one trial call is let through (half-open); its success closes the breaker,
its failure opens it again. Recovery needs no operator.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal, TypeVar

from redis.asyncio import Redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
State = Literal["closed", "open", "half_open"]
T = TypeVar("T")
# What a Redis outage raises: refused or dropped connections, timeouts, server errors.
REDIS_ERRORS: tuple[type[BaseException], ...] = (RedisError, OSError, TimeoutError)

# A Redis that hangs (rather than refusing connections) costs at most this per call, and
# only until the breaker opens.
REDIS_TIMEOUT_SECONDS = 0.5


@dataclass(frozen=True)
class BreakerStatus:
    name: str
    state: State
    last_error: str | None


class CircuitBreaker:
    def __init__(
        self,
        name: str,
        *,
        failure_threshold: int = 3,
        reset_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.name = name
        self.failure_threshold = failure_threshold
        self.reset_seconds = reset_seconds
        self._clock = clock
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_started_at: float | None = None
        self.last_error: str | None = None

    @property
    def state(self) -> State:
        if self._opened_at is None:
            return "closed"
        if self._clock() - self._opened_at >= self.reset_seconds:
            return "half_open"
        return "open"

    def allow(self) -> bool:
        """Whether a call may try the part now (closed, or the one half-open trial)."""
        state = self.state
        if state == "closed":
            return True
        if state == "open":
            return False
        now = self._clock()
        # One trial at a time; a trial that never reported back frees the slot after a while.
        if self._trial_started_at is not None and now - self._trial_started_at < self.reset_seconds:
            return False
        self._trial_started_at = now
        return True

    def record_success(self) -> None:
        if self._opened_at is not None:
            log.warning("%s recovered; using it again", self.name)
        self._failures = 0
        self._opened_at = None
        self._trial_started_at = None
        self.last_error = None

    def record_failure(self, error: BaseException) -> None:
        self.last_error = f"{type(error).__name__}: {error}"[:200]
        self._failures += 1
        self._trial_started_at = None
        if self._opened_at is not None:
            self._opened_at = self._clock()  # the trial failed: stay open for another period
        elif self._failures >= self.failure_threshold:
            self._opened_at = self._clock()
            log.warning(
                "%s is failing (%s); degraded until it answers again", self.name, self.last_error
            )

    async def call(
        self,
        operation: Callable[[], Awaitable[T]],
        *,
        fallback: T,
        errors: tuple[type[BaseException], ...] = REDIS_ERRORS,
    ) -> T:
        """The operation's result, or ``fallback`` when the part is failing or refused."""
        if not self.allow():
            return fallback
        try:
            result = await operation()
        except errors as error:
            self.record_failure(error)
            return fallback
        self.record_success()
        return result

    def status(self) -> BreakerStatus:
        return BreakerStatus(self.name, self.state, self.last_error)


def connect_redis(url: str) -> Redis:
    """A Redis client whose calls give up quickly, so a hung server degrades, not stalls."""
    return Redis.from_url(
        url,
        socket_timeout=REDIS_TIMEOUT_SECONDS,
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
    )
