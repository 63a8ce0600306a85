"""The month calendar as response bytes: from the cache, or from one autocommit read. The API
route and the edge layer both come here, so they give the same bytes."""

from __future__ import annotations

import re
from contextlib import AbstractAsyncContextManager
from typing import Protocol

from pitchaseat.adapters.cache import GroupCache
from pitchaseat.catalog import read_model
from pitchaseat.catalog.cache import (
    CALENDAR_GROUP,
    CALENDAR_PATH,
    CALENDAR_TTL_SECONDS,
    calendar_key,
    calendar_query,
    locate_calendar,
)
from pitchaseat.edge import EdgeRoute
from pitchaseat.rawsql import RawReader
from pitchaseat.settings import Settings


class ReadServices(Protocol):
    """What an edge-served read uses of the app's services (the composition root's)."""

    settings: Settings
    cache: GroupCache

    def reader(self) -> AbstractAsyncContextManager[RawReader]: ...


async def calendar_bytes(services: ReadServices, month: str, team_id: int | None) -> bytes:
    enabled = services.settings.page_cache_enabled
    key = calendar_key(month, team_id)
    generation = 0
    if enabled:
        cached = await services.cache.get(CALENDAR_GROUP, key)
        if cached is not None:
            return cached
        generation = await services.cache.generation(CALENDAR_GROUP)
    async with services.reader() as reader:
        body = await read_model.month_calendar_json(reader, month, team_id=team_id)
    if enabled:
        await services.cache.put(
            CALENDAR_GROUP, key, body, generation=generation, ttl_seconds=CALENDAR_TTL_SECONDS
        )
    return body


async def _compute(services: ReadServices, _match: re.Match[str], query: bytes) -> bytes | None:
    parsed = calendar_query(query)
    if parsed is None:
        return None
    return await calendar_bytes(services, *parsed)


CALENDAR_ROUTE = EdgeRoute(
    path=CALENDAR_PATH, template="/api/v1/calendar", locate=locate_calendar, compute=_compute
)
