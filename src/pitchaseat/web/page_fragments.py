"""Fragments one domain adds to another domain's page without the page importing it.

The catalog's pages sit in a lower layer than, say, market insights; they ask for the
fragments of a page by name, and the app registers the providers at start-up. A fragment
names its template, the slot of the page it goes in, and the data the template shows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request

HOME_PAGE = "home"
GAME_PAGE = "game"


@dataclass(frozen=True)
class Fragment:
    template: str
    slot: str
    data: Any


FragmentProvider = Callable[[Request, AsyncSession, dict[str, Any]], Awaitable[list[Fragment]]]


class PageFragments:
    def __init__(self) -> None:
        self._providers: dict[str, list[FragmentProvider]] = defaultdict(list)

    def add(self, page: str, provider: FragmentProvider) -> None:
        self._providers[page].append(provider)

    async def collect(
        self, page: str, request: Request, session: AsyncSession, params: dict[str, Any]
    ) -> list[Fragment]:
        found: list[Fragment] = []
        for provider in self._providers.get(page, []):
            found += await provider(request, session, params)
        return found


async def page_fragments(
    request: Request, page: str, session: AsyncSession, **params: Any
) -> list[Fragment]:
    """The fragments registered for ``page`` on this app (none when nothing registered)."""
    registry: PageFragments | None = getattr(request.app.state, "page_fragments", None)
    if registry is None:
        return []
    return await registry.collect(page, request, session, params)
