"""A synthetic season of fans drawn from a mixture of fan models (all from one seeded RNG).

The games are the real generated 360-game season (``catalog/schedule.py``). Each game gets an
appeal (the teams' pull, weekends, a random "big game" factor), a cheapest asking price that
rises with appeal, and a supply of tickets; 15 % of games have none on sale. Each fan makes
their orders at random moments of the season and each time picks a game among those on sale
in their horizon with the odds of their model (``fans.odds``); some hold the game first, some
hold a game they never buy. Every order is a trade, which is what popularity counts.
"""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from pitchaseat.catalog.schedule import generate_season
from pitchaseat.recs.evaluation.fans import (
    FAN_MODELS,
    TEAM_POPULARITY,
    Fan,
    GameTraits,
    game_odds,
    in_window,
    lead_fit,
    odds,
)
from pitchaseat.recs.profile import days_between
from pitchaseat.recs.signals import GameFacts, Purchase, Reservation

SEASON = 2031
# (code, home park): ids are 1-based positions, as the migration inserts them.
TEAMS = (
    ("CTBC", "TCH"),
    ("UL", "TNN"),
    ("RM", "TYN"),
    ("FG", "XZG"),
    ("WD", "TMU"),
    ("TSG", "CCL"),
)
SHARE_WITH_TICKETS = 0.85
TICKETS_PER_ORDER = (1, 2, 2, 2, 3, 4)
HOLD_FIRST = 0.25  # held the game within HOLD_WINDOW before, came back to buy it
HOLD_WINDOW = timedelta(days=3)
STRAY_HOLD = 0.15  # held a game never bought


@dataclass(frozen=True)
class Trade:
    game_id: int
    traded_at: datetime
    tickets: int


@dataclass(frozen=True)
class SyntheticFan:
    fan_id: int
    fan: Fan  # as they were at their last order (a moved loyalty has moved)
    purchases: tuple[Purchase, ...]  # in time order
    reservations: tuple[Reservation, ...]


@dataclass(frozen=True)
class World:
    seed: int
    mixture: Mapping[str, float]  # the share of each fan model, drawn per run
    games: tuple[GameFacts, ...]  # in time order
    traits: Mapping[int, GameTraits]  # only games with tickets on sale
    fans: tuple[SyntheticFan, ...]
    trades: tuple[Trade, ...]

    def fan_odds(self, fan: Fan, game: GameFacts, at: datetime) -> float:
        traits = self.traits.get(game.game_id)
        return odds(fan, game, traits, days_between(at, game.starts_at)) if traits else 0.0


def season_games() -> tuple[GameFacts, ...]:
    team_ids = {code: index for index, (code, _) in enumerate(TEAMS, start=1)}
    stadium_ids = {park: index for index, (_, park) in enumerate(TEAMS, start=1)}
    planned = generate_season(SEASON, [code for code, _ in TEAMS], dict(TEAMS))
    return tuple(
        GameFacts(
            game.game_number,
            game.starts_at,
            team_ids[game.home_team],
            team_ids[game.away_team],
            stadium_ids[game.stadium],
        )
        for game in planned
    )


def _traits(games: Sequence[GameFacts], rng: random.Random) -> dict[int, GameTraits]:
    traits = {}
    for game in games:
        appeal = (
            math.sqrt(
                TEAM_POPULARITY[game.home_team_id - 1] * TEAM_POPULARITY[game.away_team_id - 1]
            )
            * (1.4 if game.on_weekend else 1.0)
            * rng.lognormvariate(0.0, 0.4)
        )
        price = round(300 * appeal**0.6 * rng.lognormvariate(0.0, 0.25))
        tickets = max(1, round(12 * appeal * rng.lognormvariate(0.0, 0.6)))
        if rng.random() < SHARE_WITH_TICKETS:
            traits[game.game_id] = GameTraits(appeal, price, tickets)
    return traits


def draw_mixture(models: Sequence[str], rng: random.Random) -> dict[str, float]:
    """Shares of the fan models from a flat Dirichlet: a different mixture on every run."""
    draws = {model: rng.gammavariate(1.5, 1.0) for model in models}
    total = sum(draws.values())
    return {model: draw / total for model, draw in draws.items()}


class _OnSale:
    def __init__(self, games: Sequence[GameFacts], traits: Mapping[int, GameTraits]) -> None:
        self.games = [game for game in games if game.game_id in traits]
        self.starts = [game.starts_at for game in self.games]

    def between(self, start: datetime, end: datetime) -> list[GameFacts]:
        return self.games[
            bisect.bisect_right(self.starts, start) : bisect.bisect_left(self.starts, end)
        ]


class _Chooser:
    """One fan's choices, with the time-independent part of their odds remembered per game."""

    def __init__(self, world: World, on_sale: _OnSale, rng: random.Random) -> None:
        self.world, self.on_sale, self.rng = world, on_sale, rng
        self.fan: Fan | None = None
        self.static: dict[int, float] = {}

    def pick(self, fan: Fan, at: datetime, exclude: set[int]) -> GameFacts | None:
        if fan is not self.fan:
            self.fan, self.static = fan, {}
        options, weights = [], []
        for game in self.on_sale.between(at, at + timedelta(days=fan.horizon_days)):
            days = days_between(at, game.starts_at)
            if game.game_id in exclude or not in_window(fan, days):
                continue
            static = self.static.get(game.game_id)
            if static is None:
                static = game_odds(fan, game, self.world.traits[game.game_id])
                self.static[game.game_id] = static
            options.append(game)
            weights.append(static * lead_fit(fan, days))
        if not options or sum(weights) <= 0:
            return None
        return self.rng.choices(options, weights)[0]


def _simulate(
    fan_id: int, fan: Fan, world: World, on_sale: _OnSale, rng: random.Random
) -> tuple[SyntheticFan, list[Trade]]:
    opens = on_sale.starts[0] - timedelta(days=20)
    span = on_sale.starts[-1] - timedelta(days=1) - opens
    times = sorted(opens + span * rng.random() for _ in range(fan.orders))
    purchases: list[Purchase] = []
    reservations: list[Reservation] = []
    trades: list[Trade] = []
    bought: set[int] = set()
    chooser = _Chooser(world, on_sale, rng)
    for number, at in enumerate(times):
        if fan.drift_to is not None and number >= fan.drift_at * len(times):
            fan = replace(fan, team_pull=fan.drift_to, drift_to=None)
        game = chooser.pick(fan, at, bought)
        if game is None:
            continue
        bought.add(game.game_id)
        paid = round(world.traits[game.game_id].cheapest_price * rng.uniform(*fan.seat_markup))
        purchases.append(Purchase(game, at, paid))
        trades.append(Trade(game.game_id, at, rng.choice(TICKETS_PER_ORDER)))
        if rng.random() < HOLD_FIRST:
            reservations.append(Reservation(game.game_id, at - HOLD_WINDOW * rng.uniform(0.03, 1)))
        if rng.random() < STRAY_HOLD:
            held_at = at - timedelta(days=rng.uniform(0.0, 2))
            other = chooser.pick(fan, held_at, bought | {game.game_id})
            if other is not None:
                reservations.append(Reservation(other.game_id, held_at))
    return SyntheticFan(fan_id, fan, tuple(purchases), tuple(reservations)), trades


def build_world(fans: int, seed: int, models: Sequence[str] = tuple(FAN_MODELS)) -> World:
    rng = random.Random(seed)
    games = season_games()
    traits = _traits(games, rng)
    mixture = draw_mixture(models, rng)
    world = World(seed, mixture, games, traits, (), ())
    on_sale = _OnSale(games, traits)
    names, shares = list(mixture), list(mixture.values())
    simulated: list[SyntheticFan] = []
    trades: list[Trade] = []
    for fan_id in range(1, fans + 1):
        model = rng.choices(names, shares)[0]
        fan, fan_trades = _simulate(fan_id, FAN_MODELS[model](rng), world, on_sale, rng)
        simulated.append(fan)
        trades.extend(fan_trades)
    return replace(world, fans=tuple(simulated), trades=tuple(trades))
