"""100 buyers race for a listing of 3 tickets, each in its own transaction and connection,
released together by a barrier: exactly 3 tickets are held, everyone else gets 409, and when
the holds expire the stock is whole again."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from pitchaseat.accounts.models import User
from pitchaseat.db import create_session_factory
from pitchaseat.errors import DomainError
from pitchaseat.listings.models import Listing
from pitchaseat.orders.holds import HoldPolicy, create_hold, release_expired_holds
from pitchaseat.orders.models import Order, OrderStatus
from pitchaseat.orders.retry import with_retries
from pitchaseat.timeutil import utcnow
from tests.factories import make_game, make_listing, make_user

BUYERS = 100
POLICY = HoldPolicy(hold_minutes=10, max_held_tickets=8)


async def buy_one(
    factory: async_sessionmaker[AsyncSession],
    buyer_id: int,
    listing_id: int,
    barrier: asyncio.Barrier,
) -> str:
    await barrier.wait()

    async def attempt() -> str:
        async with factory() as session, session.begin():
            buyer = await session.get(User, buyer_id)
            assert buyer is not None
            await create_hold(session, buyer, listing_id=listing_id, quantity=1, policy=POLICY)
            return "held"

    try:
        return await with_retries(attempt, attempts=20)
    except DomainError as error:
        return error.code


async def test_a_hundred_buyers_never_oversell_three_tickets(own_engine: AsyncEngine) -> None:
    factory = create_session_factory(own_engine)
    async with factory() as session:
        seller = await make_user(session)
        game = await make_game(session)
        listing = await make_listing(session, seller, game, quantity=3)
        buyers = [await make_user(session, password="Race-Fan-2099x") for _ in range(BUYERS)]
        buyer_ids, listing_id = [b.id for b in buyers], listing.id
    barrier = asyncio.Barrier(BUYERS)

    outcomes = await asyncio.gather(
        *(buy_one(factory, buyer_id, listing_id, barrier) for buyer_id in buyer_ids)
    )

    assert outcomes.count("held") == 3
    assert set(outcomes) - {"held"} == {"not_enough_tickets"}
    async with factory() as session:
        held = await session.scalar(
            select(func.sum(Order.quantity)).where(
                Order.listing_id == listing_id, Order.status == OrderStatus.pending_payment
            )
        )
        stock = await session.get(Listing, listing_id)
        assert stock is not None
        assert (held, stock.available_quantity) == (3, 0)

        expired = await release_expired_holds(session, now=utcnow() + timedelta(minutes=11))
        await session.commit()
        await session.refresh(stock)
        assert expired == 3
        assert (stock.available_quantity, stock.status.value) == (3, "active")


async def test_one_buyer_racing_many_holds_never_passes_the_cap(own_engine: AsyncEngine) -> None:
    """The cap is checked inside the stock take, after the buyer's turn is taken: twenty
    holds of one buyer at once, on twenty listings, leave exactly the cap held."""
    factory = create_session_factory(own_engine)
    async with factory() as session:
        seller, buyer = await make_user(session), await make_user(session)
        game = await make_game(session)
        listings = [await make_listing(session, seller, game, quantity=2) for _ in range(20)]
        buyer_id, listing_ids = buyer.id, [listing.id for listing in listings]
    barrier = asyncio.Barrier(len(listing_ids))

    outcomes = await asyncio.gather(
        *(buy_one(factory, buyer_id, listing_id, barrier) for listing_id in listing_ids)
    )

    assert outcomes.count("held") == POLICY.max_held_tickets
    assert set(outcomes) - {"held"} == {"hold_limit_reached"}
    async with factory() as session:
        held = await session.scalar(
            select(func.sum(Order.quantity)).where(
                Order.buyer_id == buyer_id, Order.status == OrderStatus.pending_payment
            )
        )
        assert held == POLICY.max_held_tickets
