"""The order page's hand-off forms: a refusal comes back on the same page with the input
kept and the message beside its box; messages are shown escaped; nothing of the buyer's
details reaches the seller's page before payment."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.listings.models import DeliveryMethod
from pitchaseat.orders.models import OrderMessage, OrderShipment
from tests.support.handoff import MAIL, hold, paid
from tests.web.test_pages import csrf_of, log_in_with_form


async def test_a_bad_tracking_number_comes_back_beside_its_box_with_the_input_kept(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    held = await paid(client, db_session, DeliveryMethod.mail)
    await log_in_with_form(client, held.seller_email)
    page = await client.get(f"/orders/{held.id}")

    refused = await client.post(
        f"/orders/{held.id}/ship",
        data={"csrf_token": csrf_of(page.text), "tracking_number": "TIX-1", "note": "週一寄"},
    )

    assert refused.status_code == 422
    assert 'id="tracking_number-error"' in refused.text
    assert 'value="TIX-1"' in refused.text and "週一寄</textarea>" in refused.text
    count = await db_session.scalar(
        select(func.count()).select_from(OrderShipment).where(OrderShipment.order_id == held.id)
    )
    assert count == 0


async def test_a_checkout_without_the_address_is_refused_beside_the_address_box(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    held = await hold(client, db_session, method=DeliveryMethod.mail)
    await log_in_with_form(client, held.buyer_email)
    page = await client.get(f"/orders/{held.id}")

    refused = await client.post(
        f"/orders/{held.id}/pay",
        data={
            "csrf_token": csrf_of(page.text),
            "prime": "test_prime_ok",
            "name": "王小明",
            "email": "fan@example.com",
            "phone": "0912345678",
            "recipient_name": "王小明",
            "delivery_phone": "0912345678",
        },
    )
    shown = await client.get(f"/orders/{held.id}")

    assert refused.status_code == 422
    assert 'id="address-error"' in refused.text
    assert 'name="recipient_name" value="王小明"' in refused.text
    assert 'data-status="pending_payment"' in shown.text


async def test_messages_are_escaped_and_the_page_points_to_the_delivery_fields(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    held = await paid(client, db_session, DeliveryMethod.mail)
    await log_in_with_form(client, held.buyer_email)
    page = await client.get(f"/orders/{held.id}")

    sent = await client.post(
        f"/orders/{held.id}/message",
        data={"csrf_token": csrf_of(page.text), "body": "<script>alert(1)</script>"},
    )
    shown = await client.get(f"/orders/{held.id}")
    empty = await client.post(
        f"/orders/{held.id}/message", data={"csrf_token": csrf_of(page.text), "body": " "}
    )

    assert sent.status_code == 303
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown.text
    assert "<script>alert(1)" not in shown.text
    assert 'id="message-hint"' in shown.text
    assert empty.status_code == 422 and 'id="body-error"' in empty.text
    count = await db_session.scalar(
        select(func.count(OrderMessage.id)).where(OrderMessage.order_id == held.id)
    )
    assert count == 1


async def test_the_sellers_page_shows_the_details_only_after_payment(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    held = await hold(client, db_session, method=DeliveryMethod.mail)
    await client.put(f"/api/v1/orders/{held.id}/delivery", json=MAIL, headers=held.buyer)
    await log_in_with_form(client, held.seller_email)

    page = await client.get(f"/orders/{held.id}")

    assert 'id="delivery-hidden"' in page.text
    assert MAIL["address"] not in page.text and "0912345678" not in page.text


async def test_the_hand_off_reads_in_english_too(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    held = await paid(client, db_session, DeliveryMethod.mail)
    await log_in_with_form(client, held.seller_email)

    page = await client.get(f"/orders/{held.id}?lang=en")

    assert "Send the tickets" in page.text and "Tracking number" in page.text
    assert "You receive" in page.text and "Write to the buyer" in page.text
    assert "Postal address (with postal code)" in page.text
