"""Checkout holds: take tickets for a few minutes, cancel, and return expired holds."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from pitchaseat.accounts.models import User
from pitchaseat.catalog.models import Game
from pitchaseat.errors import NotFound, PermissionDenied
from pitchaseat.listings.cache import ListingPageCache
from pitchaseat.listings.errors import GameNotOnSale
from pitchaseat.listings.models import Listing
from pitchaseat.listings.service import ON_SALE_GAME_STATUSES, refresh_game_summaries
from pitchaseat.listings.stock import return_tickets, take_tickets
from pitchaseat.notifications.events import notify_order_event
from pitchaseat.orders.errors import (
    HoldLimitReached,
    NotEnoughTickets,
    OwnListing,
    WholeListingOnly,
)
from pitchaseat.orders.models import Order, OrderEvent, OrderStatus
from pitchaseat.orders.states import transition
from pitchaseat.timeutil import utcnow


@dataclass(frozen=True)
class HoldPolicy:
    hold_minutes: int
    max_held_tickets: int
    seller_fee_bps: int = 0
    # Sales close when there is no longer time to ship before the game.
    sales_close_before_game: timedelta = timedelta(0)


async def order_with_history(session: AsyncSession, order_id: int) -> Order | None:
    return await session.scalar(
        select(Order)
        .where(Order.id == order_id)
        .options(selectinload(Order.events))
        .execution_options(populate_existing=True)
    )


async def _by_idempotency_key(session: AsyncSession, buyer_id: int, key: str) -> Order | None:
    order_id = await session.scalar(
        select(Order.id).where(Order.buyer_id == buyer_id, Order.idempotency_key == key)
    )
    return await order_with_history(session, order_id) if order_id else None


async def create_hold(
    session: AsyncSession,
    buyer: User,
    *,
    listing_id: int,
    quantity: int,
    policy: HoldPolicy,
    idempotency_key: str | None = None,
    cache: ListingPageCache | None = None,
    now: datetime | None = None,
) -> Order:
    """Holds ``quantity`` tickets of a listing for the buyer until they pay or the hold ends."""
    now = now or utcnow()
    buyer_id = buyer.id
    if idempotency_key:
        earlier = await _by_idempotency_key(session, buyer_id, idempotency_key)
        if earlier is not None:
            return earlier
    # One buyer's holds are taken one at a time, so two at once cannot pass the cap together.
    await session.execute(select(User.id).where(User.id == buyer_id).with_for_update())
    listing = await session.get(Listing, listing_id)
    if listing is None:
        raise NotFound("No such listing.")
    if listing.seller_id == buyer_id:
        raise OwnListing()
    game = await session.get(Game, listing.game_id)
    assert game is not None
    if (
        game.starts_at - policy.sales_close_before_game <= now
        or game.status not in ON_SALE_GAME_STATUSES
    ):
        raise GameNotOnSale(game_id=game.id)
    if listing.sell_together and quantity != listing.quantity:
        raise WholeListingOnly(quantity=listing.quantity)
    held = await session.scalar(
        select(func.coalesce(func.sum(Order.quantity), 0)).where(
            Order.buyer_id == buyer_id,
            Order.status == OrderStatus.pending_payment,
            Order.hold_expires_at > now,
        )
    )
    if int(held or 0) + quantity > policy.max_held_tickets:
        raise HoldLimitReached(held=int(held or 0), limit=policy.max_held_tickets)
    # An expired hold never keeps a ticket from a buyer, even before the sweep runs.
    await release_expired_holds(session, now=now, listing_id=listing_id, cache=None)
    if not await take_tickets(session, listing_id, quantity):
        raise NotEnoughTickets(listing_id=listing_id, quantity=quantity)
    order = Order(
        buyer_id=buyer_id,
        seller_id=listing.seller_id,
        listing_id=listing_id,
        game_id=listing.game_id,
        quantity=quantity,
        unit_price=listing.price,
        amount=listing.price * quantity,
        status=OrderStatus.pending_payment,
        hold_expires_at=now + timedelta(minutes=policy.hold_minutes),
        idempotency_key=idempotency_key,
        seller_fee_bps=policy.seller_fee_bps,
    )
    session.add(order)
    await session.flush()
    session.add(
        OrderEvent(
            order_id=order.id,
            action="orders.hold.created",
            from_status=None,
            to_status=OrderStatus.pending_payment.value,
            actor_id=buyer_id,
            data={"listing_id": listing_id, "quantity": quantity},
        )
    )
    await notify_order_event(
        session, order, action="orders.hold.created", to_status=order.status.value
    )
    await session.flush()
    await refresh_game_summaries(session, [listing.game_id], cache)
    created = await order_with_history(session, order.id)
    assert created is not None
    return created


async def cancel_hold(
    session: AsyncSession,
    order: Order,
    actor: User,
    *,
    reason: str | None = None,
    cache: ListingPageCache | None = None,
) -> Order:
    """The buyer lets a hold go; its tickets are buyable again at once."""
    if actor.id != order.buyer_id:
        raise PermissionDenied("Only the buyer can cancel a hold.")
    await transition(
        session,
        order,
        OrderStatus.cancelled,
        action="orders.hold.cancelled",
        actor_id=actor.id,
        data={"reason": reason} if reason else None,
    )
    await return_tickets(session, order.listing_id, order.quantity)
    await refresh_game_summaries(session, [order.game_id], cache)
    reloaded = await order_with_history(session, order.id)
    assert reloaded is not None
    return reloaded


async def release_expired_holds(
    session: AsyncSession,
    *,
    now: datetime | None = None,
    listing_id: int | None = None,
    cache: ListingPageCache | None = None,
) -> int:
    """Cancels holds past their time and returns their tickets, set-based."""
    now = now or utcnow()
    conditions = [
        Order.status == OrderStatus.pending_payment,
        Order.hold_expires_at <= now,
        # A hold whose charge is under way is settled by the payment, not by the clock.
        Order.charge_in_flight.is_(False),
    ]
    if listing_id is not None:
        conditions.append(Order.listing_id == listing_id)
    expired = (
        await session.execute(
            select(Order.id, Order.listing_id, Order.quantity, Order.game_id)
            .where(*conditions)
            .with_for_update(skip_locked=True)
        )
    ).all()
    if not expired:
        return 0
    ids = [row.id for row in expired]
    await session.execute(
        update(Order)
        .where(Order.id.in_(ids), Order.status == OrderStatus.pending_payment)
        .values(status=OrderStatus.cancelled, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    session.add_all(
        OrderEvent(
            order_id=row.id,
            action="orders.hold.expired",
            from_status=OrderStatus.pending_payment.value,
            to_status=OrderStatus.cancelled.value,
            actor_id=None,
            data={},
            at=now,
        )
        for row in expired
    )
    await session.flush()
    returned: dict[int, int] = defaultdict(int)
    for row in expired:
        returned[row.listing_id] += row.quantity
    for expired_listing_id, quantity in returned.items():
        await return_tickets(session, expired_listing_id, quantity)
    await refresh_game_summaries(session, sorted({row.game_id for row in expired}), cache)
    return len(ids)


@dataclass(frozen=True)
class OrderPage:
    orders: list[Order]
    total: int


async def list_orders(
    session: AsyncSession,
    user: User,
    *,
    as_seller: bool,
    status: OrderStatus | None = None,
    offset: int = 0,
    limit: int = 20,
) -> OrderPage:
    owner = Order.seller_id if as_seller else Order.buyer_id
    conditions = [owner == user.id]
    if status is not None:
        conditions.append(Order.status == status)
    total = await session.scalar(select(func.count(Order.id)).where(*conditions))
    orders = await session.scalars(
        select(Order)
        .where(*conditions)
        .options(selectinload(Order.events))
        .order_by(Order.created_at.desc(), Order.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return OrderPage(list(orders), total or 0)
