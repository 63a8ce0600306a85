"""Reading listings: the buyable filter shared with the read model, and a seller's own."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from pitchaseat.accounts.models import User
from pitchaseat.catalog.models import Game, SeatArea
from pitchaseat.errors import InvalidInput
from pitchaseat.listings.models import Listing, ListingStatus


class InvalidPriceRange(InvalidInput):
    code = "invalid_price_range"
    default_message = "min_price must not be above max_price."


@dataclass(frozen=True)
class BrowseFilters:
    seat_areas: Sequence[str] = ()
    min_price: int | None = None
    max_price: int | None = None
    min_quantity: int | None = None


@dataclass(frozen=True)
class ListingPage:
    listings: list[Listing]
    total: int


def buyable_conditions(
    game_id: int, filters: BrowseFilters, now: datetime
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [
        Listing.game_id == game_id,
        Listing.status == ListingStatus.active,
        Listing.available_quantity >= max(1, filters.min_quantity or 1),
        # Tickets for a game that has begun are never buyable, even before the expiry job runs.
        Game.starts_at > now,
    ]
    if filters.seat_areas:
        conditions.append(SeatArea.code.in_(filters.seat_areas))
    if filters.min_price is not None:
        conditions.append(Listing.price >= filters.min_price)
    if filters.max_price is not None:
        conditions.append(Listing.price <= filters.max_price)
    return conditions


async def seller_listings(
    session: AsyncSession,
    seller: User,
    *,
    status: ListingStatus | None = None,
    offset: int = 0,
    limit: int = 20,
) -> ListingPage:
    conditions: list[ColumnElement[bool]] = [Listing.seller_id == seller.id]
    if status is not None:
        conditions.append(Listing.status == status)
    total = await session.scalar(select(func.count(Listing.id)).where(*conditions))
    listings = await session.scalars(
        select(Listing)
        .where(*conditions)
        .options(
            joinedload(Listing.seat_area),
            joinedload(Listing.seller),
            selectinload(Listing.images),
        )
        .order_by(Listing.created_at.desc(), Listing.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return ListingPage(listings=list(listings.unique()), total=total or 0)
