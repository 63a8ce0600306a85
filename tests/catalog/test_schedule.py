from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest

from pitchaseat.catalog.schedule import (
    SECONDARY_SERIES,
    PlannedGame,
    first_season_ahead,
    generate_season,
)
from pitchaseat.timeutil import to_taipei

HOMES = {"CTBC": "TCH", "UL": "TNN", "RM": "TYN", "FG": "XZG", "WD": "TMU", "TSG": "CCL"}


@pytest.fixture(scope="module")
def season() -> list[PlannedGame]:
    return generate_season(2027, list(HOMES), HOMES)


def test_season_has_360_games_120_per_team_60_at_home(season: list[PlannedGame]) -> None:
    played = Counter(t for game in season for t in (game.home_team, game.away_team))
    hosted = Counter(game.home_team for game in season)

    assert len(season) == 360
    assert set(played.values()) == {120}
    assert set(hosted.values()) == {60}


def test_every_pair_meets_24_times_12_at_each_park(season: list[PlannedGame]) -> None:
    hosted = Counter((game.home_team, game.away_team) for game in season)

    assert len(hosted) == 30
    assert set(hosted.values()) == {12}


def test_games_are_tuesday_to_sunday_from_march_to_october(season: list[PlannedGame]) -> None:
    local_days = [to_taipei(game.starts_at) for game in season]

    assert all(day.weekday() != 0 for day in local_days)
    assert {day.month for day in local_days} == set(range(3, 11))
    assert all(day.year == 2027 for day in local_days)


def test_first_pitch_is_evening_on_weekdays_and_late_afternoon_at_weekends(
    season: list[PlannedGame],
) -> None:
    for game in season:
        local = to_taipei(game.starts_at)
        expected = "17:05" if local.weekday() >= 5 else "18:35"
        assert local.strftime("%H:%M") == expected


def test_no_team_plays_twice_on_one_day(season: list[PlannedGame]) -> None:
    team_days = Counter(
        (team, to_taipei(game.starts_at).date())
        for game in season
        for team in (game.home_team, game.away_team)
    )

    assert set(team_days.values()) == {1}


def test_games_are_at_the_home_teams_park_and_numbered_in_order(
    season: list[PlannedGame],
) -> None:
    assert all(game.stadium == HOMES[game.home_team] for game in season)
    assert [game.game_number for game in season] == list(range(1, 361))
    assert [game.starts_at for game in season] == sorted(game.starts_at for game in season)


def test_games_come_in_three_game_series_tuesday_to_thursday_or_friday_to_sunday(
    season: list[PlannedGame],
) -> None:
    series: dict[tuple[str, str, date], list[date]] = {}
    for game in season:
        day = to_taipei(game.starts_at).date()
        opening = day - timedelta(days=(day.weekday() - 1) % 3)  # Tue or Fri of that half-week
        series.setdefault((game.home_team, game.away_team, opening), []).append(day)

    assert len(series) == 120
    for (_, _, opening), days in series.items():
        assert opening.weekday() in (1, 4)
        assert days == [opening + timedelta(days=n) for n in range(3)]


@pytest.mark.parametrize("year", [2026, 2027, 2028, 2029, 2030, 2031, 2032])
def test_every_season_keeps_the_calendar_rules(year: int) -> None:
    games = generate_season(year, list(HOMES), HOMES)
    local_days = [to_taipei(game.starts_at) for game in games]

    assert len(games) == 360
    assert all(day.weekday() != 0 and day.year == year for day in local_days)
    assert {day.month for day in local_days} <= set(range(3, 11))


def test_generation_is_deterministic(season: list[PlannedGame]) -> None:
    assert generate_season(2027, list(HOMES), HOMES) == season


@pytest.mark.parametrize(
    ("today", "expected"),
    [(date(2026, 11, 25), 2027), (date(2027, 2, 28), 2027), (date(2027, 3, 1), 2028)],
)
def test_demo_season_always_lies_ahead(today: date, expected: int) -> None:
    assert first_season_ahead(today) == expected


def test_secondary_parks_take_their_series_and_never_two_at_once() -> None:
    season = generate_season(2027, list(HOMES), HOMES, SECONDARY_SERIES)
    series_at = Counter(
        (game.home_team, game.stadium) for game in season if game.stadium != HOMES[game.home_team]
    )
    park_days = Counter((game.stadium, to_taipei(game.starts_at).date()) for game in season)

    assert series_at == {
        (team, park): count * 3 for team, plan in SECONDARY_SERIES.items() for park, count in plan
    }
    assert set(park_days.values()) == {1}
    assert Counter(game.home_team for game in season) == dict.fromkeys(HOMES, 60)
