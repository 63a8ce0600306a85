"""Background jobs: a Dramatiq broker (RabbitMQ or Redis) when one is configured, else an
in-process queue that runs each job in an asyncio task right away.

Jobs carry ids only. A job that wants another try raises ``RetryLater``: Dramatiq retries it
with exponential backoff; the in-process queue waits ``delay_seconds`` and runs it again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol

import dramatiq
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.brokers.redis import RedisBroker
from dramatiq.middleware.asyncio import AsyncIO

from pitchaseat.adapters.breaker import CircuitBreaker

log = logging.getLogger(__name__)
QUEUE_NAME = "pitchaseat"
Handler = Callable[[int], Awaitable[None]]


class BrokerUnavailable(Exception):
    """The broker is failing; the job stays in its outbox for the sweep."""


class RetryLater(Exception):
    def __init__(self, delay_seconds: float, reason: str = "") -> None:
        super().__init__(reason or f"retry in {delay_seconds:.1f}s")
        self.delay_seconds = delay_seconds


class JobQueue(Protocol):
    def register(
        self, name: str, handler: Handler, *, max_retries: int, min_backoff_seconds: float
    ) -> None: ...

    async def enqueue(self, name: str, job_id: int) -> None:
        """Hands the job over; raises when the broker cannot take it (the caller's sweep
        picks the job up later)."""

    async def enqueue_many(self, name: str, job_ids: Sequence[int]) -> None:
        """``enqueue`` for several jobs in one hand-over."""

    async def close(self) -> None: ...


class InProcessQueue:
    def __init__(self) -> None:
        self._handlers: dict[str, Handler] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def register(
        self, name: str, handler: Handler, *, max_retries: int, min_backoff_seconds: float
    ) -> None:
        self._handlers[name] = handler

    async def enqueue(self, name: str, job_id: int) -> None:
        task = asyncio.create_task(self._run(self._handlers[name], job_id))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def enqueue_many(self, name: str, job_ids: Sequence[int]) -> None:
        for job_id in job_ids:
            await self.enqueue(name, job_id)

    async def _run(self, handler: Handler, job_id: int) -> None:
        while True:
            try:
                await handler(job_id)
                return
            except RetryLater as retry:
                await asyncio.sleep(retry.delay_seconds)
            except Exception:
                log.exception("in-process job %s failed", job_id)
                return

    async def drain(self) -> None:
        """Waits for every job under way (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*list(self._tasks), return_exceptions=True)


def build_broker(url: str) -> dramatiq.Broker:
    broker: dramatiq.Broker
    if url.startswith(("redis://", "rediss://")):
        broker = RedisBroker(url=url, namespace="pitchaseat")  # type: ignore[no-untyped-call]
    else:
        broker = RabbitmqBroker(url=url, confirm_delivery=True)
    broker.add_middleware(AsyncIO())
    return broker


class DramatiqQueue:
    def __init__(
        self,
        broker: dramatiq.Broker,
        *,
        queue_name: str = QUEUE_NAME,
        breaker: CircuitBreaker | None = None,
    ) -> None:
        self.broker = broker
        self.queue_name = queue_name
        # While the broker fails, hand-overs are refused at once instead of each waiting for
        # a connection attempt; the outbox rows wait for the sweep.
        self.breaker = breaker or CircuitBreaker("broker")
        self.actors: dict[str, dramatiq.Actor[Any, Any]] = {}

    def register(
        self, name: str, handler: Handler, *, max_retries: int, min_backoff_seconds: float
    ) -> None:
        declare = dramatiq.actor(
            actor_name=name,
            queue_name=self.queue_name,
            broker=self.broker,
            max_retries=max_retries,
            min_backoff=int(min_backoff_seconds * 1000),
            # The job itself says when to give up; anything else is a bug worth retrying.
            retry_when=None,
        )
        self.actors[name] = declare(handler)

    async def enqueue(self, name: str, job_id: int) -> None:
        await self.enqueue_many(name, [job_id])

    async def enqueue_many(self, name: str, job_ids: Sequence[int]) -> None:
        if not job_ids:
            return
        if not self.breaker.allow():
            raise BrokerUnavailable(self.breaker.last_error or "broker unavailable")
        actor = self.actors[name]

        def send_all() -> None:
            for job_id in job_ids:
                actor.send(job_id)

        try:
            # The broker clients block (pika, redis-py); keep them off the event loop, in one
            # thread hop for the lot (a payment hands over three emails).
            await asyncio.to_thread(send_all)
        except Exception as error:
            self.breaker.record_failure(error)
            raise
        self.breaker.record_success()

    def worker(self, *, threads: int = 2) -> dramatiq.Worker:
        return dramatiq.Worker(
            self.broker, queues={self.queue_name}, worker_threads=threads, worker_timeout=200
        )

    async def close(self) -> None:
        await asyncio.to_thread(self.broker.close)


def build_queue(
    broker_url: str | None, queue_name: str = QUEUE_NAME
) -> InProcessQueue | DramatiqQueue:
    if not broker_url:
        return InProcessQueue()
    return DramatiqQueue(build_broker(broker_url), queue_name=queue_name)
