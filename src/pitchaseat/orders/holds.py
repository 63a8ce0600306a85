"""Checkout holds: take tickets for a few minutes, let them go, and return expired holds."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from pitchaseat.accounts.models import User
from pitchaseat.catalog.models import Game
from pitchaseat.catalog.sales import is_on_sale
from pitchaseat.errors import IdempotencyKeyReused, NotFound
from pitchaseat.listings.errors import GameNotOnSale
from pitchaseat.listings.service import refresh_game_summaries
from pitchaseat.listings.stock import return_tickets, take_tickets
from pitchaseat.orders.actions import Action, check_action
from pitchaseat.orders.codes import OrderEventCode
from pitchaseat.orders.errors import OwnListing, WholeListingOnly
from pitchaseat.orders.hold_facts import HoldFacts, hold_facts, refusal, within_cap
from pitchaseat.orders.models import Order, OrderStatus
from pitchaseat.orders.states import ReleasedHold, cancel_holds, record_creation, transition
from pitchaseat.timeutil import utcnow


class Buyer(Protocol):
    """Who takes a hold: only their id matters (a User, or the API's lean Caller)."""

    @property
    def id(self) -> int: ...


@dataclass(frozen=True)
class HoldPolicy:
    hold_minutes: int
    max_held_tickets: int
    seller_fee_bps: int = 0


async def order_with_history(session: AsyncSession, order_id: int) -> Order | None:
    return await session.scalar(
        select(Order)
        .where(Order.id == order_id)
        .options(selectinload(Order.events))
        .execution_options(populate_existing=True)
    )


async def locked_order(session: AsyncSession, order_id: int) -> Order:
    """The order, locked for this transaction (404 when there is none)."""
    order = await session.scalar(select(Order).where(Order.id == order_id).with_for_update())
    if order is None:
        raise NotFound("No such order.")
    return order


async def _earlier_hold(
    session: AsyncSession, buyer_id: int, key: str, listing_id: int, quantity: int
) -> Order | None:
    """The hold an earlier request with this key made; the key names one request only."""
    earlier = await session.scalar(
        select(Order).where(Order.buyer_id == buyer_id, Order.idempotency_key == key)
    )
    if earlier is None:
        return None
    if (earlier.listing_id, earlier.quantity) != (listing_id, quantity):
        raise IdempotencyKeyReused()
    return await order_with_history(session, earlier.id)


async def create_hold(
    session: AsyncSession,
    buyer: Buyer,
    *,
    listing_id: int,
    quantity: int,
    policy: HoldPolicy,
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> Order:
    """Holds ``quantity`` tickets of a listing for the buyer until they pay or the hold ends.
    The order comes back with its history, built from what was written (no reload)."""
    now = now or utcnow()
    buyer_id = buyer.id
    if idempotency_key:
        earlier = await _earlier_hold(session, buyer_id, idempotency_key, listing_id, quantity)
        if earlier is not None:
            return earlier
    facts = await hold_facts(session, buyer_id, listing_id, now)
    _check_hold_rules(facts, buyer_id, quantity, now)
    assert facts is not None
    limit = policy.max_held_tickets
    if not facts.may_have(quantity):
        raise await refusal(session, buyer_id, listing_id, quantity, limit, now)
    if facts.expired_holds:
        # An expired hold never keeps a ticket from a buyer, even before the sweep runs.
        await release_expired_holds(session, now=now, listing_id=listing_id)
    taken = await take_tickets(
        session, listing_id, quantity, only_if=within_cap(buyer_id, quantity, limit, now)
    )
    if taken is None:
        raise await refusal(session, buyer_id, listing_id, quantity, limit, now)
    order = _new_order(facts, buyer_id, quantity, policy, idempotency_key, now)
    session.add(order)
    await session.flush()
    event = await record_creation(session, order, actor_id=buyer_id)
    set_committed_value(order, "events", [event])
    if taken.sold_out is not False:
        # Only a listing that sold out changes its game's counts and lowest price.
        await refresh_game_summaries(session, [facts.game_id])
    return order


def _check_hold_rules(facts: HoldFacts | None, buyer_id: int, quantity: int, now: datetime) -> None:
    if facts is None:
        raise NotFound("No such listing.")
    if facts.seller_id == buyer_id:
        raise OwnListing()
    if not is_on_sale(facts, now):
        raise GameNotOnSale(game_id=facts.game_id)
    if facts.sell_together and quantity != facts.quantity:
        raise WholeListingOnly(quantity=facts.quantity)


def _new_order(
    facts: HoldFacts,
    buyer_id: int,
    quantity: int,
    policy: HoldPolicy,
    idempotency_key: str | None,
    now: datetime,
) -> Order:
    return Order(
        buyer_id=buyer_id,
        seller_id=facts.seller_id,
        listing_id=facts.listing_id,
        game_id=facts.game_id,
        quantity=quantity,
        unit_price=facts.price,
        amount=facts.price * quantity,
        status=OrderStatus.pending_payment,
        hold_expires_at=now + timedelta(minutes=policy.hold_minutes),
        idempotency_key=idempotency_key,
        seller_fee_bps=policy.seller_fee_bps,
        charge_in_flight=False,
        refund_in_flight=False,
        created_at=now,
        updated_at=now,
    )


async def release_hold(
    session: AsyncSession, order: Order, actor: User, *, reason: str | None = None
) -> Order:
    """The buyer lets a hold go; its tickets are buyable again at once."""
    game = await session.get(Game, order.game_id)
    assert game is not None
    check_action(order, actor.id, Action.release_hold, game, utcnow())
    await transition(
        session,
        order,
        OrderStatus.cancelled,
        code=OrderEventCode.hold_cancelled,
        actor_id=actor.id,
        data={"reason": reason} if reason else None,
    )
    await return_tickets(session, order.listing_id, order.quantity)
    await refresh_game_summaries(session, [order.game_id])
    reloaded = await order_with_history(session, order.id)
    assert reloaded is not None
    return reloaded


async def release_holds_where(
    session: AsyncSession,
    conditions: list[ColumnElement[bool]],
    *,
    code: OrderEventCode,
    now: datetime | None = None,
) -> list[ReleasedHold]:
    """Cancels the matching holds in one batch and gives their tickets back."""
    released = await cancel_holds(session, conditions, code=code, now=now)
    if not released:
        return released
    returned: dict[int, int] = defaultdict(int)
    for hold in released:
        returned[hold.listing_id] += hold.quantity
    for listing_id, quantity in sorted(returned.items()):
        await return_tickets(session, listing_id, quantity)
    await refresh_game_summaries(session, sorted({hold.game_id for hold in released}))
    return released


async def release_expired_holds(
    session: AsyncSession, *, now: datetime | None = None, listing_id: int | None = None
) -> int:
    """Cancels holds past their time and returns their tickets, set-based. A hold whose
    charge is under way is settled by the payment's answer, not by the clock."""
    now = now or utcnow()
    conditions = [Order.hold_expires_at <= now]
    if listing_id is not None:
        conditions.append(Order.listing_id == listing_id)
    released = await release_holds_where(
        session, conditions, code=OrderEventCode.hold_expired, now=now
    )
    return len(released)


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
