"""The busiest read of the site, written as the SQL we mean.

A game's listing page is one statement: the page of buyable listings with seller and seat area
joined, the total as an uncorrelated scalar subquery, and each listing's photos folded into one
string column. Statements are built once per query shape with bound parameters and run on the
driver's own connection (``pitchaseat.rawsql``), so a request pays neither for building nor for
compiling SQL. Rows become plain dicts in the API's shape, serialised straight to JSON bytes
for the page cache.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

import orjson
from sqlalchemy import ColumnElement, Select, String, bindparam, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts.models import User
from pitchaseat.adapters.storage import ImageStorage
from pitchaseat.catalog.models import Game, SeatArea
from pitchaseat.catalog.sales import on_sale_clause, sales_cutoff
from pitchaseat.catalog.seatmap import AreaOffer
from pitchaseat.errors import InvalidInput, NotFound
from pitchaseat.listings.models import Listing, ListingImage, ListingStatus
from pitchaseat.listings.rules import discount_percent
from pitchaseat.listings.sorting import ListingSort, order_by
from pitchaseat.rawsql import RawReader
from pitchaseat.timeutil import utcnow

_PHOTO_SEPARATOR = ","
# Positions in the page statement's rows.
_GAME_STARTS_AT, _TOTAL = 24, 25
_PHOTO_FIELD_SEPARATOR = "|"


class InvalidPriceRange(InvalidInput):
    code = "invalid_price_range"
    default_message = "min_price must not be above max_price."


@dataclass(frozen=True)
class BrowseFilters:
    seat_areas: Sequence[str] = ()
    min_price: int | None = None
    max_price: int | None = None
    min_quantity: int | None = None


def _buyable(area_count: int, with_min: bool, with_max: bool) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [
        Listing.game_id == bindparam("game_id"),
        Listing.status == ListingStatus.active,
        Listing.available_quantity >= bindparam("min_quantity"),
        # Closed sales never show, even before the expiry job runs; a postponed game's tickets
        # pause until it has a new date, a cancelled one's end.
        on_sale_clause(bindparam("sales_cutoff", type_=Game.starts_at.type)),
    ]
    if area_count:
        # One parameter per area (no expanding IN): the statement compiles once per count.
        areas: list[Any] = [bindparam(name) for name in _area_names(area_count)]
        conditions.append(SeatArea.code.in_(areas))
    if with_min:
        conditions.append(Listing.price >= bindparam("min_price"))
    if with_max:
        conditions.append(Listing.price <= bindparam("max_price"))
    return conditions


def _area_names(count: int) -> list[str]:
    return [f"area_{index}" for index in range(count)]


@lru_cache(maxsize=256)
def _page_statement(
    sort: ListingSort, area_count: int, with_min: bool, with_max: bool, unfiltered: bool
) -> Select[*tuple[Any, ...]]:
    conditions = _buyable(area_count, with_min, with_max)
    # Unfiltered, the total is the game's listing count, kept in step with every change.
    total: Any = (
        Game.listing_count
        if unfiltered
        else select(func.count(Listing.id))
        .select_from(Listing)
        .join(Game, Game.id == Listing.game_id)
        .join(SeatArea, SeatArea.id == Listing.seat_area_id)
        .where(*conditions)
        .correlate(None)
        .scalar_subquery()
    )
    photo = (
        cast(ListingImage.position, String)
        + _PHOTO_FIELD_SEPARATOR
        + cast(ListingImage.id, String)
        + _PHOTO_FIELD_SEPARATOR
        + ListingImage.storage_key
        + _PHOTO_FIELD_SEPARATOR
        + ListingImage.thumbnail_key
    )
    photos = (
        select(func.aggregate_strings(photo, _PHOTO_SEPARATOR))
        .where(ListingImage.listing_id == Listing.id)
        .scalar_subquery()
    )
    statement: Select[*tuple[Any, ...]] = (
        select(
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
            Game.starts_at.label("game_starts_at"),
            total.label("total"),
            photos.label("photos"),
        )
        .join(Game, Game.id == Listing.game_id)
        .join(SeatArea, SeatArea.id == Listing.seat_area_id)
        .join(User, User.id == Listing.seller_id)
        .where(*conditions)
        .order_by(*order_by(sort))
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )
    return statement


def _photos(packed: str | None, storage: ImageStorage) -> list[dict[str, Any]]:
    if not packed:
        return []
    photos = sorted(
        (int(position), int(image_id), key, thumbnail)
        for position, image_id, key, thumbnail in (
            entry.split(_PHOTO_FIELD_SEPARATOR) for entry in packed.split(_PHOTO_SEPARATOR)
        )
    )
    return [
        {"id": image_id, "url": storage.url(key), "thumbnail_url": storage.url(thumbnail)}
        for _, image_id, key, thumbnail in photos
    ]


def _listing_dict(row: Any, storage: ImageStorage) -> dict[str, Any]:
    # Unpacked by position (the statement's column order): reading 27 columns of 20 rows by
    # name costs more than building the page's JSON.
    (
        listing_id,
        game_id,
        row_label,
        seats,
        quantity,
        available_quantity,
        face_value,
        price,
        delivery_method,
        note,
        sell_together,
        status,
        created_at,
        updated_at,
        seller_id,
        seller_display_name,
        rating_count,
        rating_sum,
        seller_score,
        area_id,
        area_code,
        area_name_zh,
        area_name_en,
        area_zone,
        _game_starts_at,
        _total,
        photos,
    ) = row
    return {
        "id": listing_id,
        "game_id": game_id,
        "seller": {
            "id": seller_id,
            "display_name": seller_display_name,
            "rating_average": round(rating_sum / rating_count, 2) if rating_count else None,
            "rating_count": rating_count,
            "seller_score": seller_score,
        },
        "seat_area": {
            "id": area_id,
            "code": area_code,
            "name_zh": area_name_zh,
            "name_en": area_name_en,
            "zone": area_zone,
        },
        "row": row_label,
        "seats": seats,
        "quantity": quantity,
        "available_quantity": available_quantity,
        "face_value": face_value,
        "price": price,
        "discount_percent": discount_percent(price=price, face_value=face_value),
        "delivery_method": delivery_method,
        "note": note,
        "sell_together": sell_together,
        "status": status,
        "images": _photos(photos, storage),
        "created_at": created_at,
        "updated_at": updated_at,
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


@lru_cache(maxsize=1)
def _game_start_statement() -> Select[datetime]:
    return select(Game.starts_at).where(Game.id == bindparam("game_id"))


async def game_listing_page(
    reader: RawReader,
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
    with_min, with_max = filters.min_price is not None, filters.max_price is not None
    unfiltered = not (filters.seat_areas or with_min or with_max or (filters.min_quantity or 1) > 1)
    area_count = len(filters.seat_areas)
    statement = _page_statement(sort, area_count, with_min, with_max, unfiltered)
    parameters: dict[str, Any] = {
        "game_id": game_id,
        "min_quantity": max(1, filters.min_quantity or 1),
        "sales_cutoff": sales_cutoff(now or utcnow()),
        "limit": page_size,
        "offset": (page - 1) * page_size,
    }
    parameters.update(zip(_area_names(area_count), filters.seat_areas, strict=True))
    if filters.min_price is not None:
        parameters["min_price"] = filters.min_price
    if filters.max_price is not None:
        parameters["max_price"] = filters.max_price
    rows = await reader.rows(statement, parameters)
    if rows:
        items = [_listing_dict(row, storage) for row in rows]
        first = rows[0]
        return GameListingPage(items, page, page_size, first[_TOTAL], first[_GAME_STARTS_AT])
    # An empty page: tell a missing game from an empty one, and count what lies before.
    game = await reader.rows(_game_start_statement(), {"game_id": game_id})
    if not game:
        raise NotFound("No such game.")
    total = 0
    if page > 1:
        parameters.update(limit=1, offset=0)
        before = await reader.rows(statement, parameters)
        total = before[0][_TOTAL] if before else 0
    return GameListingPage([], page, page_size, total, game[0][0])


@lru_cache(maxsize=1)
def _area_offers_statement() -> Select[str, int, int]:
    return (
        select(SeatArea.code, func.count(Listing.id), func.min(Listing.price))
        .select_from(Listing)
        .join(Game, Game.id == Listing.game_id)
        .join(SeatArea, SeatArea.id == Listing.seat_area_id)
        .where(*_buyable(area_count=0, with_min=False, with_max=False))
        .group_by(SeatArea.code)
    )


async def area_offers(
    session: AsyncSession, game_id: int, *, now: datetime | None = None
) -> dict[str, AreaOffer]:
    """Per seat area of a game: how many listings are buyable and the lowest asking price."""
    parameters = {
        "game_id": game_id,
        "min_quantity": 1,
        "sales_cutoff": sales_cutoff(now or utcnow()),
    }
    rows = await session.execute(_area_offers_statement(), parameters)
    return {code: AreaOffer(count=count, lowest_price=lowest) for code, count, lowest in rows}
