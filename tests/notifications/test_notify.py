"""notify(): the notification and its email share the caller's transaction; preferences;
the order events that notify; the API's lists, read marks and ownership."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.adapters.queue import InProcessQueue
from pitchaseat.db import commit, rollback
from pitchaseat.notifications.kinds import Kind
from pitchaseat.notifications.models import EmailOutbox, EmailStatus, Notification
from pitchaseat.notifications.service import notify, save_email_choices
from pitchaseat.runtime import AppServices
from tests.factories import make_user
from tests.notifications.conftest import SmtpRecorder
from tests.support.orders import buy

PAYOUT = {"amount": 1200, "reference": "TX-1"}


async def _counts(session: AsyncSession, user_id: int) -> tuple[int, int]:
    notes = await session.scalar(
        select(func.count(Notification.id)).where(Notification.user_id == user_id)
    )
    emails = await session.scalar(
        select(func.count(EmailOutbox.id)).where(EmailOutbox.user_id == user_id)
    )
    return int(notes or 0), int(emails or 0)


async def test_a_rolled_back_notify_leaves_neither_notification_nor_email(
    live_services: AppServices,
) -> None:
    async with live_services.session_factory() as session:
        user_id = (await make_user(session)).id
        await notify(session, user_id=user_id, kind=Kind.payout_paid, params=PAYOUT)
        await rollback(session)

        assert await _counts(session, user_id) == (0, 0)


async def test_a_committed_notify_stores_both_and_sends_the_email_in_chinese(
    live_services: AppServices, smtp: tuple[SmtpRecorder, int]
) -> None:
    async with live_services.session_factory() as session:
        user = await make_user(session)
        await notify(session, user_id=user.id, kind=Kind.payout_paid, params=PAYOUT, link="/x")
        await commit(session)
    assert isinstance(live_services.jobs, InProcessQueue)
    await live_services.jobs.drain()

    async with live_services.session_factory() as session:
        assert await _counts(session, user.id) == (1, 1)
        email = await session.scalar(select(EmailOutbox).where(EmailOutbox.user_id == user.id))
    assert email is not None and email.status is EmailStatus.sent
    assert smtp[0].subjects() == ["NT$1,200 已撥入您的銀行帳戶"]
    assert "http://127.0.0.1:8000/x" in smtp[0].received[0].get_body().get_content()  # type: ignore[union-attr]


async def test_an_email_turned_off_writes_no_outbox_row_but_still_notifies(
    live_services: AppServices,
) -> None:
    async with live_services.session_factory() as session:
        user = await make_user(session)
        await save_email_choices(session, user.id, enabled={Kind.order_paid}, locale="en")
        await notify(session, user_id=user.id, kind=Kind.payout_paid, params=PAYOUT)
        await notify(session, user_id=user.id, kind=Kind.order_paid, params={"order_id": 7})
        await commit(session)
        emails = list(
            await session.scalars(select(EmailOutbox).where(EmailOutbox.user_id == user.id))
        )

        assert await _counts(session, user.id) == (2, 1)
    assert [(e.kind, e.locale, e.subject) for e in emails] == [
        ("order_paid", "en", "Order 7 is paid")
    ]


async def _kinds(client: httpx.AsyncClient, headers: dict[str, str]) -> list[str]:
    response = await client.get("/api/v1/notifications", headers=headers)
    assert response.status_code == 200, response.text
    return [item["kind"] for item in response.json()["items"]]


async def test_paying_an_order_notifies_the_buyer_and_the_seller(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    order = await buy(client, db_session)

    assert await _kinds(client, order.buyer) == ["order_paid"]
    assert await _kinds(client, order.seller) == ["order_paid", "order_held"]
    page = (await client.get("/api/v1/notifications", headers=order.seller)).json()
    assert page["unread_count"] == 2
    assert page["items"][0]["title"] == f"訂單 {order.id} 已付款"


async def test_shipping_tells_the_buyer_only(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    order = await buy(client, db_session)

    shipped = await client.post(
        f"{order.url}/ship", json={"method": "e_ticket"}, headers=order.seller
    )

    assert shipped.status_code == 200, shipped.text
    assert (await _kinds(client, order.buyer))[0] == "order_shipped"
    assert (await _kinds(client, order.seller))[0] == "order_paid"


async def test_reading_someone_elses_notification_is_404(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    order = await buy(client, db_session)
    buyer_note = (await client.get("/api/v1/notifications", headers=order.buyer)).json()
    note_id = buyer_note["items"][0]["id"]

    foreign = await client.post(f"/api/v1/notifications/{note_id}/read", headers=order.seller)
    own = await client.post(f"/api/v1/notifications/{note_id}/read", headers=order.buyer)

    assert foreign.status_code == 404
    assert foreign.json()["error"]["code"] == "not_found"
    assert own.status_code == 204
    count = await client.get("/api/v1/notifications/unread-count", headers=order.buyer)
    assert count.json() == {"count": 0}


async def test_read_all_clears_the_unread_count(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    order = await buy(client, db_session)

    response = await client.post("/api/v1/notifications/read-all", headers=order.seller)

    assert response.status_code == 204
    unread = await client.get("/api/v1/notifications?unread=true", headers=order.seller)
    assert unread.json()["total"] == 0
    assert unread.json()["unread_count"] == 0
