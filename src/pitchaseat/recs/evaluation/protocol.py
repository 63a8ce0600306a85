"""Leave-the-last-purchase-out cases and the arms compared on them.

For every fan with orders, the last purchase is hidden and its moment is "now". The inputs are
what was known before now: earlier orders (with the prices paid), declared favourites, holds,
everyone's trades of the last 14 days, and the games after now with tickets on sale (their
supply and cheapest price). A hit is the very game bought.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import accumulate

from pitchaseat.recs.evaluation.fans import Fan
from pitchaseat.recs.evaluation.world import HOLD_WINDOW, SyntheticFan, Trade, World
from pitchaseat.recs.original import original_ranking
from pitchaseat.recs.scoring import by_popularity, eligible_games, recommend
from pitchaseat.recs.signals import Candidate, GameFacts, UserSignals
from pitchaseat.recs.variants import DEFAULT_VARIANT

POPULARITY_WINDOW = timedelta(days=14)


@dataclass(frozen=True)
class Case:
    fan_id: int
    model: str
    now: datetime
    signals: UserSignals  # only what was known at ``now``
    held_out: GameFacts
    candidates: tuple[Candidate, ...]
    recent_tickets_traded: dict[int, int]
    fan: Fan  # the truth, for the ceiling only
    world: World

    @property
    def is_cold(self) -> bool:
        return not self.signals.purchases

    @property
    def declared_but_cold(self) -> bool:
        return self.is_cold and bool(self.signals.favourite_team_ids)


class TradeIndex:
    """Tickets traded per game within a time window, answered by bisection."""

    def __init__(self, trades: Iterable[Trade]) -> None:
        by_game: dict[int, list[Trade]] = defaultdict(list)
        for trade in trades:
            by_game[trade.game_id].append(trade)
        self._times: dict[int, list[datetime]] = {}
        self._cumulative: dict[int, list[int]] = {}
        for game_id, game_trades in by_game.items():
            game_trades.sort(key=lambda trade: trade.traded_at)
            self._times[game_id] = [trade.traded_at for trade in game_trades]
            self._cumulative[game_id] = [0, *accumulate(t.tickets for t in game_trades)]

    def tickets(self, game_id: int, start: datetime, end: datetime) -> int:
        """Tickets of ``game_id`` traded in [start, end)."""
        times = self._times.get(game_id)
        if not times:
            return 0
        cumulative = self._cumulative[game_id]
        return (
            cumulative[bisect.bisect_left(times, end)]
            - cumulative[bisect.bisect_left(times, start)]
        )


def _case(fan: SyntheticFan, world: World, trades: TradeIndex) -> Case | None:
    if not fan.purchases:
        return None
    *kept, hidden = fan.purchases
    now = hidden.bought_at
    signals = UserSignals(
        favourite_team_ids=fan.fan.favourites,
        purchases=tuple(kept),
        reservations=tuple(r for r in fan.reservations if r.reserved_at < now),
    )
    upcoming = [game for game in world.games if game.starts_at > now]
    candidates = tuple(
        Candidate(game, traits.tickets, traits.cheapest_price)
        if (traits := world.traits.get(game.game_id))
        else Candidate(game, 0)
        for game in upcoming
    )
    start = now - POPULARITY_WINDOW
    recent = {game.game_id: trades.tickets(game.game_id, start, now) for game in upcoming}
    return Case(
        fan.fan_id, fan.fan.model, now, signals, hidden.game, candidates, recent, fan.fan, world
    )


def build_cases(world: World) -> list[Case]:
    trades = TradeIndex(world.trades)
    cases = (_case(fan, world, trades) for fan in world.fans)
    return [case for case in cases if case is not None]


Arm = Callable[[Case, int], list[int]]


def _eligible(case: Case) -> list[GameFacts]:
    bought = frozenset(purchase.game.game_id for purchase in case.signals.purchases)
    return eligible_games(case.candidates, case.now, bought)


def popularity_arm(case: Case, k: int) -> list[int]:
    """Most traded games of the last 14 days."""
    return [game.game_id for game in by_popularity(_eligible(case), case.recent_tickets_traded)[:k]]


def favourite_team_arm(case: Case, k: int) -> list[int]:
    """The favourite teams' most traded games (the team bought most when none is declared),
    topped up with the most traded games so the list is never short."""
    teams = set(case.signals.favourite_team_ids)
    if not teams:
        bought = Counter(team for p in case.signals.purchases for team in p.game.team_ids)
        teams = {max(bought, key=lambda team: (bought[team], -team))} if bought else set()
    ranked = by_popularity(_eligible(case), case.recent_tickets_traded)
    ordered = [game for game in ranked if teams.intersection(game.team_ids)] + ranked
    return list(dict.fromkeys(game.game_id for game in ordered))[:k]


def original_arm(case: Case, k: int) -> list[int]:
    picks = original_ranking(case.signals, case.candidates, case.recent_tickets_traded, case.now, k)
    return [game.game_id for game in picks]


def ours_arm(case: Case, k: int) -> list[int]:
    picks = recommend(
        case.signals,
        case.candidates,
        case.recent_tickets_traded,
        case.now,
        variant=DEFAULT_VARIANT,
        limit=k,
    )
    return [pick.game.game_id for pick in picks]


def ceiling_arm(case: Case, k: int) -> list[int]:
    """The fan model's own odds at the moment of the hidden purchase, after the games the fan
    held within the world's hold window (a hold that close to "now" is most often for the game
    about to be bought): what knowing the fan's true parameters is worth."""
    games = _eligible(case)
    fan_odds = {game.game_id: case.world.fan_odds(case.fan, game, case.now) for game in games}
    recent = case.now - HOLD_WINDOW
    held = {r.game_id: r.reserved_at for r in case.signals.reservations if r.reserved_at >= recent}
    ranked = sorted(
        games,
        key=lambda g: (
            g.game_id not in held,
            -held[g.game_id].timestamp() if g.game_id in held else 0.0,
            -fan_odds[g.game_id],
            g.starts_at,
        ),
    )
    return [game.game_id for game in ranked[:k]]


ARMS: dict[str, Arm] = {
    "popularity": popularity_arm,
    "favourite team": favourite_team_arm,
    "original scoring": original_arm,
    "ours": ours_arm,
    "ceiling": ceiling_arm,
}
BASELINES = ("popularity", "favourite team", "original scoring")
