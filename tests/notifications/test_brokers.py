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
from pitchaseat.listings.models import DeliveryMethod
from pitchaseat.listings.service import NewListing, create_listing
from pitchaseat.notifications import delivery
from pitchaseat.notifications.kinds import Kind
from pitchaseat.notifications.models import EmailOutbox, EmailStatus
from pitchaseat.notifications.service import notify
from pitchaseat.reservations.service import NewReservation, add_reservation
from pitchaseat.runtime import AppServices
from pitchaseat.worker import WorkerDelivery, install_worker_jobs, retry_policy
from tests.factories import make_game, make_user
from tests.notifications.conftest import AMQP_URL, REDIS_URL, SmtpRecorder

BROKERS = [
    pytest.param(AMQP_URL, id="rabbitmq", marks=pytest.mark.skipif(not AMQP_URL, reason="no AMQP")),
    pytest.param(REDIS_URL, id="redis", marks=pytest.mark.skipif(not REDIS_URL, reason="no Redis")),
]


@contextlib.asynccontextmanager
async def _served(live_services: AppServices, queue: DramatiqQueue) -> AsyncIterator[AppServices]:
    """The live services handing their jobs to ``queue``, with a worker consuming it."""
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


def _own_queue(broker_url: str) -> DramatiqQueue:
    return DramatiqQueue(build_broker(broker_url), queue_name=f"pas-test-{uuid.uuid4().hex}")


@pytest.fixture(params=BROKERS)
async def broker_services(
    request: pytest.FixtureRequest, live_services: AppServices
) -> AsyncIterator[AppServices]:
    """Emails handed to a broker queue of their own, delivered by a worker."""
    queue = _own_queue(request.param)
    delivery.install(
        queue, WorkerDelivery(live_services.settings).deliver, retry_policy(live_services.settings)
    )
    async with _served(live_services, queue) as services:
        yield services


@pytest.fixture(params=BROKERS)
async def worker_services(
    request: pytest.FixtureRequest, live_services: AppServices
) -> AsyncIterator[AppServices]:
    """A worker with the actors ``pitchaseat worker`` installs."""
    queue = _own_queue(request.param)
    install_worker_jobs(queue, live_services.settings)
    async with _served(live_services, queue) as services:
        yield services


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


async def _wait_for_mail(recorder: SmtpRecorder) -> int:
    async with asyncio.timeout(20):
        while True:
            if recorder.received:
                await asyncio.sleep(0.5)  # and nothing more arrives
                return len(recorder.received)
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


async def test_the_worker_mails_a_reservation_match_at_once(
    worker_services: AppServices, smtp: tuple[SmtpRecorder, int]
) -> None:
    async with worker_services.session_factory() as session:
        fan, seller = await make_user(session), await make_user(session)
        game = await make_game(session)
        await add_reservation(session, fan.id, NewReservation(game_id=game.id))
        await commit(session)
        # The listing's commit hands the match to the worker; no sweep runs in this test.
        await create_listing(
            session,
            seller,
            NewListing(
                game_id=game.id,
                seat_area="infield_1b",
                quantity=2,
                face_value=600,
                price=500,
                delivery_method=DeliveryMethod.e_ticket,
            ),
        )
        await commit(session)
        fan_email = fan.email

    received = await _wait_for_mail(smtp[0])

    assert received == 1
    assert [str(message["To"]) for message in smtp[0].received] == [fan_email]
    assert smtp[0].subjects()[0].endswith("有票了")  # "Tickets for ... are on sale"
