"""The month calendar as the SQL we mean, on the driver's own connection
(``pitchaseat.rawsql``): the month's games, then the teams and the parks, rows turned into the
API's shape by position and serialised straight to JSON bytes (no ORM objects, no response
models on the way).

The teams and parks are read apart rather than joined to every game: six teams and a few
parks recur in every game of the month, and decoding their names again for each of ~50 games
cost more than a second statement (teams and parks together) on the same connection. The games
are read first, so every team and park they name is there when the second read runs (a game's
foreign keys keep them, and teams and parks are never deleted)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

import orjson
from sqlalchemy import Select, bindparam, literal, null, or_, select, union_all

from pitchaseat.catalog.models import Game, Stadium, Team
from pitchaseat.catalog.service import parse_month
from pitchaseat.rawsql import RawReader
from pitchaseat.timeutil import month_bounds, taipei_day_bounds_utc, to_taipei

_TEAM_COLUMNS = (
    "id",
    "code",
    "name_zh",
    "name_en",
    "short_name_zh",
    "short_name_en",
    "color",
    "home_stadium_id",
)
_STADIUM_COLUMNS = ("id", "code", "name_zh", "name_en", "city_zh", "city_en")
# Teams and parks in one statement (one round trip fewer), parks padded to the teams' width.
_PLACES = union_all(
    select(literal("team"), *(Team.__table__.c[name] for name in _TEAM_COLUMNS)),
    select(
        literal("park"),
        *(Stadium.__table__.c[name] for name in _STADIUM_COLUMNS),
        *(null() for _ in range(len(_TEAM_COLUMNS) - len(_STADIUM_COLUMNS))),
    ),
)


def _month_statement(with_team: bool) -> Select[*tuple[Any, ...]]:
    statement: Select[*tuple[Any, ...]] = (
        select(
            Game.id,
            Game.season,
            Game.game_number,
            Game.starts_at,
            Game.status,
            Game.listing_count,
            Game.lowest_price,
            Game.home_team_id,
            Game.away_team_id,
            Game.stadium_id,
        )
        .where(
            Game.starts_at >= bindparam("start", type_=Game.starts_at.type),
            Game.starts_at < bindparam("end", type_=Game.starts_at.type),
        )
        .order_by(Game.starts_at, Game.id)
    )
    if with_team:
        team: Any = bindparam("team_id")
        statement = statement.where(or_(Game.home_team_id == team, Game.away_team_id == team))
    return statement


_STATEMENTS = {with_team: _month_statement(with_team) for with_team in (False, True)}


async def month_calendar_json(
    reader: RawReader, month: str, *, team_id: int | None = None
) -> bytes:
    """``CalendarOut`` as JSON: every Taipei day of the month with its games in order."""
    first_day, last_day = month_bounds(*parse_month(month))
    start, end = taipei_day_bounds_utc(first_day, last_day)
    parameters: dict[str, Any] = {"start": start, "end": end}
    if team_id is not None:
        parameters["team_id"] = team_id
    games, places = await reader.rows_of_each(
        [(_STATEMENTS[team_id is not None], parameters), (_PLACES, {})]
    )
    # Each team and park dict is built once and shared by all the games that name it.
    team_by_id, stadium_by_id = {}, {}
    for kind, *values in places:
        if kind == "team":
            team_by_id[values[0]] = dict(zip(_TEAM_COLUMNS, values, strict=True))
        else:
            stadium_by_id[values[0]] = dict(zip(_STADIUM_COLUMNS, values, strict=False))
    by_day: dict[date, list[dict[str, Any]]] = defaultdict(list)
    for game_id, season, number, starts_at, status, listings, lowest, home, away, park in games:
        by_day[to_taipei(starts_at).date()].append(
            {
                "id": game_id,
                "season": season,
                "game_number": number,
                "starts_at": starts_at,
                "home_team": team_by_id[home],
                "away_team": team_by_id[away],
                "stadium": stadium_by_id[park],
                "status": status,
                "listing_count": listings,
                "lowest_price": lowest,
            }
        )
    days = [
        {"date": day, "games": by_day.get(day, [])}
        for day in (first_day + timedelta(days=n) for n in range((last_day - first_day).days + 1))
    ]
    return orjson.dumps({"month": month, "days": days}, option=orjson.OPT_UTC_Z)
