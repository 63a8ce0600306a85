"""API.md's page shape: ``?page=1&page_size=20`` (max 100).

The body is ``{items, page, page_size, total}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query

from pitchaseat.bounds import MAX_PAGE_SIZE
from pitchaseat.paging import Page

__all__ = ["MAX_PAGE_SIZE", "Page", "PageDep", "PageParams"]


@dataclass(frozen=True)
class PageParams:
    page: int
    page_size: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


async def page_params(
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 20,
) -> PageParams:
    return PageParams(page=page, page_size=page_size)


PageDep = Annotated[PageParams, Depends(page_params)]
