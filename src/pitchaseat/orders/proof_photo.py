"""The seller's proof of posting or transfer: a photo processed by the listing photos'
pipeline before any transaction is open, its file stored once the shipment row is accepted
and removed again if the transaction does not commit."""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.adapters.storage import ImageStorage
from pitchaseat.db import after_rollback
from pitchaseat.errors import PermissionDenied
from pitchaseat.listings.photos import ProcessedPhoto
from pitchaseat.orders.errors import InvalidOrderState, ProofPhotoExists
from pitchaseat.orders.models import Order, OrderShipment


def proof_key(order_id: int, photo: ProcessedPhoto) -> str:
    return f"orders/{order_id}/proof-{secrets.token_hex(12)}.{photo.extension}"


async def store_proof(
    session: AsyncSession, key: str, photo: ProcessedPhoto, storage: ImageStorage
) -> None:
    """Call once the row naming ``key`` is flushed: the file follows the row."""

    async def remove_file() -> None:
        await storage.delete(key)

    after_rollback(session, remove_file)
    await storage.save(key, photo.image, photo.content_type)


async def attach_proof(
    session: AsyncSession,
    order: Order,
    actor_id: int,
    photo: ProcessedPhoto,
    storage: ImageStorage,
) -> OrderShipment:
    """The seller adds the proof to a shipment already made (one photo per shipment)."""
    if actor_id != order.seller_id:
        raise PermissionDenied("Only the seller adds the proof of sending.")
    shipment = await session.scalar(
        select(OrderShipment).where(OrderShipment.order_id == order.id).with_for_update()
    )
    if shipment is None:
        raise InvalidOrderState(status=order.status.value, wanted="shipped")
    if shipment.photo_key is not None:
        raise ProofPhotoExists()
    key = proof_key(order.id, photo)
    shipment.photo_key = key
    await session.flush()
    await store_proof(session, key, photo, storage)
    return shipment
