"""How a listing page request maps to its cache entry, for the edge cache."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

from pitchaseat.bounds import MAX_ID, MAX_PAGE_SIZE
from pitchaseat.edge import EdgeRoute
from pitchaseat.listings.cache import game_group, page_key
from pitchaseat.listings.models import MAX_FACE_VALUE, MAX_QUANTITY
from pitchaseat.listings.sorting import ListingSort

_SORTS = frozenset(sort.value for sort in ListingSort)
_INT_LIMITS = {
    "min_price": (0, MAX_FACE_VALUE),
    "max_price": (0, MAX_FACE_VALUE),
    "quantity": (1, MAX_QUANTITY),
    "page": (1, 100_000),
    "page_size": (1, MAX_PAGE_SIZE),
}


def cache_key_for(query_string: bytes) -> str | None:
    """The page key for a query the route would accept, or None to let the route decide."""
    ints: dict[str, int | None] = dict.fromkeys(_INT_LIMITS)
    sort = ListingSort.newest.value
    areas: list[str] = []
    try:
        pairs = parse_qsl(query_string.decode("ascii"), keep_blank_values=True)
    except UnicodeDecodeError:
        return None
    for name, value in pairs:
        if name == "sort":
            if value not in _SORTS:
                return None
            sort = value
        elif name == "seat_area":
            if not 1 <= len(value) <= 32 or len(areas) >= 20:
                return None
            areas.append(value)
        elif name in _INT_LIMITS:
            low, high = _INT_LIMITS[name]
            if not value.isdigit() or not low <= int(value) <= high or ints[name] is not None:
                return None
            ints[name] = int(value)
    return page_key(
        sort=sort,
        seat_areas=areas,
        min_price=ints["min_price"],
        max_price=ints["max_price"],
        quantity=ints["quantity"],
        page=ints["page"] or 1,
        page_size=ints["page_size"] or 20,
    )


def _locate(match: re.Match[str], query_string: bytes) -> tuple[str, str] | None:
    game_id = int(match.group(1))
    key = cache_key_for(query_string)
    if game_id > MAX_ID or key is None:
        return None
    return game_group(game_id), key


LISTING_PAGE_ROUTE = EdgeRoute(
    path=re.compile(r"^/api/v1/games/([1-9][0-9]{0,9})/listings$"),
    template="/api/v1/games/{game_id}/listings",
    locate=_locate,
)
