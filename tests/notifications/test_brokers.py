"""A real Dramatiq worker on RabbitMQ and on Redis delivers the outbox's emails, retrying
while the SMTP server refuses (PITCHASEAT_TEST_AMQP_URL / PITCHASEAT_TEST_REDIS_URL)."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from pitchaseat.adapters.fanout import MemoryFanOut
from pitchaseat.adapters.queue import DramatiqQueue, build_broker
from pitchaseat.db import commit
from pitchaseat.notifications import delivery
from pitchaseat.notifications.kinds import Kind
from pitchaseat.notifications.models import EmailOutbox, EmailStatus
from pitchaseat.notifications.service import notify
from pitchaseat.runtime import AppServices
from pitchaseat.worker import WorkerDelivery, retry_policy
from tests.factories import make_user
from tests.notifications.conftest import AMQP_URL, REDIS_URL, SmtpRecorder

BROKERS = [
    pytest.param(AMQP_URL, id="rabbitmq", marks=pytest.mark.skipif(not AMQP_URL, reason="no AMQP")),
    pytest.param(REDIS_URL, id="redis", marks=pytest.mark.skipif(not REDIS_URL, reason="no Redis")),
]


@pytest.fixture(params=BROKERS)
async def broker_services(
    request: pytest.FixtureRequest, live_services: AppServices
) -> AsyncIterator[AppServices]:
    """The live services, handing emails to a broker queue of their own, with a worker."""
    queue = DramatiqQueue(build_broker(request.param), queue_name=f"pas-test-{uuid.uuid4().hex}")
    delivery.install(
        queue, WorkerDelivery(live_services.settings).deliver, retry_policy(live_services.settings)
    )
    services = AppServices(**{**live_services.__dict__, "jobs": queue, "fanout": MemoryFanOut()})
    worker = queue.worker(threads=1)
    worker.start()
    try:
        yield services
    finally:
        await asyncio.to_thread(worker.stop)
        with contextlib.suppress(Exception):
            await asyncio.to_thread(_delete_queues, queue)
        await queue.close()


def _delete_queues(queue: DramatiqQueue) -> None:
    channel = getattr(queue.broker, "channel", None)
    if channel is not None:  # RabbitMQ keeps declared queues; Redis keys just expire
        for name in (queue.queue_name, f"{queue.queue_name}.DQ", f"{queue.queue_name}.XQ"):
            channel.queue_delete(name)


async def _wait_for_status(services: AppServices, outbox_id: int, status: EmailStatus) -> int:
    async with asyncio.timeout(20):
        while True:
            async with services.session_factory() as session:
                row = await session.get(EmailOutbox, outbox_id)
            assert row is not None
            if row.status is status:
                return row.attempts
            await asyncio.sleep(0.05)


async def test_a_worker_delivers_after_the_smtp_server_refused_once(
    broker_services: AppServices, smtp: tuple[SmtpRecorder, int]
) -> None:
    smtp[0].refuse = 1
    async with broker_services.session_factory() as session:
        user = await make_user(session)
        await notify(session, user_id=user.id, kind=Kind.order_shipped, params={"order_id": 5})
        outbox_id = await session.scalar(
            select(EmailOutbox.id).where(EmailOutbox.user_id == user.id)
        )
        await commit(session)
    assert outbox_id is not None

    attempts = await _wait_for_status(broker_services, outbox_id, EmailStatus.sent)

    assert attempts == 2
    assert smtp[0].subjects() == ["訂單 5 的票已寄出"]
