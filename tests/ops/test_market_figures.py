"""/metrics counts the marketplace's own figures from the tables at scrape time."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.notifications.models import EmailOutbox, EmailStatus
from pitchaseat.ops.scheduler import claim_tick
from pitchaseat.payments.models import Payment, PaymentStatus
from pitchaseat.settings import Settings
from pitchaseat.timeutil import utcnow
from tests.factories import login_headers, make_game, make_listing, make_user
from tests.ops.metrics_support import scrape, value
from tests.support.orders import PaidOrder, buy


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # Every scrape reads afresh, so a test sees what it has just written.
    return settings.model_copy(update={"metrics_figures_max_age_seconds": 0})


async def hold(client: httpx.AsyncClient, db_session: AsyncSession, quantity: int) -> int:
    buyer = await make_user(db_session)
    listing = await make_listing(
        db_session, await make_user(db_session), await make_game(db_session)
    )
    held = await client.post(
        "/api/v1/orders",
        json={"listing_id": listing.id, "quantity": quantity},
        headers=await login_headers(client, buyer.email),
    )
    assert held.status_code == 201, held.text
    order_id: int = held.json()["id"]
    return order_id


async def test_a_paid_order_and_a_live_hold_are_counted(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    before = await scrape(client)

    await buy(client, db_session)
    await hold(client, db_session, quantity=2)
    after = await scrape(client)

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert grew("pas_orders_in_flight", status="paid") == 1
    assert grew("pas_orders_in_flight", status="pending_payment") == 1
    assert grew("pas_order_moves_recent", to_status="pending_payment") == 2
    assert grew("pas_order_moves_recent", to_status="paid") == 1
    assert grew("pas_charges_recent", status="paid") == 1
    assert grew("pas_holds_active") == 1
    assert grew("pas_holds_active_tickets") == 2


async def test_a_charge_without_an_answer_shows_its_age(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    order_id = await hold(client, db_session, quantity=1)
    db_session.add(
        Payment(
            order_id=order_id,
            provider="tappay",
            status=PaymentStatus.unknown,
            amount=500,
            order_number=f"metrics-{order_id}",
            created_at=utcnow() - timedelta(minutes=12),
        )
    )
    await db_session.commit()

    samples = await scrape(client)

    assert value(samples, "pas_charges_unanswered", status="unknown") >= 1
    assert value(samples, "pas_charges_unanswered_oldest_age_seconds", status="unknown") >= 720
    assert value(samples, "pas_charges_recent", status="unknown") >= 1


async def test_a_refund_is_counted(
    client: httpx.AsyncClient, db_session: AsyncSession, paid: PaidOrder
) -> None:
    before = await scrape(client)

    refunded = await client.post(
        f"{paid.url}/cancel", json={"reason": "Lost the tickets"}, headers=paid.seller
    )
    assert refunded.status_code == 200, refunded.text
    after = await scrape(client)

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert grew("pas_order_moves_recent", to_status="refunded") == 1
    assert grew("pas_orders_in_flight", status="paid") == -1


async def test_the_email_backlog_and_failures_are_counted(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    before = await scrape(client)
    now = utcnow()

    def email(status: EmailStatus, attempts: int, due_minutes_ago: int) -> EmailOutbox:
        return EmailOutbox(
            to_address="fan@example.com",
            subject="s",
            body_text="b",
            locale="zh_TW",
            kind="order_paid",
            status=status,
            attempts=attempts,
            next_attempt_at=now - timedelta(minutes=due_minutes_ago),
        )

    db_session.add_all(
        [
            email(EmailStatus.pending, 0, 1),
            email(EmailStatus.pending, 2, 30),
            email(EmailStatus.failed, 6, 90),
            email(EmailStatus.sent, 1, 120),
        ]
    )
    await db_session.commit()
    after = await scrape(client)

    def grew(name: str) -> float:
        return value(after, name) - value(before, name)

    assert grew("pas_email_outbox_pending") == 2
    assert grew("pas_email_outbox_retrying") == 1
    assert grew("pas_email_outbox_failed") == 1
    assert value(after, "pas_email_outbox_oldest_due_age_seconds") >= 30 * 60


async def test_a_published_listing_waits_for_matching(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    before = await scrape(client)

    await make_listing(db_session, await make_user(db_session), await make_game(db_session))
    after = await scrape(client)

    waiting = value(after, "pas_match_requests_waiting")
    assert waiting - value(before, "pas_match_requests_waiting") == 1
    assert value(after, "pas_match_request_oldest_age_seconds") >= 0


async def test_the_scheduler_last_run_is_exported(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    claimed_at = utcnow()
    assert await claim_tick(db_session, "metrics-test", 10**9, holder="test")

    samples = await scrape(client)

    last_run = value(samples, "pas_scheduler_last_run_timestamp_seconds", job="metrics-test")
    assert abs(last_run - claimed_at.timestamp()) < 60
    assert value(samples, "pas_scheduler_interval_seconds") == 60


async def test_readiness_and_a_working_read_are_reported(client: httpx.AsyncClient) -> None:
    samples = await scrape(client)

    assert value(samples, "pas_ready") == 1
    assert value(samples, "pas_dependency_up", dependency="database") == 1
    assert value(samples, "pas_figures_up") == 1
    assert value(samples, "pas_figures_read_failures_total") == 0
