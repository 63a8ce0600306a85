"""Shipping the buyer can follow: the method's fields, Chunghwa Post tracking numbers
checked for shape and linked to the carrier's page."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.listings.models import DeliveryMethod
from pitchaseat.orders.contact import CHUNGHWA_TRACKING_PAGE
from pitchaseat.orders.models import Order, OrderShipment
from tests.support.handoff import paid


async def _state(db_session: AsyncSession, order_id: int) -> tuple[str, int]:
    status = await db_session.scalar(select(Order.status).where(Order.id == order_id))
    shipments = await db_session.scalar(
        select(func.count()).select_from(OrderShipment).where(OrderShipment.order_id == order_id)
    )
    assert status is not None
    return status.value, int(shipments or 0)


@pytest.mark.parametrize("number", ["12345678901234", "12345678901234567890", "RR123456789TW"])
async def test_chunghwa_post_tracking_numbers_of_each_shape_are_taken_and_linked(
    client: httpx.AsyncClient, db_session: AsyncSession, number: str
) -> None:
    held = await paid(client, db_session, DeliveryMethod.mail, note="週末寄出")

    shipped = await client.post(
        f"{held.url}/ship",
        json={"method": "mail", "carrier": "chunghwa_post", "tracking_number": number.lower()},
        headers=held.seller,
    )
    seen = (await client.get(held.url, headers=held.buyer)).json()

    assert shipped.status_code == 200, shipped.text
    assert seen["status"] == "shipped"
    assert seen["seller_note"] == "週末寄出"
    assert seen["shipment"]["carrier"] == "chunghwa_post"
    assert seen["shipment"]["tracking_number"] == number.upper()
    assert seen["shipment"]["tracking_url"] == CHUNGHWA_TRACKING_PAGE


@pytest.mark.parametrize(
    "number", ["1234567890123", "123456789012345", "RR12345678TW", "RR123456789US", "TIX-1"]
)
async def test_a_malformed_chunghwa_post_tracking_number_is_refused_and_nothing_is_written(
    client: httpx.AsyncClient, db_session: AsyncSession, number: str
) -> None:
    held = await paid(client, db_session, DeliveryMethod.mail)

    response = await client.post(
        f"{held.url}/ship", json={"method": "mail", "tracking_number": number}, headers=held.seller
    )

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["details"]["fields"][0]["type"] == "invalid_tracking_number"
    assert await _state(db_session, held.id) == ("paid", 0)


@pytest.mark.parametrize(
    ("method", "body", "missing"),
    [
        (DeliveryMethod.mail, {"method": "mail"}, ["tracking_number"]),
        (
            DeliveryMethod.meet_up,
            {"method": "meet_up", "meetup_at": "2099-04-04T17:30"},
            ["meetup_place"],
        ),
        (DeliveryMethod.meet_up, {"method": "meet_up"}, ["meetup_place", "meetup_at"]),
    ],
)
async def test_a_shipment_without_the_methods_fields_is_refused(
    client: httpx.AsyncClient,
    db_session: AsyncSession,
    method: DeliveryMethod,
    body: dict[str, Any],
    missing: list[str],
) -> None:
    held = await paid(client, db_session, method)

    response = await client.post(f"{held.url}/ship", json=body, headers=held.seller)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "shipment_details_required"
    assert response.json()["error"]["details"]["missing"] == missing
    assert await _state(db_session, held.id) == ("paid", 0)


async def test_another_carriers_number_is_taken_as_given_without_a_link(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    held = await paid(client, db_session, DeliveryMethod.mail)

    await client.post(
        f"{held.url}/ship",
        json={"method": "mail", "carrier": "other", "tracking_number": "TCAT-9988"},
        headers=held.seller,
    )
    shipment = (await client.get(held.url, headers=held.buyer)).json()["shipment"]

    assert shipment["tracking_number"] == "TCAT-9988"
    assert shipment["tracking_url"] is None


async def test_a_meetup_and_an_eticket_transfer_show_their_fields(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    meetup = await paid(client, db_session, DeliveryMethod.meet_up)
    eticket = await paid(client, db_session, DeliveryMethod.e_ticket)

    await client.post(
        f"{meetup.url}/ship",
        json={
            "method": "meet_up",
            "meetup_place": "新莊棒球場一壘側售票口",
            "meetup_at": "2099-04-04T17:30",
            "note": "穿紅色球衣",
        },
        headers=meetup.seller,
    )
    await client.post(
        f"{eticket.url}/ship",
        json={"method": "e_ticket", "transfer_reference": "TR-20990404-7"},
        headers=eticket.seller,
    )
    met = (await client.get(meetup.url, headers=meetup.buyer)).json()["shipment"]
    sent = (await client.get(eticket.url, headers=eticket.buyer)).json()["shipment"]

    assert met["meetup_place"] == "新莊棒球場一壘側售票口"
    assert met["meetup_at"].startswith("2099-04-04T09:30")  # 17:30 in Taipei, in UTC
    assert met["note"] == "穿紅色球衣"
    assert sent["transfer_reference"] == "TR-20990404-7"
