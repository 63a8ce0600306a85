"""The seller's proof photo: processed by the listing photos' pipeline, stored once its row
is accepted, removed when the transaction rolls back; a bad file changes nothing."""

from __future__ import annotations

import io

import httpx
from PIL import Image
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.db import rollback
from pitchaseat.listings.models import DeliveryMethod
from pitchaseat.listings.photos import process_photo
from pitchaseat.orders import lifecycle
from pitchaseat.orders.holds import order_with_history
from pitchaseat.orders.models import OrderShipment
from pitchaseat.orders.schemas import ShipRequest
from pitchaseat.runtime import AppServices
from tests.support.handoff import paid


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


def _stored_files(services: AppServices) -> list[str]:
    media = services.settings.effective_media_dir / "orders"
    return sorted(str(path) for path in media.rglob("*") if path.is_file())


async def test_the_seller_adds_a_proof_photo_the_buyer_can_see(
    client: httpx.AsyncClient, db_session: AsyncSession, services: AppServices
) -> None:
    held = await paid(client, db_session, DeliveryMethod.e_ticket)
    await client.post(f"{held.url}/ship", json={"method": "e_ticket"}, headers=held.seller)

    by_buyer = await client.post(
        f"{held.url}/shipment/photo",
        files={"file": ("proof.jpg", _jpeg(), "image/jpeg")},
        headers=held.buyer,
    )
    added = await client.post(
        f"{held.url}/shipment/photo",
        files={"file": ("proof.jpg", _jpeg(), "image/jpeg")},
        headers=held.seller,
    )
    again = await client.post(
        f"{held.url}/shipment/photo",
        files={"file": ("proof.jpg", _jpeg(), "image/jpeg")},
        headers=held.seller,
    )
    seen = (await client.get(held.url, headers=held.buyer)).json()["shipment"]

    assert by_buyer.status_code == 403
    assert added.status_code == 200, added.text
    assert again.status_code == 409 and again.json()["error"]["code"] == "proof_photo_exists"
    assert seen["photo_url"].startswith("/media/orders/")
    assert len(_stored_files(services)) == 1


async def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_written(
    client: httpx.AsyncClient, db_session: AsyncSession, services: AppServices
) -> None:
    held = await paid(client, db_session, DeliveryMethod.e_ticket)
    await client.post(f"{held.url}/ship", json={"method": "e_ticket"}, headers=held.seller)

    response = await client.post(
        f"{held.url}/shipment/photo",
        files={"file": ("proof.jpg", b"not an image", "image/jpeg")},
        headers=held.seller,
    )

    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_photo_type"
    key = await db_session.scalar(
        select(OrderShipment.photo_key).where(OrderShipment.order_id == held.id)
    )
    assert key is None and _stored_files(services) == []


async def test_the_photo_file_is_removed_when_the_shipment_is_rolled_back(
    client: httpx.AsyncClient, db_session: AsyncSession, services: AppServices
) -> None:
    held = await paid(client, db_session, DeliveryMethod.e_ticket)
    photo = process_photo(_jpeg(), max_pixels=10_000_000)

    async with services.session_factory() as session:
        order = await order_with_history(session, held.id)
        assert order is not None
        await lifecycle.ship(
            session,
            order,
            held.seller_id,
            ShipRequest(method=DeliveryMethod.e_ticket),
            photo=photo,
            storage=services.storage,
        )
        stored_before_rollback = _stored_files(services)
        await rollback(session)

    assert len(stored_before_rollback) == 1
    assert _stored_files(services) == []
