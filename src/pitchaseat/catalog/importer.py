"""Season schedule import from CSV (format: docs/schedule-csv.md).

Every row is checked before anything is written; a file with any bad row imports nothing and
reports each problem with its line number.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.catalog.models import Game, Stadium, Team
from pitchaseat.catalog.schedule import PlannedGame
from pitchaseat.errors import InvalidInput
from pitchaseat.timeutil import TAIPEI, to_taipei

COLUMNS = ("season", "game_number", "date", "time", "home_team", "away_team", "stadium")
MAX_ROWS = 5000
# Only the documented shapes: fromisoformat and int() also take "20270402", "18:35+00:00"
# (an offset we would silently drop), "1_0" and non-ASCII digits.
WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
TIME = re.compile(r"[0-9]{2}:[0-9]{2}")


class ScheduleImportFailed(InvalidInput):
    code = "schedule_import_failed"
    default_message = "The schedule has bad rows; nothing was imported."


@dataclass(frozen=True)
class TeamRef:
    id: int
    home_stadium_id: int


@dataclass(frozen=True)
class ParsedGame:
    line: int
    season: int
    game_number: int
    starts_at: datetime
    home_team_id: int
    away_team_id: int
    stadium_id: int


@dataclass
class ParsedSchedule:
    games: list[ParsedGame] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class ImportResult:
    created: int


def _parse_local_time(day: str, clock: str) -> datetime | None:
    if not (DATE.fullmatch(day) and TIME.fullmatch(clock)):
        return None
    try:
        return datetime.combine(date.fromisoformat(day), time.fromisoformat(clock), TAIPEI)
    except ValueError:  # right shape, impossible value: 2027-02-30, 25:00
        return None


def _parse_row(
    line: int, row: dict[str, str], teams: Mapping[str, TeamRef], stadiums: Mapping[str, int]
) -> tuple[ParsedGame | None, list[str]]:
    problems: list[str] = []
    values = {name: (row.get(name) or "").strip() for name in COLUMNS}
    season = game_number = 0
    if WHOLE_NUMBER.fullmatch(values["season"]) and WHOLE_NUMBER.fullmatch(values["game_number"]):
        season, game_number = int(values["season"]), int(values["game_number"])
    if not (1990 <= season <= 2100 and game_number >= 1):
        problems.append("season and game_number must be whole numbers (season 1990-2100)")
        season = game_number = 0
    local = _parse_local_time(values["date"], values["time"])
    if local is None:
        problems.append(f"bad date/time {values['date']!r} {values['time']!r} (YYYY-MM-DD HH:MM)")
    elif season and local.year != season:
        # A CPBL season lies within one calendar year; a mismatch is a typo in one of the two.
        problems.append(f"date {values['date']} is not in season {season}")
    for column in ("home_team", "away_team"):
        if not values[column]:
            problems.append(f"{column} is empty")
        elif values[column] not in teams:
            problems.append(f"unknown team code {values[column]!r} in {column}")
    if values["home_team"] and values["home_team"] == values["away_team"]:
        problems.append("a team cannot play itself")
    stadium_id = stadiums.get(values["stadium"]) if values["stadium"] else None
    if values["stadium"] and stadium_id is None:
        problems.append(f"unknown stadium code {values['stadium']!r}")
    home, away = teams.get(values["home_team"]), teams.get(values["away_team"])
    if problems or home is None or away is None or local is None:
        return None, problems
    return (
        ParsedGame(
            line=line,
            season=season,
            game_number=game_number,
            starts_at=local.astimezone(UTC),
            home_team_id=home.id,
            away_team_id=away.id,
            stadium_id=stadium_id or home.home_stadium_id,
        ),
        [],
    )


def parse_schedule_csv(
    text: str, teams: Mapping[str, TeamRef], stadiums: Mapping[str, int]
) -> ParsedSchedule:
    result = ParsedSchedule()
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip() for name in next(reader, [])]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        result.errors.append((1, f"header lacks column(s): {', '.join(missing)}"))
    repeated = sorted({name for name in header if name in COLUMNS and header.count(name) > 1})
    if repeated:
        result.errors.append((1, f"header repeats column(s): {', '.join(repeated)}"))
    if result.errors:
        return result
    seen_numbers: dict[tuple[int, int], int] = {}
    seen_team_days: dict[tuple[int, date], int] = {}
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if line > MAX_ROWS + 1:
            result.errors.append((line, f"too many rows (at most {MAX_ROWS})"))
            break
        if len(cells) != len(header):
            result.errors.append((line, f"expected {len(header)} columns, found {len(cells)}"))
            continue
        game, problems = _parse_row(line, dict(zip(header, cells, strict=True)), teams, stadiums)
        result.errors.extend((line, problem) for problem in problems)
        if game is None:
            continue
        key = (game.season, game.game_number)
        if key in seen_numbers:
            result.errors.append(
                (line, f"game {key[1]} of {key[0]} repeats line {seen_numbers[key]}")
            )
            continue
        seen_numbers[key] = line
        day = to_taipei(game.starts_at).date()
        clash = [
            seen_team_days[(team, day)]
            for team in (game.home_team_id, game.away_team_id)
            if (team, day) in seen_team_days
        ]
        if clash:
            result.errors.append((line, f"a team already plays on {day} (line {clash[0]})"))
            continue
        for team in (game.home_team_id, game.away_team_id):
            seen_team_days[(team, day)] = line
        result.games.append(game)
    return result


async def import_schedule(session: AsyncSession, text: str) -> ImportResult:
    teams = {
        team.code: TeamRef(team.id, team.home_stadium_id)
        for team in await session.scalars(select(Team))
    }
    stadiums = dict((await session.execute(select(Stadium.code, Stadium.id))).all())
    parsed = parse_schedule_csv(text, teams, stadiums)
    if parsed.games:
        # One query by season (the unique index's leading column) rather than a row-value IN
        # with two parameters per row: same answer, a few hundred rows, portable everywhere.
        seasons = sorted({game.season for game in parsed.games})
        rows = await session.execute(
            select(Game.season, Game.game_number).where(Game.season.in_(seasons))
        )
        existing = {(season, number) for season, number in rows}
        parsed.errors.extend(
            (game.line, f"game {game.game_number} of {game.season} already exists")
            for game in parsed.games
            if (game.season, game.game_number) in existing
        )
    if not parsed.games and not parsed.errors:
        parsed.errors.append((1, "the file has no games"))
    if parsed.errors:
        errors = sorted(parsed.errors)
        raise ScheduleImportFailed(
            errors=[{"line": line, "message": message} for line, message in errors]
        )
    session.add_all(
        Game(
            season=game.season,
            game_number=game.game_number,
            starts_at=game.starts_at,
            home_team_id=game.home_team_id,
            away_team_id=game.away_team_id,
            stadium_id=game.stadium_id,
        )
        for game in parsed.games
    )
    await session.flush()
    return ImportResult(created=len(parsed.games))


def schedule_to_csv(planned: Sequence[PlannedGame]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for game in planned:
        local = to_taipei(game.starts_at)
        writer.writerow(
            [
                local.year,
                game.game_number,
                local.date().isoformat(),
                local.strftime("%H:%M"),
                game.home_team,
                game.away_team,
                game.stadium,
            ]
        )
    return buffer.getvalue()
