"""Live fan-out of small JSON events to a user's open pages: Redis pub/sub (one channel per
user, so an event published by one process reaches a browser connected to another) or
in-process queues for the embedded run."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, Protocol

import orjson
from redis.asyncio import Redis

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
    def __init__(self, pubsub: Any) -> None:
        self.pubsub = pubsub

    async def next(self, wait_seconds: float) -> dict[str, Any] | None:
        message = await self.pubsub.get_message(
            ignore_subscribe_messages=True, timeout=wait_seconds
        )
        if message is None or message.get("type") != "message":
            return None
        event: dict[str, Any] = orjson.loads(message["data"])
        return event


class RedisFanOut:
    def __init__(self, redis: Redis) -> None:
        self.redis = redis

    async def publish(self, user_id: int, event: dict[str, Any]) -> None:
        await self.redis.publish(f"{CHANNEL_PREFIX}{user_id}", orjson.dumps(event))

    @asynccontextmanager
    async def subscribe(self, user_id: int) -> AsyncIterator[Subscription]:
        pubsub = self.redis.pubsub()
        await pubsub.subscribe(f"{CHANNEL_PREFIX}{user_id}")
        try:
            yield _RedisSubscription(pubsub)
        finally:
            await pubsub.unsubscribe()
            await pubsub.aclose()  # type: ignore[no-untyped-call]

    async def close(self) -> None:
        await self.redis.aclose()
