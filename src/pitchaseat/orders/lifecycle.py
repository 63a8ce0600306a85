"""After payment: the seller ships, the buyer confirms receipt or opens a dispute. Each step
is allowed only when ``allowed_actions`` offers it."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.adapters.storage import ImageStorage
from pitchaseat.catalog.models import Game
from pitchaseat.listings.models import DeliveryMethod
from pitchaseat.listings.photos import ProcessedPhoto
from pitchaseat.orders.actions import Action, check_action
from pitchaseat.orders.codes import OrderEventCode
from pitchaseat.orders.errors import ShipmentDetailsRequired
from pitchaseat.orders.holds import order_with_history
from pitchaseat.orders.models import Order, OrderShipment, OrderStatus
from pitchaseat.orders.proof_photo import proof_key, store_proof
from pitchaseat.orders.schemas import Carrier, ShipRequest
from pitchaseat.orders.states import transition
from pitchaseat.timeutil import TAIPEI, utcnow


async def _step(
    session: AsyncSession,
    order: Order,
    actor_id: int,
    action: Action,
    target: OrderStatus,
    code: OrderEventCode,
    data: dict[str, Any] | None = None,
) -> Order:
    game = await session.get(Game, order.game_id)
    assert game is not None
    check_action(order, actor_id, action, game, utcnow())
    await transition(session, order, target, code=code, actor_id=actor_id, data=data)
    reloaded = await order_with_history(session, order.id)
    assert reloaded is not None
    return reloaded


# What each way of sending must tell the buyer (an e-ticket transfer's reference is
# welcome but not every ticketing app shows one).
SHIPMENT_REQUIRED: dict[DeliveryMethod, tuple[str, ...]] = {
    DeliveryMethod.mail: ("tracking_number",),
    DeliveryMethod.e_ticket: (),
    DeliveryMethod.meet_up: ("meetup_place", "meetup_at"),
}


def _shipment(shipment: ShipRequest, order_id: int, photo_key: str | None) -> OrderShipment:
    mail = shipment.method is DeliveryMethod.mail
    carrier = shipment.carrier or Carrier.chunghwa_post if mail else None
    meetup_at = shipment.meetup_at
    if meetup_at is not None and meetup_at.tzinfo is None:
        meetup_at = meetup_at.replace(tzinfo=TAIPEI)
    return OrderShipment(
        order_id=order_id,
        method=shipment.method.value,
        carrier=carrier.value if carrier else None,
        tracking_number=shipment.tracking_number,
        transfer_reference=shipment.transfer_reference,
        meetup_place=shipment.meetup_place,
        meetup_at=meetup_at,
        note=shipment.note,
        photo_key=photo_key,
    )


async def ship(
    session: AsyncSession,
    order: Order,
    actor_id: int,
    shipment: ShipRequest,
    *,
    photo: ProcessedPhoto | None = None,
    storage: ImageStorage | None = None,
) -> Order:
    """The seller sends the tickets with the method's fields; the buyer's "shipped" email
    carries them (so the shipment is written before the move that tells the buyer)."""
    game = await session.get(Game, order.game_id)
    assert game is not None
    check_action(order, actor_id, Action.ship, game, utcnow())
    values = shipment.model_dump()
    missing = [name for name in SHIPMENT_REQUIRED[shipment.method] if not values.get(name)]
    if missing:
        raise ShipmentDetailsRequired(missing=missing, method=shipment.method.value)
    key = proof_key(order.id, photo) if photo is not None and storage is not None else None
    session.add(_shipment(shipment, order.id, key))
    await session.flush()
    data = {
        "method": shipment.method.value,
        "tracking_number": shipment.tracking_number,
        "note": shipment.note,
    }
    shown = {key: value for key, value in data.items() if value}
    await transition(
        session,
        order,
        OrderStatus.shipped,
        code=OrderEventCode.shipped,
        actor_id=actor_id,
        data=shown,
    )
    if key is not None and photo is not None and storage is not None:
        await store_proof(session, key, photo, storage)  # the row is accepted: now the file
    reloaded = await order_with_history(session, order.id)
    assert reloaded is not None
    return reloaded


async def confirm_receipt(session: AsyncSession, order: Order, actor_id: int) -> Order:
    # A disputed order is completed by an operator, not by the buyer's button.
    return await _step(
        session, order, actor_id, Action.confirm, OrderStatus.completed, OrderEventCode.completed
    )


async def open_dispute(session: AsyncSession, order: Order, actor_id: int, *, reason: str) -> Order:
    return await _step(
        session,
        order,
        actor_id,
        Action.dispute,
        OrderStatus.disputed,
        OrderEventCode.dispute_opened,
        {"reason": reason},
    )
