"""Serves cached listing pages before the framework runs.

A game's listing page is the busiest read of the site. When its bytes are in the cache, this
ASGI layer answers from them directly; anything unusual (a miss, an unknown or invalid
parameter) falls through to the normal route, which validates, computes and fills the cache.
"""

from __future__ import annotations

import re
from types import SimpleNamespace
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Receive, Scope, Send

from pitchaseat.listings.cache import ListingPageCache, page_key
from pitchaseat.listings.models import MAX_FACE_VALUE, MAX_QUANTITY
from pitchaseat.listings.sorting import ListingSort
from pitchaseat.web.pagination import MAX_PAGE_SIZE
from pitchaseat.web.params import MAX_ID

_PATH = re.compile(r"^/api/v1/games/([1-9][0-9]{0,9})/listings$")
_SORTS = frozenset(sort.value for sort in ListingSort)
_INT_LIMITS = {
    "min_price": (0, MAX_FACE_VALUE),
    "max_price": (0, MAX_FACE_VALUE),
    "quantity": (1, MAX_QUANTITY),
    "page": (1, 100_000),
    "page_size": (1, MAX_PAGE_SIZE),
}
# Metrics label cache hits with the route they stand for.
_ROUTE = SimpleNamespace(path="/api/v1/games/{game_id}/listings")
_HEADERS = [(b"content-type", b"application/json"), (b"x-cache", b"hit")]


def cache_key_for(query_string: bytes) -> str | None:
    """The page key for a query the route would accept, or None to let the route decide."""
    ints: dict[str, int | None] = dict.fromkeys(_INT_LIMITS)
    sort = ListingSort.newest.value
    areas: list[str] = []
    try:
        pairs = parse_qsl(
            query_string.decode("ascii"), keep_blank_values=True, strict_parsing=False
        )
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


class ListingPageFastPath:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            match = _PATH.match(scope["path"])
            if match and int(match.group(1)) <= MAX_ID:
                body = await self._cached(scope, int(match.group(1)))
                if body is not None:
                    scope["route"] = _ROUTE
                    headers = [*_HEADERS, (b"content-length", str(len(body)).encode())]
                    await send({"type": "http.response.start", "status": 200, "headers": headers})
                    await send({"type": "http.response.body", "body": body})
                    return
        await self.app(scope, receive, send)

    async def _cached(self, scope: Scope, game_id: int) -> bytes | None:
        key = cache_key_for(scope.get("query_string", b""))
        services = getattr(scope["app"].state, "services", None)
        if key is None or services is None:
            return None
        pages = ListingPageCache(services.cache, enabled=services.settings.listing_cache_enabled)
        return await pages.get(game_id, key)
