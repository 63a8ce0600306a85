"""Listings: post, edit, withdraw, expire; and each game's listing summary kept in step."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from pitchaseat.accounts.guards import require_verified_email
from pitchaseat.accounts.models import User
from pitchaseat.aftercommit import Happening, announce
from pitchaseat.catalog.models import Game, GameStatus, SeatArea
from pitchaseat.catalog.sales import is_on_sale
from pitchaseat.errors import DomainError, NotFound
from pitchaseat.listings.errors import (
    GameNotOnSale,
    ListingNotEditable,
    QuantityBelowTaken,
    UnknownSeatArea,
)
from pitchaseat.listings.match_requests import request_match
from pitchaseat.listings.models import DeliveryMethod, Listing, ListingStatus
from pitchaseat.listings.rules import check_price_cap
from pitchaseat.timeutil import utcnow


@dataclass(frozen=True)
class NewListing:
    game_id: int
    seat_area: str
    quantity: int
    face_value: int
    price: int
    delivery_method: DeliveryMethod
    row: str | None = None
    seats: str | None = None
    note: str | None = None
    sell_together: bool = False


async def load_listing(session: AsyncSession, listing_id: int) -> Listing | None:
    return await session.scalar(
        select(Listing)
        .where(Listing.id == listing_id)
        .options(
            joinedload(Listing.seller),
            joinedload(Listing.seat_area),
            selectinload(Listing.images),
        )
        .execution_options(populate_existing=True)
    )


async def visible_listing(session: AsyncSession, listing_id: int, viewer: User | None) -> Listing:
    """A listing anyone may see; a withdrawn one only its seller sees."""
    listing = await load_listing(session, listing_id)
    if listing is None or (
        listing.status is ListingStatus.withdrawn
        and (viewer is None or viewer.id != listing.seller_id)
    ):
        raise NotFound("No such listing.")
    return listing


async def owned_listing(session: AsyncSession, listing_id: int, seller: User) -> Listing:
    """The seller's own listing; someone else's is reported as missing (no existence leak)."""
    listing = await load_listing(session, listing_id)
    if listing is None or listing.seller_id != seller.id:
        raise NotFound("No such listing.")
    return listing


async def refresh_game_summaries(session: AsyncSession, game_ids: Collection[int]) -> None:
    """Recomputes the games' listing counts and lowest prices in one statement, and drops
    their cached listing pages once the change is committed."""
    if not game_ids:
        return
    buyable = and_(
        Listing.game_id == Game.id,
        Listing.status == ListingStatus.active,
        Listing.available_quantity > 0,
    )
    await session.execute(
        update(Game)
        .where(Game.id.in_(game_ids))
        .values(
            listing_count=select(func.count(Listing.id)).where(buyable).scalar_subquery(),
            lowest_price=select(func.min(Listing.price)).where(buyable).scalar_subquery(),
        )
        .execution_options(synchronize_session=False)
    )
    announce(session, Happening.listings_changed, game_ids)


async def _game_on_sale(session: AsyncSession, game_id: int, now: datetime) -> Game:
    game = await session.get(Game, game_id)
    if game is None:
        raise NotFound("No such game.")
    if not is_on_sale(game, now):
        raise GameNotOnSale(game_id=game_id)
    return game


async def create_listing(
    session: AsyncSession,
    seller: User,
    data: NewListing,
    *,
    now: datetime | None = None,
) -> Listing:
    require_verified_email(seller)
    check_price_cap(price=data.price, face_value=data.face_value)
    game = await _game_on_sale(session, data.game_id, now or utcnow())
    seat_area_id = await session.scalar(
        select(SeatArea.id).where(
            SeatArea.stadium_id == game.stadium_id, SeatArea.code == data.seat_area
        )
    )
    if seat_area_id is None:
        raise UnknownSeatArea(seat_area=data.seat_area)
    listing = Listing(
        game_id=game.id,
        seller_id=seller.id,
        seat_area_id=seat_area_id,
        row=data.row,
        seats=data.seats,
        quantity=data.quantity,
        available_quantity=data.quantity,
        face_value=data.face_value,
        price=data.price,
        delivery_method=data.delivery_method,
        note=data.note,
        sell_together=data.sell_together,
        status=ListingStatus.active,
    )
    session.add(listing)
    await session.flush()
    await request_match(session, listing.id)
    await refresh_game_summaries(session, [game.id])
    loaded = await load_listing(session, listing.id)
    assert loaded is not None
    return loaded


async def create_listings(
    session: AsyncSession,
    seller: User,
    rows: Sequence[NewListing],
    *,
    now: datetime | None = None,
) -> list[Listing]:
    """One posting of several tickets, each its own listing, all in the caller's transaction:
    a refused row raises with its index in ``error.details["row"]``, and nothing is kept."""
    created = []
    for index, data in enumerate(rows):
        try:
            created.append(await create_listing(session, seller, data, now=now))
        except DomainError as error:
            error.details["row"] = index
            raise
    return created


async def update_listing(
    session: AsyncSession,
    listing: Listing,
    *,
    price: int | None = None,
    quantity: int | None = None,
    note: str | None = None,
) -> Listing:
    if listing.status not in (ListingStatus.active, ListingStatus.sold_out):
        raise ListingNotEditable(status=listing.status.value)
    # A cheaper price or more tickets may now satisfy someone's reservation.
    more_appealing = (price is not None and price < listing.price) or (
        quantity is not None and quantity > listing.quantity
    )
    if price is not None:
        check_price_cap(price=price, face_value=listing.face_value)
        listing.price = price
    if quantity is not None:
        taken = listing.quantity - listing.available_quantity
        if quantity < taken:
            raise QuantityBelowTaken(taken=taken)
        listing.available_quantity = quantity - taken
        listing.quantity = quantity
        listing.status = (
            ListingStatus.active if listing.available_quantity > 0 else ListingStatus.sold_out
        )
    if note is not None:
        listing.note = note or None
    await session.flush()
    if more_appealing:
        await request_match(session, listing.id)
    await refresh_game_summaries(session, [listing.game_id])
    reloaded = await load_listing(session, listing.id)
    assert reloaded is not None
    return reloaded


async def withdraw_listing(session: AsyncSession, listing: Listing) -> None:
    if listing.status is ListingStatus.withdrawn:
        return
    if listing.status is ListingStatus.expired:
        raise ListingNotEditable(status=listing.status.value)
    listing.status = ListingStatus.withdrawn
    await session.flush()
    await refresh_game_summaries(session, [listing.game_id])


async def expire_started_listings(session: AsyncSession, *, now: datetime | None = None) -> int:
    """Marks the listings of games that have started as expired (reads hide them already)."""
    started = select(Game.id).where(
        Game.starts_at <= (now or utcnow()),
        # A postponed game's listings only pause: they sell again on the make-up date.
        Game.status != GameStatus.postponed,
    )
    game_ids = list(
        await session.scalars(
            select(Listing.game_id)
            .where(
                Listing.status.in_((ListingStatus.active, ListingStatus.sold_out)),
                Listing.game_id.in_(started),
            )
            .distinct()
        )
    )
    if not game_ids:
        return 0
    result = await session.execute(
        update(Listing)
        .where(
            Listing.game_id.in_(game_ids),
            Listing.status.in_((ListingStatus.active, ListingStatus.sold_out)),
        )
        .values(status=ListingStatus.expired)
        .execution_options(synchronize_session=False)
    )
    await refresh_game_summaries(session, game_ids)
    return int(getattr(result, "rowcount", 0) or 0)
