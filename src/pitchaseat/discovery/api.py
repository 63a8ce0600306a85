"""Trending games and recommendations: thin routes over the discovery service, cached."""

from __future__ import annotations

from typing import Annotated

import orjson
from fastapi import APIRouter, Query, Response, status

from pitchaseat.accounts.deps import CurrentUser, OptionalUser
from pitchaseat.discovery import service
from pitchaseat.discovery.reasons import explain
from pitchaseat.discovery.schemas import (
    RecommendationEventIn,
    RecommendationOut,
    RecommendationsOut,
    TrendingOut,
)
from pitchaseat.discovery.variants import variant_for
from pitchaseat.i18n import current_locale
from pitchaseat.insights.api import MarketStatsDep
from pitchaseat.timeutil import utcnow
from pitchaseat.web.deps import ServicesDep, SessionDep
from pitchaseat.web.openapi import error_responses

router = APIRouter(prefix="/api/v1", tags=["discovery"])
JSON = "application/json"
RECOMMENDATIONS_TTL_SECONDS = 60


@router.get("/trending", response_model=list[TrendingOut], responses=error_responses(422))
async def trending(
    session: SessionDep,
    stats: MarketStatsDep,
    days: Annotated[int, Query(ge=1, le=30)] = 7,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> Response:
    """Games not yet played, ranked by tickets paid for in the last ``days`` days. Cached, and
    dropped the moment an order is paid or refunded."""

    async def compute() -> bytes:
        board = await service.trending_board(session, now=utcnow(), days=days, limit=limit)
        return orjson.dumps([TrendingOut.model_validate(e).model_dump(mode="json") for e in board])

    body = await stats.get_or_compute("trending", f"{days}:{limit}", compute)
    return Response(body, media_type=JSON)


@router.get(
    "/recommendations", response_model=RecommendationsOut, responses=error_responses(401, 422)
)
async def recommendations(
    session: SessionDep,
    services: ServicesDep,
    stats: MarketStatsDep,
    user: OptionalUser,
    limit: Annotated[int, Query(ge=1, le=20)] = 5,
) -> Response:
    """Games picked for the caller (favourite teams, purchases, open holds, with time decay),
    each with its reasons and its cheapest tickets; anonymous visitors get popular games."""
    user_id = user.id if user else None
    variant = variant_for(user_id, services.settings)
    group, key = f"recs:{user_id or 'anonymous'}", f"{variant}:{current_locale()}:{limit}"
    cached = await services.cache.get(group, key)
    if cached is not None:
        return Response(cached, media_type=JSON)
    picks = await service.recommend_for(
        session, user_id, variant=variant, now=utcnow(), limit=limit, stats=stats
    )
    shown = RecommendationsOut(
        request_id=picks.request_id,
        variant=picks.variant,
        items=[
            RecommendationOut(
                game=pick.game,
                score=pick.score,
                reasons=explain(pick.reasons, pick.game),
                listings_preview=pick.listings_preview,
            )
            for pick in picks.items
        ],
    )
    body = orjson.dumps(shown.model_dump(mode="json"))
    await services.cache.put(
        group, key, body, generation=0, ttl_seconds=RECOMMENDATIONS_TTL_SECONDS
    )
    return Response(body, media_type=JSON)


@router.post(
    "/recommendations/events",
    status_code=status.HTTP_202_ACCEPTED,
    responses=error_responses(401, 404, 422),
)
async def recommendation_event(
    body: RecommendationEventIn, session: SessionDep, services: ServicesDep, user: CurrentUser
) -> Response:
    """Logs an impression or a click on a recommended game, under the caller's variant."""
    await service.record_event(
        session,
        user.id,
        variant=variant_for(user.id, services.settings),
        kind=body.kind,
        game_id=body.game_id,
        request_id=body.request_id,
    )
    return Response(status_code=status.HTTP_202_ACCEPTED)
