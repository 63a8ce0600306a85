"""Fan models that differ in structure: what drives each kind of fan to a game.

A fan's odds of choosing game g, ``days`` before it, among the games on sale in their horizon:

    odds = team(g) * park(g) * day(g) * fixture(g) * price(g) * appeal(g) ** gamma
           * lead_fit(days) * supply(g)

Each model switches on different factors, with different shapes: a loyal fan's team term is
one team (and their loyalty may move mid-season while the declared favourite stays); a two-team
fan splits orders between two teams as a mixture; a park-driven fan ignores teams; a weekend-only
fan never goes on a weekday (a hard zero); a bargain hunter refuses anything above a personal
price cap and prefers the cheaper of the rest; a fixture fan comes back to one pairing (this
home team against that visitor); a cold fan has one order in all, drawn mostly by appeal.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from pitchaseat.recs.signals import GameFacts

TEAM_COUNT = 6
TEAM_IDS = tuple(range(1, TEAM_COUNT + 1))
TEAM_POPULARITY = (1.5, 1.1, 1.3, 1.0, 1.0, 0.7)  # how many fans each team draws
LEAD_HABITS_DAYS = (1.0, 3.0, 7.0, 14.0)


@dataclass(frozen=True)
class Fan:
    model: str
    favourites: frozenset[int]
    orders: int
    lead_days: float
    team_pull: dict[int, float] = field(default_factory=lambda: dict.fromkeys(TEAM_IDS, 1.0))
    home_bias: float = 0.5  # the share of a team's pull felt at its home games
    park_pull: dict[int, float] | None = None
    fixture_pull: dict[tuple[int, int], float] | None = None
    day_factors: tuple[float, float] = (1.0, 1.0)  # odds times these at weekends / weekdays
    price_exponent: float = 0.0  # odds times price ** -exponent
    price_cap: float | None = None  # NT$; dearer games are never chosen
    appeal_exponent: float = 1.0
    seat_markup: tuple[float, float] = (1.0, 1.6)  # paid / cheapest asking price
    drift_to: dict[int, float] | None = None  # the team pulls after the loyalty moved
    drift_at: float = 1.0  # share of the fan's orders after which it moves

    @property
    def horizon_days(self) -> float:
        return 4 * self.lead_days + 2


@dataclass(frozen=True)
class GameTraits:
    """What the world knows of a game beyond its ``GameFacts``."""

    appeal: float
    cheapest_price: int
    tickets: int


def in_window(fan: Fan, days: float) -> bool:
    return 2 / 24 < days < fan.horizon_days


def lead_fit(fan: Fan, days: float) -> float:
    """Most orders land near the fan's usual lead time (log-normal, sigma 0.6)."""
    return math.exp(-(math.log(days / fan.lead_days) ** 2) / (2 * 0.6**2))


def game_odds(fan: Fan, game: GameFacts, traits: GameTraits) -> float:
    """The part of the fan's odds for ``game`` that does not depend on when they look."""
    if fan.price_cap is not None and traits.cheapest_price > fan.price_cap:
        return 0.0
    home, away = game.home_team_id, game.away_team_id
    team = fan.team_pull[home] * fan.home_bias + fan.team_pull[away] * (1.0 - fan.home_bias)
    park = fan.park_pull[game.stadium_id] if fan.park_pull else 1.0
    fixture = fan.fixture_pull.get(game.team_ids, 0.01) if fan.fixture_pull else 1.0
    day = fan.day_factors[0] if game.on_weekend else fan.day_factors[1]
    price: float = (traits.cheapest_price / 300.0) ** -fan.price_exponent
    supply = traits.tickets / (traits.tickets + 3.0)
    appeal: float = traits.appeal**fan.appeal_exponent
    return team * park * fixture * day * price * appeal * supply


def odds(fan: Fan, game: GameFacts, traits: GameTraits, days: float) -> float:
    """The fan's unnormalised odds of choosing ``game`` ``days`` before its first pitch."""
    if not in_window(fan, days):
        return 0.0
    return game_odds(fan, game, traits) * lead_fit(fan, days)


def _lead(rng: random.Random) -> float:
    return rng.choice(LEAD_HABITS_DAYS) * rng.uniform(0.7, 1.4)


def _orders(rng: random.Random) -> int:
    draw = rng.random()
    if draw < 0.3:
        return rng.randint(2, 3)
    if draw < 0.75:
        return rng.randint(4, 10)
    return rng.randint(11, 25)


def _main_team(rng: random.Random) -> int:
    return rng.choices(TEAM_IDS, TEAM_POPULARITY)[0]


def _pulls(main: int, rest: float) -> dict[int, float]:
    pulls = dict.fromkeys(TEAM_IDS, rest)
    pulls[main] = 1.0
    return pulls


def _day_habit(rng: random.Random) -> tuple[float, float]:
    """(weekend factor, weekday factor): most fans lean to weekends, some to weekdays."""
    if rng.random() < 0.6:
        return rng.uniform(1.5, 3.0), 1.0
    return 1.0, rng.uniform(1.2, 2.0)


def loyal(rng: random.Random) -> Fan:
    main = _main_team(rng)
    fan = Fan(
        "loyal",
        frozenset({main}) if rng.random() < 0.85 else frozenset(),
        _orders(rng),
        _lead(rng),
        team_pull=_pulls(main, 0.03),
        home_bias=rng.uniform(0.55, 0.9),
        day_factors=_day_habit(rng),
    )
    if rng.random() < 0.25:  # the loyalty moves; the stated favourite goes stale
        new_main = rng.choice([team for team in TEAM_IDS if team != main])
        fan = replace(
            fan, drift_to=_pulls(new_main, 0.03) | {main: 0.15}, drift_at=rng.uniform(0.3, 0.7)
        )
    return fan


def two_team(rng: random.Random) -> Fan:
    first = _main_team(rng)
    second = rng.choice([team for team in TEAM_IDS if team != first])
    share = rng.uniform(0.5, 0.8)
    pulls = dict.fromkeys(TEAM_IDS, 0.02) | {first: share, second: 1.0 - share}
    draw = rng.random()
    favourites = {first, second} if draw < 0.5 else {first} if draw < 0.8 else set()
    return Fan(
        "two_team",
        frozenset(favourites),
        _orders(rng),
        _lead(rng),
        team_pull=pulls,
        home_bias=rng.uniform(0.4, 0.8),
        day_factors=_day_habit(rng),
    )


def no_favourite(rng: random.Random) -> Fan:
    # Taste spread over one to three teams, never declared.
    pulls = {team: rng.random() ** 3 for team in TEAM_IDS}
    pulls[_main_team(rng)] = 1.0
    return Fan(
        "no_favourite",
        frozenset(),
        _orders(rng),
        _lead(rng),
        team_pull=pulls,
        home_bias=rng.uniform(0.4, 0.8),
        day_factors=_day_habit(rng),
    )


def park_driven(rng: random.Random) -> Fan:
    park = _main_team(rng)  # stadium ids follow the home teams' ids
    parks = dict.fromkeys(TEAM_IDS, 0.02) | {park: 1.0}
    return Fan(
        "park",
        frozenset({park}) if rng.random() < 0.4 else frozenset(),
        _orders(rng),
        _lead(rng),
        park_pull=parks,
        day_factors=_day_habit(rng),
    )


def weekend_only(rng: random.Random) -> Fan:
    main = _main_team(rng)
    return Fan(
        "weekend_only",
        frozenset({main}) if rng.random() < 0.6 else frozenset(),
        _orders(rng),
        _lead(rng),
        team_pull=_pulls(main, 0.3),
        home_bias=rng.uniform(0.4, 0.8),
        day_factors=(1.0, 0.0),
        appeal_exponent=1.5,
    )


def bargain(rng: random.Random) -> Fan:
    favourites = frozenset({rng.choice(TEAM_IDS)}) if rng.random() < 0.3 else frozenset()
    return Fan(
        "bargain",
        favourites,
        _orders(rng),
        _lead(rng),
        price_exponent=rng.uniform(2.0, 4.0),
        price_cap=rng.uniform(280.0, 450.0),
        appeal_exponent=0.5,
        seat_markup=(1.0, 1.05),
    )


def fixture(rng: random.Random) -> Fan:
    home = _main_team(rng)
    away = rng.choice([team for team in TEAM_IDS if team != home])
    pairings = {(h, a): 0.05 for h in (home, away) for a in TEAM_IDS if a != h}
    pairings[(home, away)] = 1.0
    return Fan(
        "fixture",
        frozenset({home}) if rng.random() < 0.5 else frozenset(),
        _orders(rng),
        _lead(rng),
        fixture_pull=pairings,
        day_factors=_day_habit(rng),
    )


def cold(rng: random.Random) -> Fan:
    main = _main_team(rng)
    return Fan(
        "cold",
        frozenset({main}) if rng.random() < 0.6 else frozenset(),
        1,
        _lead(rng),
        team_pull=_pulls(main, 0.25),
        home_bias=rng.uniform(0.5, 0.8),
        appeal_exponent=1.5,
    )


FAN_MODELS: dict[str, Callable[[random.Random], Fan]] = {
    "loyal": loyal,
    "two_team": two_team,
    "no_favourite": no_favourite,
    "park": park_driven,
    "weekend_only": weekend_only,
    "bargain": bargain,
    "fixture": fixture,
    "cold": cold,
}
