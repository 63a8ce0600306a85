"""A game's listing page as response bytes: from the page cache, or from one autocommit read.

The API route and the edge layer (which answers before the framework runs) both come here,
so they give the same bytes. The edge parses the query string itself and takes only queries
the route would accept; anything else falls through to the route, which explains the refusal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import parse_qsl

from pitchaseat.adapters.storage import ImageStorage
from pitchaseat.bounds import MAX_ID, MAX_PAGE_SIZE
from pitchaseat.catalog.fast_path import ReadServices
from pitchaseat.edge import EdgeRoute
from pitchaseat.listings import read_model
from pitchaseat.listings.cache import ListingPageCache, game_group, page_key
from pitchaseat.listings.models import MAX_FACE_VALUE, MAX_QUANTITY
from pitchaseat.listings.sorting import ListingSort
from pitchaseat.timeutil import utcnow


class ListingPageServices(ReadServices, Protocol):
    storage: ImageStorage


_SORTS = {sort.value: sort for sort in ListingSort}
_INT_LIMITS = {
    "min_price": (0, MAX_FACE_VALUE),
    "max_price": (0, MAX_FACE_VALUE),
    "quantity": (1, MAX_QUANTITY),
    "page": (1, 100_000),
    "page_size": (1, MAX_PAGE_SIZE),
}


@dataclass(frozen=True)
class ListingQuery:
    sort: ListingSort = ListingSort.newest
    seat_areas: tuple[str, ...] = ()
    min_price: int | None = None
    max_price: int | None = None
    quantity: int | None = None
    page: int = 1
    page_size: int = 20

    @property
    def cache_key(self) -> str:
        return page_key(
            sort=self.sort.value,
            seat_areas=self.seat_areas,
            min_price=self.min_price,
            max_price=self.max_price,
            quantity=self.quantity,
            page=self.page,
            page_size=self.page_size,
        )


def parse_query(query_string: bytes) -> ListingQuery | None:
    """The query, if the route would accept it; None to let the route decide."""
    ints: dict[str, int | None] = dict.fromkeys(_INT_LIMITS)
    sort = ListingSort.newest
    areas: list[str] = []
    try:
        pairs = parse_qsl(query_string.decode("ascii"), keep_blank_values=True)
    except UnicodeDecodeError:
        return None
    for name, value in pairs:
        if name == "sort":
            if value not in _SORTS:
                return None
            sort = _SORTS[value]
        elif name == "seat_area":
            # A control character (a NUL breaks PostgreSQL's text) is the route's to refuse.
            if not 1 <= len(value) <= 32 or len(areas) >= 20 or not value.isprintable():
                return None
            areas.append(value)
        elif name in _INT_LIMITS:
            low, high = _INT_LIMITS[name]
            if not value.isdigit() or not low <= int(value) <= high or ints[name] is not None:
                return None
            ints[name] = int(value)
    return ListingQuery(
        sort=sort,
        seat_areas=tuple(sorted(set(areas))),
        min_price=ints["min_price"],
        max_price=ints["max_price"],
        quantity=ints["quantity"],
        page=ints["page"] or 1,
        page_size=ints["page_size"] or 20,
    )


def cache_key_for(query_string: bytes) -> str | None:
    query = parse_query(query_string)
    return query.cache_key if query else None


async def listing_page_bytes(
    services: ListingPageServices, game_id: int, query: ListingQuery
) -> bytes:
    """The page's JSON: cached bytes, or one read statement (stored for the next reader)."""
    pages = ListingPageCache(services.cache, enabled=services.settings.page_cache_enabled)
    generation = 0
    if pages.enabled:
        cached = await pages.get(game_id, query.cache_key)
        if cached is not None:
            return cached
        generation = await pages.generation(game_id)
    async with services.reader() as reader:
        result = await read_model.game_listing_page(
            reader,
            game_id,
            services.storage,
            sort=query.sort,
            filters=read_model.BrowseFilters(
                query.seat_areas, query.min_price, query.max_price, query.quantity
            ),
            page=query.page,
            page_size=query.page_size,
        )
    body = result.to_json()
    if pages.enabled and result.game_starts_at is not None:
        seconds_to_start = (result.game_starts_at - utcnow()).total_seconds()
        await pages.put(
            game_id, query.cache_key, body, generation=generation, max_age=seconds_to_start
        )
    return body


def _game_id(match: re.Match[str]) -> int | None:
    game_id = int(match.group(1))
    return game_id if game_id <= MAX_ID else None


def _locate(match: re.Match[str], query_string: bytes) -> tuple[str, str] | None:
    game_id = _game_id(match)
    key = cache_key_for(query_string)
    if game_id is None or key is None:
        return None
    return game_group(game_id), key


async def _compute(
    services: ListingPageServices, match: re.Match[str], query_string: bytes
) -> bytes | None:
    game_id = _game_id(match)
    query = parse_query(query_string)
    if game_id is None or query is None:
        return None
    return await listing_page_bytes(services, game_id, query)


LISTING_PAGE_ROUTE = EdgeRoute(
    path=re.compile(r"^/api/v1/games/([1-9][0-9]{0,9})/listings$"),
    template="/api/v1/games/{game_id}/listings",
    locate=_locate,
    compute=_compute,
)
