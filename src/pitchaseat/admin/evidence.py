"""Disputes seen by both sides and the operators: evidence (a note, perhaps a photo) from the
buyer or the seller, and the list of open disputes."""

from __future__ import annotations

import asyncio
import secrets
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts.models import User
from pitchaseat.adapters.storage import ImageStorage
from pitchaseat.admin.errors import OrderNotDisputed
from pitchaseat.admin.models import DisputeEvidence
from pitchaseat.db import after_rollback
from pitchaseat.errors import NotFound
from pitchaseat.listings.photos import ProcessedPhoto
from pitchaseat.notifications.events import order_params
from pitchaseat.notifications.kinds import Kind
from pitchaseat.notifications.service import notify
from pitchaseat.orders.models import Order, OrderStatus


async def add_evidence(
    session: AsyncSession,
    author: User,
    order_id: int,
    *,
    note: str,
    photo: ProcessedPhoto | None,
    storage: ImageStorage,
) -> DisputeEvidence:
    """The buyer's or the seller's word (and photo) on a disputed order; the other side is
    told. Anyone else is answered as if the order did not exist."""
    order = await session.scalar(select(Order).where(Order.id == order_id).with_for_update())
    if order is None or author.id not in (order.buyer_id, order.seller_id):
        raise NotFound("No such order.")
    if order.status is not OrderStatus.disputed:
        raise OrderNotDisputed(status=order.status.value)
    evidence = DisputeEvidence(order_id=order.id, author_id=author.id, note=note)
    if photo is not None:
        key = f"disputes/{order.id}/{secrets.token_hex(12)}"
        evidence.storage_key = f"{key}.{photo.extension}"
        evidence.thumbnail_key = f"{key}-thumb.{photo.extension}"
        evidence.content_type = photo.content_type
    session.add(evidence)
    await session.flush()
    other = order.seller_id if author.id == order.buyer_id else order.buyer_id
    await notify(
        session,
        user_id=other,
        kind=Kind.dispute_evidence,
        params=await order_params(session, order),
        link=f"/orders/{order.id}",
        order_id=order.id,
    )
    if photo is not None and evidence.storage_key and evidence.thumbnail_key:
        stored, thumbnail = evidence.storage_key, evidence.thumbnail_key

        async def remove_files() -> None:
            await asyncio.gather(storage.delete(stored), storage.delete(thumbnail))

        # The row first, the files after it; a transaction that does not commit removes them.
        after_rollback(session, remove_files)
        await storage.save(stored, photo.image, photo.content_type)
        await storage.save(thumbnail, photo.thumbnail, photo.content_type)
    return evidence


async def evidence_by_order(
    session: AsyncSession, order_ids: list[int]
) -> dict[int, list[DisputeEvidence]]:
    found: dict[int, list[DisputeEvidence]] = defaultdict(list)
    if not order_ids:
        return found
    rows = await session.scalars(
        select(DisputeEvidence)
        .where(DisputeEvidence.order_id.in_(order_ids))
        .order_by(DisputeEvidence.created_at, DisputeEvidence.id)
    )
    for row in rows:
        found[row.order_id].append(row)
    return found


@dataclass(frozen=True)
class DisputePage:
    orders: list[Order]
    evidence: dict[int, list[DisputeEvidence]]
    total: int


async def open_disputes(session: AsyncSession, *, offset: int = 0, limit: int = 20) -> DisputePage:
    disputed = Order.status == OrderStatus.disputed
    total = await session.scalar(select(func.count(Order.id)).where(disputed))
    orders = list(
        await session.scalars(
            select(Order)
            .where(disputed)
            .order_by(Order.updated_at, Order.id)
            .offset(offset)
            .limit(limit)
        )
    )
    evidence = await evidence_by_order(session, [order.id for order in orders])
    return DisputePage(orders, evidence, int(total or 0))
