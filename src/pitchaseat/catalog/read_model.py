"""The month calendar as the SQL we mean: one statement, games with both teams and the park
joined, run on the driver's own connection (``pitchaseat.rawsql``), rows turned into the API's
shape by position and serialised straight to JSON bytes (no ORM objects, no response models
on the way)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

import orjson
from sqlalchemy import bindparam, or_, select

from pitchaseat.catalog.models import Game, Stadium, Team
from pitchaseat.catalog.service import parse_month
from pitchaseat.rawsql import RawReader
from pitchaseat.timeutil import month_bounds, taipei_day_bounds_utc, to_taipei

_home = Team.__table__.alias("home_team")
_away = Team.__table__.alias("away_team")
_stadium = Stadium.__table__
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


def _month_statement(with_team: bool) -> Any:
    statement = (
        select(
            Game.id,
            Game.season,
            Game.game_number,
            Game.starts_at,
            Game.status,
            Game.listing_count,
            Game.lowest_price,
            *(_home.c[name] for name in _TEAM_COLUMNS),
            *(_away.c[name] for name in _TEAM_COLUMNS),
            *(_stadium.c[name] for name in _STADIUM_COLUMNS),
        )
        .join(_home, _home.c.id == Game.home_team_id)
        .join(_away, _away.c.id == Game.away_team_id)
        .join(_stadium, _stadium.c.id == Game.stadium_id)
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
_TEAM_END = 7 + len(_TEAM_COLUMNS)
_AWAY_END = _TEAM_END + len(_TEAM_COLUMNS)


def _game(row: Any, known: dict[tuple[str, int], dict[str, Any]]) -> dict[str, Any]:
    game_id, season, game_number, starts_at, status, listing_count, lowest_price = row[:7]
    # Six teams and six parks recur in every game of the month: each dict is built once.
    home = known.get(("team", row[7]))
    if home is None:
        home = known[("team", row[7])] = dict(zip(_TEAM_COLUMNS, row[7:_TEAM_END], strict=True))
    away = known.get(("team", row[_TEAM_END]))
    if away is None:
        away = known[("team", row[_TEAM_END])] = dict(
            zip(_TEAM_COLUMNS, row[_TEAM_END:_AWAY_END], strict=True)
        )
    stadium = known.get(("stadium", row[_AWAY_END]))
    if stadium is None:
        stadium = known[("stadium", row[_AWAY_END])] = dict(
            zip(_STADIUM_COLUMNS, row[_AWAY_END:], strict=True)
        )
    return {
        "id": game_id,
        "season": season,
        "game_number": game_number,
        "starts_at": starts_at,
        "home_team": home,
        "away_team": away,
        "stadium": stadium,
        "status": status,
        "listing_count": listing_count,
        "lowest_price": lowest_price,
    }


async def month_calendar_json(
    reader: RawReader, month: str, *, team_id: int | None = None
) -> bytes:
    """``CalendarOut`` as JSON: every Taipei day of the month with its games in order."""
    first_day, last_day = month_bounds(*parse_month(month))
    start, end = taipei_day_bounds_utc(first_day, last_day)
    parameters: dict[str, Any] = {"start": start, "end": end}
    if team_id is not None:
        parameters["team_id"] = team_id
    rows = await reader.rows(_STATEMENTS[team_id is not None], parameters)
    by_day: dict[date, list[dict[str, Any]]] = defaultdict(list)
    known: dict[tuple[str, int], dict[str, Any]] = {}
    for row in rows:
        by_day[to_taipei(row[3]).date()].append(_game(row, known))
    days = [
        {"date": day, "games": by_day.get(day, [])}
        for day in (first_day + timedelta(days=n) for n in range((last_day - first_day).days + 1))
    ]
    return orjson.dumps({"month": month, "days": days}, option=orjson.OPT_UTC_Z)
