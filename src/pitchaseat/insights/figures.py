"""Each figure as cached JSON, shared by the API (which sends the bytes) and the pages
(which read them back), so both always show the same numbers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.insights import service
from pitchaseat.insights.cache import MarketStatsCache
from pitchaseat.insights.schemas import (
    PriceStatsOut,
    SummaryOut,
    TeamFiguresOut,
    TeamRankingOut,
    TrendingGameOut,
    TrendingOut,
)

TRENDING_ON_HOME = 5


async def summary_json(session: AsyncSession, stats: MarketStatsCache, *, now: datetime) -> bytes:
    async def compute() -> bytes:
        site = await service.site_figures(session, now=now)
        trending = await service.trending_prices(session, now=now, limit=TRENDING_ON_HOME)
        out = SummaryOut.model_validate(
            {
                **vars(site),
                "trending": TrendingOut(
                    days=service.TRENDING_DAYS,
                    basis=service.BASIS,
                    items=[TrendingGameOut.model_validate(item) for item in trending],
                ),
            }
        )
        return out.model_dump_json().encode()

    return await stats.get_or_compute("site", "summary", compute)


async def team_ranking_json(session: AsyncSession, stats: MarketStatsCache, month: str) -> bytes:
    async def compute() -> bytes:
        ranking = await service.team_ranking(session, month)
        out = TeamRankingOut(
            month=month,
            basis=service.BASIS,
            items=[TeamFiguresOut.model_validate(item) for item in ranking],
        )
        return out.model_dump_json().encode()

    return await stats.get_or_compute("site", f"teams:{month}", compute)


async def price_stats_json(session: AsyncSession, stats: MarketStatsCache, game_id: int) -> bytes:
    async def compute() -> bytes:
        prices = await service.game_prices(session, game_id)
        out = PriceStatsOut.model_validate({**vars(prices), "basis": service.BASIS})
        return out.model_dump_json().encode()

    return await stats.get_or_compute(f"game:{game_id}", "prices", compute)
