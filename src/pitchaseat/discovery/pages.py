"""The home page's trending board and "recommended for you" (a fragment the app registers)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request

from pitchaseat.discovery import service
from pitchaseat.discovery.reasons import explain
from pitchaseat.discovery.schemas import ReasonOut
from pitchaseat.discovery.variants import variant_for
from pitchaseat.insights.cache import MarketStatsCache
from pitchaseat.timeutil import utcnow
from pitchaseat.web.page_fragments import HOME_PAGE, Fragment, PageFragments

HOME_PICKS = 5
HOME_TRENDING = 5


@dataclass(frozen=True)
class HomeBoard:
    trending: list[service.TrendingEntry]
    picks: service.Picks
    reasons: list[list[ReasonOut]]


async def home_fragments(
    request: Request, session: AsyncSession, _params: dict[str, Any]
) -> list[Fragment]:
    visitor = getattr(request.state, "user", None)
    user_id = visitor.id if visitor else None
    settings = request.app.state.services.settings
    now = utcnow()
    picks = await service.recommend_for(
        session,
        user_id,
        variant=variant_for(user_id, settings),
        now=now,
        limit=HOME_PICKS,
        stats=MarketStatsCache(
            request.app.state.services.cache, enabled=settings.page_cache_enabled
        ),
    )
    reasons = [explain(pick.reasons, pick.game) for pick in picks.items]
    trending = await service.trending_board(session, now=now, days=7, limit=HOME_TRENDING)
    return [Fragment("discovery/home.html", "top", HomeBoard(trending, picks, reasons))]


def register_fragments(fragments: PageFragments) -> None:
    fragments.add(HOME_PAGE, home_fragments)
