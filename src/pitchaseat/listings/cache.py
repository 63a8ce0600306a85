"""Cached listing pages of a game: the response bytes, dropped on every change to the game's
listings (after the change commits), so a stale price is never served."""

from __future__ import annotations

from collections.abc import Iterable

from pitchaseat.adapters.cache import GroupCache
from pitchaseat.catalog.cache import CALENDAR_GROUP

# A safety net only: every change invalidates at once.
PAGE_TTL_SECONDS = 300


def game_group(game_id: int) -> str:
    return f"game-listings:{game_id}"


class ListingPageCache:
    def __init__(self, cache: GroupCache, *, enabled: bool = True) -> None:
        self.cache = cache
        self.enabled = enabled

    async def get(self, game_id: int, query_key: str) -> bytes | None:
        if not self.enabled:
            return None
        return await self.cache.get(game_group(game_id), query_key)

    async def generation(self, game_id: int) -> int:
        return await self.cache.generation(game_group(game_id))

    async def put(
        self, game_id: int, query_key: str, body: bytes, *, generation: int, max_age: float
    ) -> None:
        """Stores a page for at most ``max_age`` seconds (callers pass the time until the game
        starts, when every listing stops being buyable)."""
        ttl = int(min(PAGE_TTL_SECONDS, max_age))
        if self.enabled and ttl >= 1:
            await self.cache.put(
                game_group(game_id), query_key, body, generation=generation, ttl_seconds=ttl
            )

    async def invalidate_games(self, game_ids: Iterable[int]) -> None:
        """Drops the games' listing pages and the calendar, which shows their counts."""
        groups = [game_group(game_id) for game_id in game_ids]
        await self.cache.invalidate(*groups, CALENDAR_GROUP)


def page_key(
    *,
    sort: str,
    seat_areas: Iterable[str],
    min_price: int | None,
    max_price: int | None,
    quantity: int | None,
    page: int,
    page_size: int,
) -> str:
    """The one spelling of a listing query, shared by the route and the fast path."""
    areas = ",".join(sorted(set(seat_areas)))
    return f"{sort}|{areas}|{min_price}|{max_price}|{quantity}|{page}|{page_size}"
