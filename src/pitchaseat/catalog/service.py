"""Catalog reads: teams, stadiums, games by date and team, the month calendar."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from pitchaseat.catalog.models import Game, Stadium, Team
from pitchaseat.errors import InvalidInput, NotFound
from pitchaseat.timeutil import month_bounds, taipei_day_bounds_utc, to_taipei

_MONTH_PATTERN = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class InvalidMonth(InvalidInput):
    code = "invalid_month"
    default_message = "The month must look like YYYY-MM."


class InvalidDateRange(InvalidInput):
    code = "invalid_date_range"
    default_message = "date_from must not be after date_to."


def parse_month(value: str) -> tuple[int, int]:
    match = _MONTH_PATTERN.match(value)
    if not match or not 2000 <= int(match.group(1)) <= 2100:
        raise InvalidMonth(month=value)
    return int(match.group(1)), int(match.group(2))


async def list_teams(session: AsyncSession) -> list[Team]:
    return list(await session.scalars(select(Team).order_by(Team.id)))


async def list_stadiums(session: AsyncSession) -> list[Stadium]:
    query = select(Stadium).options(selectinload(Stadium.seat_areas)).order_by(Stadium.id)
    return list(await session.scalars(query))


def _games_query() -> Select[Game]:
    return select(Game).options(
        joinedload(Game.home_team), joinedload(Game.away_team), joinedload(Game.stadium)
    )


def _team_filter(team_id: int | None) -> list[ColumnElement[bool]]:
    if team_id is None:
        return []
    return [or_(Game.home_team_id == team_id, Game.away_team_id == team_id)]


@dataclass(frozen=True)
class GamePage:
    games: list[Game]
    total: int


async def list_games(
    session: AsyncSession,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    team_id: int | None = None,
    offset: int = 0,
    limit: int = 20,
) -> GamePage:
    if date_from and date_to and date_from > date_to:
        raise InvalidDateRange(date_from=str(date_from), date_to=str(date_to))
    filters: list[ColumnElement[bool]] = []
    if date_from:
        filters.append(Game.starts_at >= taipei_day_bounds_utc(date_from, date_from)[0])
    if date_to:
        filters.append(Game.starts_at < taipei_day_bounds_utc(date_to, date_to)[1])
    filters += _team_filter(team_id)
    query = _games_query().where(*filters)
    total = await session.scalar(select(func.count(Game.id)).where(*filters)) or 0
    games = await session.scalars(
        query.order_by(Game.starts_at, Game.id).offset(offset).limit(limit)
    )
    return GamePage(games=list(games), total=total)


async def get_game(session: AsyncSession, game_id: int) -> Game:
    game = await session.scalar(_games_query().where(Game.id == game_id))
    if game is None:
        raise NotFound("No such game.")
    return game


async def games_between(
    session: AsyncSession, first_day: date, last_day: date, *, team_id: int | None = None
) -> dict[date, list[Game]]:
    """Games grouped by their Taipei date, for every day from ``first_day`` to ``last_day``."""
    start, end = taipei_day_bounds_utc(first_day, last_day)
    query = _games_query().where(
        Game.starts_at >= start, Game.starts_at < end, *_team_filter(team_id)
    )
    by_day: dict[date, list[Game]] = defaultdict(list)
    for game in await session.scalars(query.order_by(Game.starts_at, Game.id)):
        by_day[to_taipei(game.starts_at).date()].append(game)
    days = (last_day - first_day).days + 1
    return {
        first_day + timedelta(days=n): by_day.get(first_day + timedelta(days=n), [])
        for n in range(days)
    }


async def month_calendar(
    session: AsyncSession, month: str, *, team_id: int | None = None
) -> dict[date, list[Game]]:
    first_day, last_day = month_bounds(*parse_month(month))
    return await games_between(session, first_day, last_day, team_id=team_id)


async def next_month_with_games(session: AsyncSession, from_day: date) -> str | None:
    start, _ = taipei_day_bounds_utc(from_day, from_day)
    first = await session.scalar(select(func.min(Game.starts_at)).where(Game.starts_at >= start))
    return to_taipei(first).strftime("%Y-%m") if first else None
