"""Messages on an order: the buyer and the seller only, from payment until 30 days after the
order ends, plain text of 1-1000 characters, rate limited, the other side told once a burst."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.notifications.models import Notification
from pitchaseat.orders.messages import MESSAGE_RATE
from pitchaseat.orders.models import OrderEvent, OrderMessage
from pitchaseat.runtime import AppServices
from pitchaseat.timeutil import utcnow
from tests.factories import login_headers, make_user
from tests.support.handoff import hold, paid, ship_and_confirm


async def _stored(db_session: AsyncSession, order_id: int) -> int:
    count = await db_session.scalar(
        select(func.count(OrderMessage.id)).where(OrderMessage.order_id == order_id)
    )
    return int(count or 0)


async def _notices(db_session: AsyncSession, user_id: int, order_id: int) -> int:
    count = await db_session.scalar(
        select(func.count(Notification.id)).where(
            Notification.user_id == user_id,
            Notification.order_id == order_id,
            Notification.kind == "order_message",
        )
    )
    return int(count or 0)


async def test_buyer_and_seller_write_to_each_other(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    held = await paid(client, db_session)

    asked = await client.post(
        f"{held.url}/messages", json={"body": "請問何時寄出？\n謝謝"}, headers=held.buyer
    )
    answered = await client.post(
        f"{held.url}/messages", json={"body": "明天早上 <b>寄</b>"}, headers=held.seller
    )
    listed = await client.get(f"{held.url}/messages", headers=held.seller)

    assert asked.status_code == answered.status_code == 201
    page = listed.json()
    assert page["total"] == 2
    assert [(m["sender_id"], m["body"]) for m in page["items"]] == [
        (held.buyer_id, "請問何時寄出？\n謝謝"),
        (held.seller_id, "明天早上 <b>寄</b>"),  # kept as typed: pages escape it
    ]


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ("", "string_too_short"),
        ("   ", "string_too_short"),
        ("票" * 5000, "string_too_long"),
        ("hi\x00there", "control_characters"),
        ("\u202eevil", "control_characters"),
    ],
)
async def test_an_empty_long_or_control_character_message_is_refused(
    client: httpx.AsyncClient, db_session: AsyncSession, body: str, kind: str
) -> None:
    held = await paid(client, db_session)

    response = await client.post(f"{held.url}/messages", json={"body": body}, headers=held.buyer)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
    assert response.json()["error"]["details"]["fields"][0]["type"] == kind
    assert await _stored(db_session, held.id) == 0


async def test_a_message_on_someone_elses_order_is_404(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    held = await paid(client, db_session)
    stranger = await make_user(db_session)
    headers = await login_headers(client, stranger.email)

    written = await client.post(f"{held.url}/messages", json={"body": "hi"}, headers=headers)
    read = await client.get(f"{held.url}/messages", headers=headers)

    assert written.status_code == read.status_code == 404
    assert written.json()["error"]["code"] == "not_found"
    assert await _stored(db_session, held.id) == 0


async def test_messages_open_with_the_payment(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    held = await hold(client, db_session)

    response = await client.post(f"{held.url}/messages", json={"body": "hi"}, headers=held.buyer)

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "messages_not_open"
    assert await _stored(db_session, held.id) == 0


async def test_messages_close_30_days_after_the_order_ended(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    held = await paid(client, db_session)
    await ship_and_confirm(client, held)
    still_open = await client.post(
        f"{held.url}/messages", json={"body": "收到了，謝謝"}, headers=held.buyer
    )
    # 31 days pass.
    await db_session.execute(
        update(OrderEvent)
        .where(OrderEvent.order_id == held.id)
        .values(at=utcnow() - timedelta(days=31))
    )
    await db_session.commit()

    closed = await client.post(f"{held.url}/messages", json={"body": "?"}, headers=held.buyer)
    history = await client.get(f"{held.url}/messages", headers=held.buyer)

    assert still_open.status_code == 201
    assert closed.status_code == 409
    assert closed.json()["error"]["code"] == "messages_closed"
    assert history.json()["total"] == 1


async def test_a_burst_of_messages_tells_the_other_side_once_until_read(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    held = await paid(client, db_session)

    for n in range(3):
        await client.post(f"{held.url}/messages", json={"body": f"第 {n} 則"}, headers=held.buyer)
    after_burst = await _notices(db_session, held.seller_id, held.id)
    await client.post("/api/v1/notifications/read-all", headers=held.seller)
    await client.post(f"{held.url}/messages", json={"body": "還在嗎？"}, headers=held.buyer)
    after_reading = await _notices(db_session, held.seller_id, held.id)

    assert after_burst == 1
    assert after_reading == 2
    assert await _notices(db_session, held.buyer_id, held.id) == 0


async def test_messages_are_rate_limited(
    client: httpx.AsyncClient, db_session: AsyncSession, services: AppServices
) -> None:
    held = await paid(client, db_session)
    per_minute = int(MESSAGE_RATE.split("/")[0])

    answers = [
        await client.post(f"{held.url}/messages", json={"body": f"{n}"}, headers=held.buyer)
        for n in range(per_minute + 1)
    ]

    assert [a.status_code for a in answers[:per_minute]] == [201] * per_minute
    assert answers[-1].status_code == 429
    assert answers[-1].json()["error"]["code"] == "rate_limited"
    assert await _stored(db_session, held.id) == per_minute
