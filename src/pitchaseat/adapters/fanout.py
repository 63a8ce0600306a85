"""Live fan-out of small JSON events to a user's open pages: Redis pub/sub (one channel per
user, so an event published by one process reaches a browser connected to another) or
in-process queues for the embedded run.

While Redis fails, live updates pause: events are dropped (the bell catches up on the next
page) and open streams wait, re-subscribing once the breaker lets them try again.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, Protocol

import orjson
from redis.asyncio import Redis

from pitchaseat.adapters.breaker import REDIS_ERRORS, CircuitBreaker

CHANNEL_PREFIX = "pitchaseat:notifications:"


class Subscription(Protocol):
    async def next(self, wait_seconds: float) -> dict[str, Any] | None:
        """The next event, or None when ``wait_seconds`` pass without one."""


class FanOut(Protocol):
    async def publish(self, user_id: int, event: dict[str, Any]) -> None: ...

    def subscribe(self, user_id: int) -> AbstractAsyncContextManager[Subscription]: ...

    async def close(self) -> None: ...


class _QueueSubscription:
    def __init__(self) -> None:
        self.queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=100)

    async def next(self, wait_seconds: float) -> dict[str, Any] | None:
        try:
            return await asyncio.wait_for(self.queue.get(), wait_seconds)
        except TimeoutError:
            return None


class MemoryFanOut:
    def __init__(self) -> None:
        self._subscribers: dict[int, set[_QueueSubscription]] = defaultdict(set)

    async def publish(self, user_id: int, event: dict[str, Any]) -> None:
        for subscription in list(self._subscribers.get(user_id, ())):
            if not subscription.queue.full():  # a stalled page loses events, not memory
                subscription.queue.put_nowait(event)

    @asynccontextmanager
    async def subscribe(self, user_id: int) -> AsyncIterator[Subscription]:
        subscription = _QueueSubscription()
        self._subscribers[user_id].add(subscription)
        try:
            yield subscription
        finally:
            self._subscribers[user_id].discard(subscription)
            if not self._subscribers[user_id]:
                del self._subscribers[user_id]

    async def close(self) -> None:
        self._subscribers.clear()


class _RedisSubscription:
    """A subscription that survives Redis going away: it re-subscribes when allowed."""

    def __init__(self, redis: Redis, channel: str, breaker: CircuitBreaker) -> None:
        self.redis = redis
        self.channel = channel
        self.breaker = breaker
        self.pubsub: Any = None

    async def connect(self) -> bool:
        if self.pubsub is not None:
            return True
        if not self.breaker.allow():
            return False
        pubsub = self.redis.pubsub()
        try:
            await pubsub.subscribe(self.channel)
        except REDIS_ERRORS as error:
            self.breaker.record_failure(error)
            await _close_quietly(pubsub)
            return False
        self.breaker.record_success()
        self.pubsub = pubsub
        return True

    async def next(self, wait_seconds: float) -> dict[str, Any] | None:
        if not await self.connect():
            await asyncio.sleep(wait_seconds)  # paused: the stream just sends heartbeats
            return None
        try:
            message = await self.pubsub.get_message(
                ignore_subscribe_messages=True, timeout=wait_seconds
            )
        except REDIS_ERRORS as error:
            self.breaker.record_failure(error)
            await self.close()
            return None
        if message is None or message.get("type") != "message":
            return None
        event: dict[str, Any] = orjson.loads(message["data"])
        return event

    async def close(self) -> None:
        pubsub, self.pubsub = self.pubsub, None
        if pubsub is not None:
            await _close_quietly(pubsub)


async def _close_quietly(pubsub: Any) -> None:
    with contextlib.suppress(*REDIS_ERRORS):  # the connection may be gone already
        await pubsub.aclose()


class RedisFanOut:
    def __init__(self, redis: Redis, breaker: CircuitBreaker | None = None) -> None:
        self.redis = redis
        self.breaker = breaker or CircuitBreaker("redis")

    async def publish(self, user_id: int, event: dict[str, Any]) -> None:
        async def send() -> None:
            await self.redis.publish(f"{CHANNEL_PREFIX}{user_id}", orjson.dumps(event))

        await self.breaker.call(send, fallback=None)

    @asynccontextmanager
    async def subscribe(self, user_id: int) -> AsyncIterator[Subscription]:
        subscription = _RedisSubscription(self.redis, f"{CHANNEL_PREFIX}{user_id}", self.breaker)
        await subscription.connect()  # now, so no event published after this call is missed
        try:
            yield subscription
        finally:
            await subscription.close()

    async def close(self) -> None:
        await self.redis.aclose()
