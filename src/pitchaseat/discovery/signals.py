"""What the scorer needs, read from the database in a handful of set-based queries: a user's
favourite teams, purchases and open intents, the games on sale, and recent trading."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts.models import UserFavoriteTeam
from pitchaseat.catalog.models import Game
from pitchaseat.catalog.sales import on_sale_clause, sales_cutoff
from pitchaseat.insights.service import TRADED_STATUSES
from pitchaseat.orders.models import Order, OrderEvent, OrderStatus
from pitchaseat.recs import Candidate, GameFacts, Purchase, Reservation, UserSignals

# The most recent purchases are plenty: older ones weigh almost nothing after decay.
MAX_PURCHASES = 200
POPULARITY_DAYS = 7


class _GameRow(Protocol):
    id: int
    starts_at: datetime
    home_team_id: int
    away_team_id: int
    stadium_id: int


def _facts(game: _GameRow) -> GameFacts:
    return GameFacts(game.id, game.starts_at, game.home_team_id, game.away_team_id, game.stadium_id)


async def user_signals(session: AsyncSession, user_id: int, now: datetime) -> UserSignals:
    favourites = await session.scalars(
        select(UserFavoriteTeam.team_id).where(UserFavoriteTeam.user_id == user_id)
    )
    bought = await session.execute(
        select(
            Game.id,
            Game.starts_at,
            Game.home_team_id,
            Game.away_team_id,
            Game.stadium_id,
            Order.created_at,
        )
        .join(Game, Game.id == Order.game_id)
        .where(Order.buyer_id == user_id, Order.status.in_(TRADED_STATUSES))
        .order_by(Order.created_at.desc())
        .limit(MAX_PURCHASES)
    )
    # An open hold is the strongest, shortest-lived intent there is: "this very game, now".
    holding = await session.execute(
        select(Order.game_id, Order.created_at).where(
            Order.buyer_id == user_id,
            Order.status == OrderStatus.pending_payment,
            Order.hold_expires_at > now,
        )
    )
    return UserSignals(
        favourite_team_ids=frozenset(favourites),
        purchases=tuple(Purchase(_facts(row), row.created_at) for row in bought),
        reservations=tuple(Reservation(row.game_id, row.created_at) for row in holding),
    )


async def candidates(session: AsyncSession, now: datetime) -> list[Candidate]:
    """Games not yet started, on sale, with tickets (the kept listing count says so)."""
    rows = await session.execute(
        select(
            Game.id,
            Game.starts_at,
            Game.home_team_id,
            Game.away_team_id,
            Game.stadium_id,
            Game.listing_count,
        ).where(on_sale_clause(sales_cutoff(now)), Game.listing_count > 0)
    )
    return [Candidate(_facts(row), row.listing_count) for row in rows]


async def recent_trades(session: AsyncSession, now: datetime) -> dict[int, int]:
    """Tickets paid for per game in the last week (the popularity term and cold start)."""
    tickets = func.sum(Order.quantity)
    rows = await session.execute(
        select(Order.game_id, tickets)
        .join(
            OrderEvent,
            (OrderEvent.order_id == Order.id) & (OrderEvent.to_status == OrderStatus.paid.value),
        )
        .join(Game, Game.id == Order.game_id)
        .where(
            Order.status.in_(TRADED_STATUSES),
            OrderEvent.at > now - timedelta(days=POPULARITY_DAYS),
            on_sale_clause(sales_cutoff(now)),
        )
        .group_by(Order.game_id)
    )
    return {int(game_id): int(count or 0) for game_id, count in rows.all()}
