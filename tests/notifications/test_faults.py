"""The fault matrix for mail: a broker that goes away at commit, an SMTP server that
refuses. What users see: their action succeeds as usual (the order event, the sign-in link
request); the email waits in the outbox and is sent once the part is back, exactly once."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from pitchaseat.adapters.breaker import CircuitBreaker
from pitchaseat.adapters.queue import (
    BrokerUnavailable,
    DramatiqQueue,
    InProcessQueue,
    build_broker,
)
from pitchaseat.app import create_app
from pitchaseat.db import commit
from pitchaseat.notifications import delivery
from pitchaseat.notifications.kinds import Kind
from pitchaseat.notifications.models import EmailOutbox, EmailStatus
from pitchaseat.notifications.service import notify
from pitchaseat.runtime import AppServices
from pitchaseat.worker import WorkerDelivery, install_email_jobs, retry_policy
from tests.factories import make_user
from tests.notifications.conftest import SmtpRecorder
from tests.support.redis_server import RedisServer


@pytest.fixture
def broker_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.kill()


async def _status(services: AppServices, outbox_id: int) -> tuple[EmailStatus, int]:
    async with services.session_factory() as session:
        row = await session.get(EmailOutbox, outbox_id)
    assert row is not None
    return row.status, row.attempts


async def test_a_broker_that_goes_away_at_commit_loses_no_email_and_sends_it_once(
    live_services: AppServices, smtp: tuple[SmtpRecorder, int], broker_server: RedisServer
) -> None:
    breaker = CircuitBreaker("broker", failure_threshold=1, reset_seconds=0.2)
    queue = DramatiqQueue(
        build_broker(broker_server.url), queue_name=f"pas-test-{uuid.uuid4().hex}", breaker=breaker
    )
    delivery.install(
        queue, WorkerDelivery(live_services.settings).deliver, retry_policy(live_services.settings)
    )
    services = AppServices(**{**live_services.__dict__, "jobs": queue})
    async with services.session_factory() as session:
        user = await make_user(session)
        await notify(session, user_id=user.id, kind=Kind.order_shipped, params={"order_id": 9})
        outbox_id = await session.scalar(
            select(EmailOutbox.id).where(EmailOutbox.user_id == user.id)
        )
        broker_server.kill()  # between the write and the hand-over
        await commit(session)  # the user's change stands; the hand-over fails quietly
    assert outbox_id is not None

    pending = await _status(services, outbox_id)
    with pytest.raises(BrokerUnavailable):  # refused at once, no connection attempt
        await queue.enqueue("deliver_email", outbox_id)
    broker_server.start()
    await asyncio.sleep(0.3)
    worker = queue.worker(threads=1)
    worker.start()
    try:
        async with services.session_factory() as session:
            swept = await delivery.sweep(session, queue, grace=timedelta(0))
        for _ in range(400):  # up to 20 s for the worker
            if (await _status(services, outbox_id))[0] is EmailStatus.sent:
                break
            await asyncio.sleep(0.05)
    finally:
        await asyncio.to_thread(worker.stop)
        await queue.close()

    assert pending == (EmailStatus.pending, 0)
    assert swept >= 1
    assert breaker.state == "closed"
    assert smtp[0].subjects() == ["訂單 9 的票已寄出"]  # once, not lost, not doubled


async def test_an_smtp_server_that_refuses_keeps_the_email_and_the_user_is_answered(
    live_services: AppServices, smtp: tuple[SmtpRecorder, int]
) -> None:
    smtp[0].refuse_always = True
    install_email_jobs(live_services)
    async with live_services.session_factory() as session:
        user = await make_user(session)
    transport = httpx.ASGITransport(app=create_app(live_services.settings, live_services))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        asked = await client.post("/api/v1/auth/login-link", json={"email": user.email})
    jobs = live_services.jobs
    assert isinstance(jobs, InProcessQueue)
    await jobs.drain()
    async with live_services.session_factory() as session:
        row = await session.scalar(select(EmailOutbox).where(EmailOutbox.user_id == user.id))
    assert row is not None

    refused_status = row.status
    smtp[0].refuse_always = False
    async with live_services.session_factory() as session:
        await delivery.resend(session, row.id)  # the operator, once SMTP is back
        await commit(session)
    async with live_services.session_factory() as session:
        await delivery.sweep(session, jobs, grace=timedelta(0))
    await jobs.drain()

    assert asked.status_code == 202
    assert refused_status is EmailStatus.failed
    assert smtp[0].refused == live_services.settings.email_max_attempts
    assert smtp[0].subjects() == ["您的 Pitch-A-Seat 登入連結"]
