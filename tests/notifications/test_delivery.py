"""Email delivery against a real SMTP server: retries, giving up, resending, and the sweep
that sends what the broker never took."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from pitchaseat.adapters.queue import DramatiqQueue, InProcessQueue, build_broker
from pitchaseat.db import commit
from pitchaseat.notifications import delivery
from pitchaseat.notifications.kinds import Kind
from pitchaseat.notifications.models import EmailOutbox, EmailStatus
from pitchaseat.notifications.service import notify
from pitchaseat.runtime import AppServices
from pitchaseat.worker import install_email_jobs
from tests.factories import make_user
from tests.notifications.conftest import SmtpRecorder

PARAMS = {"order_id": 41, "amount": 900, "game_zh": "樂天桃猿 @ 中信兄弟 04/04 18:35"}


async def _notify_and_commit(services: AppServices) -> int:
    async with services.session_factory() as session:
        user = await make_user(session)
        await notify(session, user_id=user.id, kind=Kind.order_paid, params=PARAMS)
        await commit(session)
        outbox_id = await session.scalar(
            select(EmailOutbox.id).where(EmailOutbox.user_id == user.id)
        )
    assert outbox_id is not None
    return outbox_id


async def _outbox(services: AppServices, outbox_id: int) -> EmailOutbox:
    async with services.session_factory() as session:
        row = await session.get(EmailOutbox, outbox_id)
    assert row is not None
    return row


def _jobs(services: AppServices) -> InProcessQueue:
    assert isinstance(services.jobs, InProcessQueue)
    return services.jobs


async def test_an_email_refused_for_a_while_is_delivered_after_retries(
    live_services: AppServices, smtp: tuple[SmtpRecorder, int]
) -> None:
    recorder, _ = smtp
    recorder.refuse = 2

    outbox_id = await _notify_and_commit(live_services)
    await _jobs(live_services).drain()

    row = await _outbox(live_services, outbox_id)
    assert (row.status, row.attempts, recorder.refused) == (EmailStatus.sent, 3, 2)
    assert recorder.subjects() == ["訂單 41 已付款"]


async def test_an_email_refused_for_good_is_marked_failed_and_resent_once(
    live_services: AppServices, smtp: tuple[SmtpRecorder, int]
) -> None:
    recorder, _ = smtp
    recorder.refuse_always = True

    outbox_id = await _notify_and_commit(live_services)
    await _jobs(live_services).drain()

    row = await _outbox(live_services, outbox_id)
    assert (row.status, row.attempts, recorder.refused) == (EmailStatus.failed, 3, 3)
    assert row.last_error and "451" in row.last_error
    async with live_services.session_factory() as session:
        assert [r.id for r in await delivery.failed_emails(session)][:1] == [outbox_id]
        await delivery.resend(session, outbox_id)
        await commit(session)
    recorder.refuse_always = False
    await live_services.jobs.enqueue(delivery.DELIVER_EMAIL, outbox_id)  # type: ignore[union-attr]
    await live_services.jobs.enqueue(delivery.DELIVER_EMAIL, outbox_id)  # type: ignore[union-attr]
    await _jobs(live_services).drain()

    assert (await _outbox(live_services, outbox_id)).status is EmailStatus.sent
    assert len(recorder.received) == 1


async def test_a_sent_email_is_never_sent_twice(
    live_services: AppServices, smtp: tuple[SmtpRecorder, int]
) -> None:
    outbox_id = await _notify_and_commit(live_services)
    await _jobs(live_services).drain()

    await live_services.jobs.enqueue(delivery.DELIVER_EMAIL, outbox_id)  # type: ignore[union-attr]
    await _jobs(live_services).drain()

    assert len(smtp[0].received) == 1


async def test_an_email_the_broker_never_took_is_sent_by_the_sweep(
    live_services: AppServices, smtp: tuple[SmtpRecorder, int]
) -> None:
    # Nothing listens on port 1: the hand-over after the commit fails, the commit stands.
    down = AppServices(
        **{
            **live_services.__dict__,
            "jobs": DramatiqQueue(build_broker("redis://127.0.0.1:1/0")),
        }
    )
    install_email_jobs(down)
    outbox_id = await _notify_and_commit(down)
    assert (await _outbox(live_services, outbox_id)).status is EmailStatus.pending
    assert smtp[0].received == []

    async with live_services.session_factory() as session:
        swept = await delivery.sweep(session, _jobs(live_services), grace=timedelta(0))
    await _jobs(live_services).drain()

    assert swept >= 1
    assert (await _outbox(live_services, outbox_id)).status is EmailStatus.sent
    assert smtp[0].subjects() == ["訂單 41 已付款"]


def test_the_retry_wait_doubles_from_the_base() -> None:
    policy = delivery.RetryPolicy(max_attempts=5, base_seconds=30)

    assert [policy.delay(n) for n in (0, 1, 2, 3, 4)] == [30, 30, 60, 120, 240]
