"""What one viewer sees of an order's hand-off: the delivery details (when
``can_read_delivery`` says so), the seller's listing note, the shipment, and for the seller
the fee and payout (the ledger's own arithmetic). The API and the order page both read it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.adapters.storage import ImageStorage
from pitchaseat.ledger.service import seller_fee
from pitchaseat.listings.models import DeliveryMethod, Listing
from pitchaseat.orders.guards import Viewer, can_read_delivery, sees_money
from pitchaseat.orders.handoff_mail import tracking_url
from pitchaseat.orders.models import Order, OrderDelivery, OrderShipment
from pitchaseat.orders.schemas import DeliveryOut, OrderDetailOut, OrderOut, ShipmentOut


@dataclass(frozen=True)
class Money:
    fee: int
    payout: int


def order_money(order: Order) -> Money:
    """The seller's fee and payout for this order, at the rate agreed when it was made."""
    fee = seller_fee(order.amount, order.seller_fee_bps)
    return Money(fee=fee, payout=order.amount - fee)


@dataclass(frozen=True)
class HandoffView:
    delivery_method: DeliveryMethod
    seller_note: str | None
    delivery: DeliveryOut | None
    shipment: ShipmentOut | None
    money: Money | None


def _delivery_out(row: OrderDelivery) -> DeliveryOut:
    return DeliveryOut(
        recipient_name=row.recipient_name,
        phone=row.phone,
        address=row.address,
        ticket_account=row.ticket_account,
        meetup_note=row.meetup_note,
        masked=row.masked_at is not None,
    )


def _shipment_out(row: OrderShipment, storage: ImageStorage | None) -> ShipmentOut:
    photo_url = storage.url(row.photo_key) if storage is not None and row.photo_key else None
    return ShipmentOut(
        method=row.method,
        carrier=row.carrier,
        tracking_number=row.tracking_number,
        tracking_url=tracking_url(row),
        transfer_reference=row.transfer_reference,
        meetup_place=row.meetup_place,
        meetup_at=row.meetup_at,
        note=row.note,
        photo_url=photo_url,
        shipped_at=row.shipped_at,
    )


async def handoff_view(
    session: AsyncSession, order: Order, viewer: Viewer, storage: ImageStorage | None = None
) -> HandoffView:
    listing = (
        await session.execute(
            select(Listing.delivery_method, Listing.note).where(Listing.id == order.listing_id)
        )
    ).one()
    delivery = None
    if can_read_delivery(order, viewer):
        row = await session.get(OrderDelivery, order.id)
        delivery = _delivery_out(row) if row is not None else None
    shipped = await session.get(OrderShipment, order.id)
    return HandoffView(
        delivery_method=listing.delivery_method,
        seller_note=listing.note,
        delivery=delivery,
        shipment=_shipment_out(shipped, storage) if shipped is not None else None,
        money=order_money(order) if sees_money(order, viewer) else None,
    )


async def order_detail(
    session: AsyncSession, order: Order, viewer: Viewer, storage: ImageStorage | None = None
) -> OrderDetailOut:
    view = await handoff_view(session, order, viewer, storage)
    shown: dict[str, Any] = OrderOut.model_validate(order).model_dump()
    return OrderDetailOut(
        **shown,
        delivery_method=view.delivery_method.value,
        delivery=view.delivery,
        seller_note=view.seller_note,
        shipment=view.shipment,
        fee=view.money.fee if view.money else None,
        payout=view.money.payout if view.money else None,
    )
