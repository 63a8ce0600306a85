"""A plausible full CPBL season, generated deterministically for the demo.

Six teams play 360 games: every pair meets 24 times (12 at each park), in 3-game series
(Tuesday-Thursday and Friday-Sunday; Monday is the league's day off) from March to October.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from pitchaseat.timeutil import TAIPEI

SERIES_LENGTH = 3
GAMES_PER_PAIR = 24
WEEKDAY_FIRST_PITCH = time(18, 35)
WEEKEND_FIRST_PITCH = time(17, 5)
SEASON_OPENS = (3, 1)
SEASON_CLOSES = (10, 31)


@dataclass(frozen=True)
class PlannedGame:
    game_number: int
    starts_at: datetime
    home_team: str
    away_team: str
    stadium: str


def first_season_ahead(today: date) -> int:
    """The first season that has not started yet on ``today``."""
    return today.year if today < date(today.year, *SEASON_OPENS) else today.year + 1


def round_robin(teams: Sequence[str]) -> list[list[tuple[str, str]]]:
    """Circle method: len(teams) - 1 rounds in which every team plays exactly once."""
    if len(teams) % 2:
        raise ValueError("round robin needs an even number of teams")
    rotating = list(teams[1:])
    rounds = []
    for _ in range(len(teams) - 1):
        lineup = [teams[0], *rotating]
        half = len(lineup) // 2
        rounds.append(list(zip(lineup[:half], reversed(lineup[half:]), strict=True)))
        rotating = rotating[-1:] + rotating[:-1]
    return rounds


def series_openings(season: int) -> list[date]:
    """Every Tuesday and Friday on which a 3-game series fits inside the season."""
    first, last = date(season, *SEASON_OPENS), date(season, *SEASON_CLOSES)
    day = first + timedelta(days=(1 - first.weekday()) % 7)  # first Tuesday
    openings = []
    while day + timedelta(days=SERIES_LENGTH - 1) <= last:
        if day.weekday() in (1, 4):  # Tuesday, Friday
            openings.append(day)
        day += timedelta(days=1)
    return openings


def _first_pitch(day: date) -> datetime:
    local = WEEKEND_FIRST_PITCH if day.weekday() >= 5 else WEEKDAY_FIRST_PITCH
    return datetime.combine(day, local, TAIPEI).astimezone(UTC)


def generate_season(
    season: int, team_codes: Sequence[str], home_stadium_by_team: Mapping[str, str]
) -> list[PlannedGame]:
    teams = list(team_codes)
    rounds = round_robin(teams)
    series_per_pair = GAMES_PER_PAIR // SERIES_LENGTH
    series_slots = len(rounds) * series_per_pair
    openings = series_openings(season)
    if len(openings) < series_slots:
        raise ValueError(f"season {season} has too few series openings")
    # Spread the series evenly over the season rather than packing them at the start.
    chosen = [openings[(i * len(openings)) // series_slots] for i in range(series_slots)]

    meetings: Counter[frozenset[str]] = Counter()
    fixtures: list[tuple[datetime, int, str, str]] = []
    for slot, opening in enumerate(chosen):
        for order, (first, second) in enumerate(rounds[slot % len(rounds)]):
            pair = frozenset((first, second))
            # Alternate hosts between the pair's series: 12 home games each.
            home, away = (first, second) if meetings[pair] % 2 == 0 else (second, first)
            meetings[pair] += 1
            for offset in range(SERIES_LENGTH):
                fixtures.append((_first_pitch(opening + timedelta(days=offset)), order, home, away))
    fixtures.sort()
    return [
        PlannedGame(number, starts_at, home, away, home_stadium_by_team[home])
        for number, (starts_at, _, home, away) in enumerate(fixtures, start=1)
    ]
