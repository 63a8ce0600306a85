"""A plausible full CPBL season, generated deterministically for the demo.

Six teams play 360 games: every pair meets 24 times (12 at each park), in 3-game series
(Tuesday-Thursday and Friday-Sunday; Monday is the league's day off) from March to October.
Some home series are played away from the club's own park, as CPBL clubs do: at the Taipei
Dome, and at the county parks of Hualien, Chiayi, Douliu and Luodong.
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

# Home series a club plays elsewhere in a season: (park, series of 3 games). Wei Chuan takes
# the most Dome dates; the southern and eastern clubs bring games to the county parks.
SECONDARY_SERIES: dict[str, tuple[tuple[str, int], ...]] = {
    "WD": (("TPD", 5),),
    "CTBC": (("TPD", 3), ("HUA", 1)),
    "FG": (("TPD", 2), ("LTG", 1)),
    "RM": (("TPD", 1),),
    "UL": (("TPD", 1), ("HUA", 2), ("CYI", 1), ("ATP", 1)),
    "TSG": (("DLU", 1), ("CYC", 1)),
}


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


def _series_parks(
    series: Sequence[tuple[date, str]],
    home_stadium_by_team: Mapping[str, str],
    secondary: Mapping[str, Sequence[tuple[str, int]]],
) -> list[str]:
    """The park of each (opening day, home team) series: the home park, except for the
    secondary series spread evenly over each club's season; one series per park at a time."""
    parks = [home_stadium_by_team[home] for _, home in series]
    busy: set[tuple[date, str]] = set()
    for team, plan in secondary.items():
        own = [index for index, (_, home) in enumerate(series) if home == team]
        wanted = [park for park, count in plan for _ in range(count)]
        if not own or not wanted:
            continue
        step = len(own) / len(wanted)
        position = 0
        for number, park in enumerate(wanted):
            # The next of the club's series from its even spot whose dates the park has free.
            position = max(position, int((number + 0.5) * step))
            while position < len(own) and (series[own[position]][0], park) in busy:
                position += 1
            if position == len(own):
                break
            parks[own[position]] = park
            busy.add((series[own[position]][0], park))
            position += 1
    return parks


def generate_season(
    season: int,
    team_codes: Sequence[str],
    home_stadium_by_team: Mapping[str, str],
    secondary: Mapping[str, Sequence[tuple[str, int]]] | None = None,
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
    series: list[tuple[date, int, str, str]] = []
    for slot, opening in enumerate(chosen):
        for order, (first, second) in enumerate(rounds[slot % len(rounds)]):
            pair = frozenset((first, second))
            # Alternate hosts between the pair's series: 12 home games each.
            home, away = (first, second) if meetings[pair] % 2 == 0 else (second, first)
            meetings[pair] += 1
            series.append((opening, order, home, away))
    parks = _series_parks(
        [(opening, home) for opening, _, home, _ in series], home_stadium_by_team, secondary or {}
    )
    fixtures = sorted(
        (_first_pitch(opening + timedelta(days=offset)), order, home, away, park)
        for (opening, order, home, away), park in zip(series, parks, strict=True)
        for offset in range(SERIES_LENGTH)
    )
    return [
        PlannedGame(number, starts_at, home, away, park)
        for number, (starts_at, _, home, away, park) in enumerate(fixtures, start=1)
    ]
