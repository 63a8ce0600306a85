"""Listing sort keys, mapped to columns in one place. Every order ends on the id, so ties
are broken the same way on every backend and every page."""

from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import ColumnElement, case

from pitchaseat.accounts.models import User
from pitchaseat.catalog.models import SeatArea
from pitchaseat.listings.models import Listing


class ListingSort(enum.StrEnum):
    newest = "newest"
    price_asc = "price_asc"
    price_desc = "price_desc"
    seat_area = "seat_area"
    seller_rating = "seller_rating"


def order_by(sort: ListingSort) -> list[ColumnElement[Any]]:
    if sort is ListingSort.newest:
        return [Listing.created_at.desc(), Listing.id.desc()]
    if sort is ListingSort.price_asc:
        return [Listing.price.asc(), Listing.id.asc()]
    if sort is ListingSort.price_desc:
        return [Listing.price.desc(), Listing.id.asc()]
    if sort is ListingSort.seat_area:
        return [SeatArea.sort_order.asc(), Listing.price.asc(), Listing.id.asc()]
    # Sellers with no rating yet go last, on every backend (no NULLS LAST in MySQL).
    unrated_last = case((User.seller_score.is_(None), 1), else_=0)
    return [unrated_last.asc(), User.seller_score.desc(), Listing.price.asc(), Listing.id.asc()]
