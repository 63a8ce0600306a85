"""Market insight endpoints: thin, cached, the numbers behind each chart."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from pitchaseat.insights import figures
from pitchaseat.insights.cache import MarketStatsCache
from pitchaseat.insights.schemas import PriceStatsOut, SummaryOut, TeamRankingOut
from pitchaseat.timeutil import utcnow
from pitchaseat.web.deps import ServicesDep, SessionDep
from pitchaseat.web.openapi import error_responses
from pitchaseat.web.params import IdPath

router = APIRouter(prefix="/api/v1", tags=["insights"])
JSON = "application/json"


async def market_stats(services: ServicesDep) -> MarketStatsCache:
    return MarketStatsCache(services.cache, enabled=services.settings.page_cache_enabled)


MarketStatsDep = Annotated[MarketStatsCache, Depends(market_stats)]
MonthQuery = Annotated[
    str,
    Query(
        pattern=r"^\d{4}-\d{2}$",
        examples=["2027-04"],
        description="Asia/Taipei calendar month; sales count by payment date",
    ),
]


@router.get("/stats/summary", response_model=SummaryOut)
async def summary(session: SessionDep, stats: MarketStatsDep) -> Response:
    return Response(await figures.summary_json(session, stats, now=utcnow()), media_type=JSON)


@router.get("/stats/teams", response_model=TeamRankingOut, responses=error_responses(422))
async def team_ranking(session: SessionDep, stats: MarketStatsDep, month: MonthQuery) -> Response:
    return Response(await figures.team_ranking_json(session, stats, month), media_type=JSON)


@router.get(
    "/games/{game_id}/price-stats",
    response_model=PriceStatsOut,
    responses=error_responses(404, 422),
)
async def price_stats(session: SessionDep, stats: MarketStatsDep, game_id: IdPath) -> Response:
    return Response(await figures.price_stats_json(session, stats, game_id), media_type=JSON)
