"""Recommendations for one user (or an anonymous visitor), and the trending board; each game
comes with its teams and a preview of its cheapest tickets."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from pitchaseat.catalog.models import Game, SeatArea
from pitchaseat.discovery.models import RecommendationEvent, RecommendationEventKind
from pitchaseat.discovery.signals import candidates, recent_trades, user_signals
from pitchaseat.errors import NotFound
from pitchaseat.insights.cache import MarketStatsCache
from pitchaseat.insights.service import trending_games
from pitchaseat.listings.models import Listing, ListingStatus
from pitchaseat.recs import UserSignals, recommend

PREVIEW_LISTINGS = 3


@dataclass(frozen=True)
class Pick:
    game: Game
    score: float
    reasons: tuple[dict[str, Any], ...]
    listings_preview: list[dict[str, Any]]


@dataclass(frozen=True)
class Picks:
    request_id: str
    variant: str
    items: list[Pick]


async def games_with_teams(session: AsyncSession, game_ids: list[int]) -> dict[int, Game]:
    if not game_ids:
        return {}
    games = await session.scalars(
        select(Game)
        .where(Game.id.in_(game_ids))
        .options(joinedload(Game.home_team), joinedload(Game.away_team), joinedload(Game.stadium))
    )
    return {game.id: game for game in games}


async def cheapest_listings(
    session: AsyncSession, game_ids: list[int], now: datetime
) -> dict[int, list[dict[str, Any]]]:
    """The cheapest buyable listings of each game, in one windowed query."""
    if not game_ids:
        return {}
    position = (
        func.row_number()
        .over(partition_by=Listing.game_id, order_by=(Listing.price, Listing.id))
        .label("position")
    )
    ranked = (
        select(
            Listing.id,
            Listing.game_id,
            Listing.price,
            Listing.face_value,
            Listing.available_quantity,
            SeatArea.code,
            SeatArea.name_zh,
            SeatArea.name_en,
            position,
        )
        .join(SeatArea, SeatArea.id == Listing.seat_area_id)
        .where(
            Listing.game_id.in_(game_ids),
            Listing.status == ListingStatus.active,
            Listing.available_quantity > 0,
        )
        .subquery()
    )
    rows = await session.execute(
        select(ranked)
        .where(ranked.c.position <= PREVIEW_LISTINGS)
        .order_by(ranked.c.game_id, ranked.c.position)
    )
    previews: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        previews[row.game_id].append(
            {
                "listing_id": row.id,
                "price": row.price,
                "face_value": row.face_value,
                "available_quantity": row.available_quantity,
                "seat_area": {"code": row.code, "name_zh": row.name_zh, "name_en": row.name_en},
            }
        )
    return previews


async def recommend_for(
    session: AsyncSession,
    user_id: int | None,
    *,
    variant: str,
    now: datetime,
    limit: int,
    stats: MarketStatsCache | None = None,
) -> Picks:
    """Scored picks for a user; an anonymous visitor gets the cold start (popular games).

    The popularity term is the same for everyone: it is read through the market-figures cache
    (dropped whenever an order is paid or refunded) when one is given."""
    signals = await user_signals(session, user_id, now) if user_id else UserSignals()
    picked = recommend(
        signals,
        await candidates(session, now),
        await _popularity(session, now, stats),
        now,
        variant=variant,
        limit=limit,
    )
    ids = [pick.game.game_id for pick in picked]
    games = await games_with_teams(session, ids)
    previews = await cheapest_listings(session, ids, now)
    items = [
        Pick(
            games[p.game.game_id],
            round(p.score, 4),
            tuple(map(dict, p.reasons)),
            previews[p.game.game_id],
        )
        for p in picked
        if p.game.game_id in games
    ]
    return Picks(uuid.uuid4().hex, variant, items)


async def _popularity(
    session: AsyncSession, now: datetime, stats: MarketStatsCache | None
) -> dict[int, int]:
    if stats is None:
        return await recent_trades(session, now)

    async def compute() -> bytes:
        return orjson.dumps({str(k): v for k, v in (await recent_trades(session, now)).items()})

    cached = orjson.loads(await stats.get_or_compute("popularity", "recent", compute))
    return {int(game_id): int(count) for game_id, count in cached.items()}


@dataclass(frozen=True)
class TrendingEntry:
    game: Game
    trade_count: int
    rank: int


async def trending_board(
    session: AsyncSession, *, now: datetime, days: int, limit: int
) -> list[TrendingEntry]:
    ranked = await trending_games(session, now=now, days=days, limit=limit)
    games = await games_with_teams(session, [entry.game_id for entry in ranked])
    return [
        TrendingEntry(games[entry.game_id], entry.tickets_traded, entry.rank)
        for entry in ranked
        if entry.game_id in games
    ]


async def record_event(
    session: AsyncSession,
    user_id: int | None,
    *,
    variant: str,
    kind: RecommendationEventKind,
    game_id: int,
    request_id: str,
) -> None:
    if await session.get(Game, game_id) is None:
        raise NotFound("No such game.")
    session.add(
        RecommendationEvent(
            user_id=user_id, variant=variant, kind=kind, game_id=game_id, request_id=request_id
        )
    )
    await session.flush()
