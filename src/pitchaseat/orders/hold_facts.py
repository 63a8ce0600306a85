"""What a new hold needs to know before it takes tickets, in as few statements as the database
allows, and why a take that matched nothing was refused.

One buyer's holds are taken one at a time (their user row is locked), so two at once cannot
pass the cap together. The cap is then checked inside the take itself: that statement starts
after the lock was granted, so it sees every hold of the buyer that committed before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts.models import User
from pitchaseat.catalog.models import Game, GameStatus
from pitchaseat.listings.models import Listing, ListingStatus
from pitchaseat.orders.errors import HoldLimitReached, NotEnoughTickets
from pitchaseat.orders.models import Order, OrderStatus
from pitchaseat.orders.states import unclaimed


@dataclass
class HoldFacts:
    listing_id: int
    seller_id: int
    game_id: int
    price: int
    quantity: int
    available_quantity: int
    sell_together: bool
    listing_status: ListingStatus
    # The game, as ``is_on_sale`` reads it (catalog.sales.GameTimes).
    status: GameStatus
    starts_at: datetime
    # Holds past their time on this listing, not yet swept: they must give their tickets back
    # before this buyer is told there are none.
    expired_holds: bool

    def may_have(self, quantity: int) -> bool:
        """What the listing showed at this statement's start; the take itself decides."""
        return self.expired_holds or (
            self.listing_status is ListingStatus.active and self.available_quantity >= quantity
        )


def _facts_query(listing_id: int, now: datetime) -> Select[*tuple[Any, ...]]:
    expired = exists().where(
        Order.listing_id == Listing.id,
        Order.status == OrderStatus.pending_payment,
        unclaimed(),
        Order.hold_expires_at <= now,
    )
    return (
        select(
            Listing.id,
            Listing.seller_id,
            Listing.game_id,
            Listing.price,
            Listing.quantity,
            Listing.available_quantity,
            Listing.sell_together,
            Listing.status,
            Game.status,
            Game.starts_at,
            expired.label("expired_holds"),
        )
        .join(Game, Game.id == Listing.game_id)
        .where(Listing.id == listing_id)
    )


async def hold_facts(
    session: AsyncSession, buyer_id: int, listing_id: int, now: datetime
) -> HoldFacts | None:
    """The listing and its game, with the buyer's turn taken: on PostgreSQL in the same
    statement (``FOR UPDATE OF users``); MariaDB has no ``OF`` and would lock the listing and
    the game as well, so there the lock is a statement of its own; SQLite's writers are one
    at a time anyway."""
    query = _facts_query(listing_id, now)
    dialect = session.get_bind().dialect
    if dialect.name == "postgresql":
        query = query.join(User, User.id == buyer_id).with_for_update(of=User)
    elif dialect.name != "sqlite":
        await session.execute(select(User.id).where(User.id == buyer_id).with_for_update())
    row = (await session.execute(query)).one_or_none()
    return None if row is None else HoldFacts(*row)


def held_tickets(buyer_id: int, now: datetime) -> ColumnElement[int]:
    """Tickets the buyer holds right now (a hold past its time holds nothing)."""
    return (
        select(func.coalesce(func.sum(Order.quantity), 0))
        .where(
            Order.buyer_id == buyer_id,
            Order.status == OrderStatus.pending_payment,
            Order.hold_expires_at > now,
        )
        .scalar_subquery()
    )


def within_cap(buyer_id: int, quantity: int, limit: int, now: datetime) -> ColumnElement[bool]:
    return held_tickets(buyer_id, now) + quantity <= limit


async def refusal(
    session: AsyncSession, buyer_id: int, listing_id: int, quantity: int, limit: int, now: datetime
) -> Exception:
    """Why no tickets were taken: the buyer's cap first (as it always was), else the stock."""
    held = int(await session.scalar(select(held_tickets(buyer_id, now))) or 0)
    if held + quantity > limit:
        return HoldLimitReached(held=held, limit=limit)
    return NotEnoughTickets(listing_id=listing_id, quantity=quantity)
