"""Reading a seller's own listings (any status), newest first."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from pitchaseat.accounts.models import User
from pitchaseat.listings.models import Listing, ListingStatus


@dataclass(frozen=True)
class ListingPage:
    listings: list[Listing]
    total: int


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
