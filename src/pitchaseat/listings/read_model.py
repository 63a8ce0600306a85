"""The busiest read of the site, written as the SQL we mean.

A game's listing page comes from one round trip: the page of listings (with seller, seat area
and the total count from a window function) joined to their photos. Rows become plain dicts in
the API's shape and are serialised straight to JSON bytes, ready for the page cache.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import ColumnElement, func, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts.models import User
from pitchaseat.adapters.storage import ImageStorage
from pitchaseat.catalog.models import Game, SeatArea
from pitchaseat.errors import NotFound
from pitchaseat.listings.browse import BrowseFilters, InvalidPriceRange, buyable_conditions
from pitchaseat.listings.models import Listing, ListingImage
from pitchaseat.listings.rules import discount_percent
from pitchaseat.listings.sorting import ListingSort, order_by
from pitchaseat.timeutil import utcnow

_LISTING_COLUMNS = (
    Listing.id,
    Listing.game_id,
    Listing.row,
    Listing.seats,
    Listing.quantity,
    Listing.available_quantity,
    Listing.face_value,
    Listing.price,
    Listing.delivery_method,
    Listing.note,
    Listing.sell_together,
    Listing.status,
    Listing.created_at,
    Listing.updated_at,
    Listing.seller_id,
    User.display_name.label("seller_display_name"),
    User.rating_count.label("seller_rating_count"),
    User.rating_sum.label("seller_rating_sum"),
    User.seller_score.label("seller_score"),
    SeatArea.id.label("area_id"),
    SeatArea.code.label("area_code"),
    SeatArea.name_zh.label("area_name_zh"),
    SeatArea.name_en.label("area_name_en"),
    SeatArea.zone.label("area_zone"),
)


def _listing_dict(row: Any, storage: ImageStorage) -> dict[str, Any]:
    rating_count = row.seller_rating_count
    return {
        "id": row.id,
        "game_id": row.game_id,
        "seller": {
            "id": row.seller_id,
            "display_name": row.seller_display_name,
            "rating_average": (
                round(row.seller_rating_sum / rating_count, 2) if rating_count else None
            ),
            "rating_count": rating_count,
            "seller_score": row.seller_score,
        },
        "seat_area": {
            "id": row.area_id,
            "code": row.area_code,
            "name_zh": row.area_name_zh,
            "name_en": row.area_name_en,
            "zone": row.area_zone.value,
        },
        "row": row.row,
        "seats": row.seats,
        "quantity": row.quantity,
        "available_quantity": row.available_quantity,
        "face_value": row.face_value,
        "price": row.price,
        "discount_percent": discount_percent(price=row.price, face_value=row.face_value),
        "delivery_method": row.delivery_method.value,
        "note": row.note,
        "sell_together": row.sell_together,
        "status": row.status.value,
        "images": [],
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


@dataclass(frozen=True)
class GameListingPage:
    items: list[dict[str, Any]]
    page: int
    page_size: int
    total: int
    game_starts_at: datetime | None

    def to_json(self) -> bytes:
        body = {
            "items": self.items,
            "page": self.page,
            "page_size": self.page_size,
            "total": self.total,
        }
        return orjson.dumps(body, option=orjson.OPT_UTC_Z)


async def game_listing_page(
    session: AsyncSession,
    game_id: int,
    storage: ImageStorage,
    *,
    sort: ListingSort,
    filters: BrowseFilters,
    page: int,
    page_size: int,
    now: datetime | None = None,
) -> GameListingPage:
    """One page of a game's buyable listings, and the game's start (after which the page
    must not be cached)."""
    if (
        filters.min_price is not None
        and filters.max_price is not None
        and filters.min_price > filters.max_price
    ):
        raise InvalidPriceRange(min_price=filters.min_price, max_price=filters.max_price)
    conditions: Sequence[ColumnElement[bool]] = buyable_conditions(
        game_id, filters, now or utcnow()
    )
    ordering = order_by(sort)
    page_query = (
        select(
            *_LISTING_COLUMNS,
            Game.starts_at.label("game_starts_at"),
            func.count().over().label("total"),
            func.row_number().over(order_by=ordering).label("position_in_page"),
        )
        .join(Game, Game.id == Listing.game_id)
        .join(SeatArea, SeatArea.id == Listing.seat_area_id)
        .join(User, User.id == Listing.seller_id)
        .where(*conditions)
        .order_by(*ordering)
        .limit(page_size)
        .offset((page - 1) * page_size)
        .cte("page")
    )
    rows = (
        await session.execute(
            select(
                page_query,
                ListingImage.id.label("image_id"),
                ListingImage.storage_key,
                ListingImage.thumbnail_key,
            )
            .outerjoin(ListingImage, ListingImage.listing_id == page_query.c.id)
            .order_by(page_query.c.position_in_page, ListingImage.position, ListingImage.id)
        )
    ).all()
    items: dict[int, dict[str, Any]] = {}
    total = 0
    starts_at: datetime | None = None
    for row in rows:
        item = items.get(row.id)
        if item is None:
            item = items[row.id] = _listing_dict(row, storage)
            total, starts_at = row.total, row.game_starts_at
        if row.image_id is not None:
            item["images"].append(
                {
                    "id": row.image_id,
                    "url": storage.url(row.storage_key),
                    "thumbnail_url": storage.url(row.thumbnail_key),
                }
            )
    if not rows:
        # An empty page: tell a missing game from an empty one, and count what lies before.
        starts_at = await session.scalar(select(Game.starts_at).where(Game.id == game_id))
        if starts_at is None:
            raise NotFound("No such game.")
        if page > 1:
            total = (
                await session.scalar(
                    select(func.count(literal_column("1")))
                    .select_from(Listing)
                    .join(Game, Game.id == Listing.game_id)
                    .join(SeatArea, SeatArea.id == Listing.seat_area_id)
                    .where(*conditions)
                )
                or 0
            )
    return GameListingPage(list(items.values()), page, page_size, total, starts_at)
