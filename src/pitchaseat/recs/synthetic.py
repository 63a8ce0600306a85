"""Deterministic synthetic fans on the real generated season, for the offline evaluation.

What the fans do (all drawn from one seeded ``random.Random``):
- loyalty: a main team, often a second one, rarely anything else;
- home bias: most of their team's games they see at its home park;
- a day habit: most fans go at weekends, some mostly on weekdays;
- a lead time: some buy the day before, others plan weeks ahead;
- activity: heavy, medium and light fans, and some with no orders at all;
- drift: some fans switch their main team mid-season (their stated favourite stays stale);
- reservations: holds on a game shortly before buying it, and some that never turn into orders.
Games differ in appeal (the teams' pull, weekends, a random "big game" factor) and some have no
tickets on sale.
"""

from __future__ import annotations

import bisect
import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from pitchaseat.catalog.schedule import generate_season
from pitchaseat.recs.signals import GameFacts, Purchase, Reservation

SEASON = 2031
# (code, home park, pull): ids are 1-based positions, as the migration inserts them.
TEAMS = (
    ("CTBC", "TCH", 1.5),
    ("UL", "TNN", 1.1),
    ("RM", "TYN", 1.3),
    ("FG", "XZG", 1.0),
    ("WD", "TMU", 1.0),
    ("TSG", "CCL", 0.7),
)
SHARE_WITH_TICKETS = 0.85
TICKETS_PER_ORDER = (1, 2, 2, 2, 3, 4)
LEAD_TIME_HABITS_DAYS = (1.0, 3.0, 7.0, 18.0)


@dataclass(frozen=True)
class Trade:
    game_id: int
    traded_at: datetime
    tickets: int


@dataclass(frozen=True)
class SyntheticUser:
    user_id: int
    favourite_team_ids: frozenset[int]
    purchases: tuple[Purchase, ...]  # in time order
    reservations: tuple[Reservation, ...]


@dataclass(frozen=True)
class SyntheticWorld:
    games: tuple[GameFacts, ...]  # in time order
    games_with_tickets: frozenset[int]
    users: tuple[SyntheticUser, ...]
    trades: tuple[Trade, ...]


@dataclass
class _Fan:
    team_pull: dict[int, float]
    home_bias: float
    weekend_factor: float
    lead_days: float


def season_games() -> tuple[GameFacts, ...]:
    team_ids = {code: index for index, (code, _, _) in enumerate(TEAMS, start=1)}
    stadium_ids = {park: index for index, (_, park, _) in enumerate(TEAMS, start=1)}
    planned = generate_season(
        SEASON, [code for code, _, _ in TEAMS], {code: park for code, park, _ in TEAMS}
    )
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


def _game_appeal(games: tuple[GameFacts, ...], rng: random.Random) -> dict[int, float]:
    pull = {index: team_pull for index, (_, _, team_pull) in enumerate(TEAMS, start=1)}
    return {
        game.game_id: math.sqrt(pull[game.home_team_id] * pull[game.away_team_id])
        * (1.5 if game.on_weekend else 1.0)
        * rng.lognormvariate(0.0, 0.4)
        for game in games
    }


def _new_fan(rng: random.Random, main_team: int, second_team: int | None) -> _Fan:
    team_pull = dict.fromkeys(range(1, len(TEAMS) + 1), 0.03)
    team_pull[main_team] = 1.0
    if second_team is not None:
        team_pull[second_team] = rng.uniform(0.15, 0.45)
    weekend_goer = rng.random() < 0.65
    return _Fan(
        team_pull=team_pull,
        home_bias=rng.uniform(0.6, 0.9),
        weekend_factor=rng.uniform(2.0, 4.0) if weekend_goer else rng.uniform(0.3, 0.6),
        lead_days=rng.choice(LEAD_TIME_HABITS_DAYS) * rng.uniform(0.7, 1.4),
    )


def _choice_weight(fan: _Fan, game: GameFacts, appeal: float, lead_days: float) -> float:
    home_pull = fan.team_pull[game.home_team_id] * fan.home_bias
    away_pull = fan.team_pull[game.away_team_id] * (1.0 - fan.home_bias)
    day = fan.weekend_factor if game.on_weekend else 1.0
    # Log-normal lead-time habit: most orders land near the fan's usual lead time.
    lead_fit = math.exp(-(math.log(lead_days / fan.lead_days) ** 2) / (2 * 0.6**2))
    return (home_pull + away_pull) * day * appeal * lead_fit


def _order_count(rng: random.Random) -> int:
    draw = rng.random()
    if draw < 0.08:
        return 0
    if draw < 0.30:
        return rng.randint(1, 2)
    if draw < 0.82:
        return rng.randint(3, 10)
    return rng.randint(12, 30)


class _GameIndex:
    def __init__(self, games: tuple[GameFacts, ...], on_sale: frozenset[int]) -> None:
        self.games = [game for game in games if game.game_id in on_sale]
        self.starts = [game.starts_at for game in self.games]

    def between(self, start: datetime, end: datetime) -> list[GameFacts]:
        return self.games[
            bisect.bisect_right(self.starts, start) : bisect.bisect_left(self.starts, end)
        ]


def _pick_game(
    rng: random.Random,
    fan: _Fan,
    index: _GameIndex,
    appeal: dict[int, float],
    at: datetime,
    exclude: set[int],
) -> GameFacts | None:
    horizon = at + timedelta(days=6 * fan.lead_days + 2)
    options = [
        g for g in index.between(at + timedelta(hours=2), horizon) if g.game_id not in exclude
    ]
    if not options:
        return None
    weights = [
        _choice_weight(fan, g, appeal[g.game_id], (g.starts_at - at).total_seconds() / 86_400)
        for g in options
    ]
    return rng.choices(options, weights)[0]


def _drift(rng: random.Random, fan: _Fan, main_team: int, second_team: int | None) -> None:
    """The fan's loyalty moves: the second team (or a new one) becomes the main one."""
    others = [team_id for team_id in fan.team_pull if team_id != main_team]
    new_main = second_team if second_team is not None else rng.choice(others)
    fan.team_pull[new_main] = 1.0
    fan.team_pull[main_team] = 0.2


def _new_user(
    user_id: int,
    rng: random.Random,
    index: _GameIndex,
    appeal: dict[int, float],
) -> tuple[SyntheticUser, list[Trade]]:
    team_ids = list(range(1, len(TEAMS) + 1))
    main_team = rng.choices(team_ids, [pull for _, _, pull in TEAMS])[0]
    second_team = (
        rng.choice([t for t in team_ids if t != main_team]) if rng.random() < 0.5 else None
    )
    fan = _new_fan(rng, main_team, second_team)
    favourites = {main_team} if rng.random() < 0.7 else set()
    if second_team is not None and rng.random() < 0.15:
        favourites.add(second_team)

    opens = index.starts[0] - timedelta(days=20)
    span = index.starts[-1] - timedelta(days=1) - opens
    order_times = sorted(opens + span * rng.random() for _ in range(_order_count(rng)))
    drift_at = opens + span * rng.uniform(0.3, 0.7) if rng.random() < 0.2 else None

    purchases: list[Purchase] = []
    reservations: list[Reservation] = []
    trades: list[Trade] = []
    bought: set[int] = set()
    for at in order_times:
        if drift_at is not None and at >= drift_at:
            _drift(rng, fan, main_team, second_team)
            drift_at = None
        game = _pick_game(rng, fan, index, appeal, at, bought)
        if game is None:
            continue
        bought.add(game.game_id)
        purchases.append(Purchase(game, at))
        trades.append(Trade(game.game_id, at, rng.choice(TICKETS_PER_ORDER)))
        if rng.random() < 0.3:  # held the game first, came back to buy it
            reservations.append(Reservation(game.game_id, at - timedelta(days=rng.uniform(0.1, 3))))
        if rng.random() < 0.2:  # a hold that never became an order
            reserved_at = at - timedelta(days=rng.uniform(0.0, 2))
            other = _pick_game(rng, fan, index, appeal, reserved_at, bought | {game.game_id})
            if other is not None:
                reservations.append(Reservation(other.game_id, reserved_at))
    user = SyntheticUser(user_id, frozenset(favourites), tuple(purchases), tuple(reservations))
    return user, trades


def build_world(users: int, seed: int) -> SyntheticWorld:
    rng = random.Random(seed)
    games = season_games()
    on_sale = frozenset(g.game_id for g in games if rng.random() < SHARE_WITH_TICKETS)
    appeal = _game_appeal(games, rng)
    index = _GameIndex(games, on_sale)
    all_users: list[SyntheticUser] = []
    all_trades: list[Trade] = []
    for user_id in range(1, users + 1):
        user, trades = _new_user(user_id, rng, index, appeal)
        all_users.append(user)
        all_trades.extend(trades)
    return SyntheticWorld(games, on_sale, tuple(all_users), tuple(all_trades))
