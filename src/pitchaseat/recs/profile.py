"""A user's taste, from past orders weighed by exponential time decay and normalised.

Normalisation: every share below is a decayed count divided by the user's total decayed weight
``W = sum(w_i)``, so it lies in [0, 1] and depends only on the *proportions* of a user's
behaviour. A fan with 80 orders and one with 4 orders in the same proportions get the same
profile; heavy users' scores do not saturate and light users' do not vanish.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from pitchaseat.recs.signals import Purchase, Reservation

SECONDS_PER_DAY = 86_400.0
MIN_LEAD_DAYS = 0.05  # about an hour: logs of lead times stay finite


def days_between(earlier: datetime, later: datetime) -> float:
    return (later - earlier).total_seconds() / SECONDS_PER_DAY


def decay_weight(age: timedelta, half_life_days: float) -> float:
    """``0.5 ** (age / half-life)``: 1 now, 1/2 after one half-life, 1/4 after two."""
    age_days = max(age.total_seconds() / SECONDS_PER_DAY, 0.0)
    return float(0.5 ** (age_days / half_life_days))


def _shares(weights: dict[int, float], total: float) -> dict[int, float]:
    return {key: weight / total for key, weight in weights.items()}


@dataclass(frozen=True)
class TasteProfile:
    total_weight: float  # W; 0 for a user without past orders
    team_share: dict[int, float]  # orders with the team on either side
    host_share: dict[int, float]  # orders of the team's home games
    visitor_share: dict[int, float]  # orders of the team's away games
    stadium_share: dict[int, float]
    fixture_share: dict[tuple[int, int], float]  # (home, away): the same pairing again
    weekend_share: float
    mean_log_lead_days: float | None  # decayed mean of ln(days from order to first pitch)
    priced_weight: float  # W over the orders whose price is known
    mean_log_price: float | None  # decayed mean of ln(NT$ per ticket) over those orders
    typical_lead_days: float | None  # decayed mean of (first pitch - order time)
    days_between_orders: float | None
    bought_game_ids: frozenset[int]
    last_game_by_team: dict[int, int]  # the latest game bought with that team, for reasons

    @property
    def has_orders(self) -> bool:
        return self.total_weight > 0


def build_profile(
    purchases: Iterable[Purchase], now: datetime, half_life_days: float
) -> TasteProfile:
    # Orders after ``now`` are not known yet: the offline evaluation relies on this.
    known = sorted((p for p in purchases if p.bought_at <= now), key=lambda p: p.bought_at)
    team: dict[int, float] = defaultdict(float)
    host: dict[int, float] = defaultdict(float)
    visitor: dict[int, float] = defaultdict(float)
    stadium: dict[int, float] = defaultdict(float)
    fixture: dict[tuple[int, int], float] = defaultdict(float)
    weekend = lead = log_lead = total = priced = log_price = 0.0
    last_game_by_team: dict[int, int] = {}
    for purchase in known:
        game = purchase.game
        weight = decay_weight(now - purchase.bought_at, half_life_days)
        total += weight
        for team_id in game.team_ids:
            team[team_id] += weight
            last_game_by_team[team_id] = game.game_id
        host[game.home_team_id] += weight
        visitor[game.away_team_id] += weight
        stadium[game.stadium_id] += weight
        fixture[game.team_ids] += weight
        weekend += weight * game.on_weekend
        lead_days = max(days_between(purchase.bought_at, game.starts_at), 0.0)
        lead += weight * lead_days
        log_lead += weight * math.log(max(lead_days, MIN_LEAD_DAYS))
        if purchase.unit_price:
            priced += weight
            log_price += weight * math.log(purchase.unit_price)
    gaps = None
    if len(known) >= 2:
        gaps = days_between(known[0].bought_at, known[-1].bought_at) / (len(known) - 1)
    return TasteProfile(
        total_weight=total,
        team_share=_shares(team, total),
        host_share=_shares(host, total),
        visitor_share=_shares(visitor, total),
        stadium_share=_shares(stadium, total),
        fixture_share={key: weight / total for key, weight in fixture.items()},
        weekend_share=weekend / total if total else 0.0,
        mean_log_lead_days=log_lead / total if total else None,
        priced_weight=priced,
        mean_log_price=log_price / priced if priced else None,
        typical_lead_days=lead / total if total else None,
        days_between_orders=gaps,
        bought_game_ids=frozenset(p.game.game_id for p in known),
        last_game_by_team=last_game_by_team,
    )


def reservation_intent(
    reservations: Iterable[Reservation], now: datetime, half_life_days: float
) -> dict[int, float]:
    """Per game, the decayed weight of its most recent reservation (1 for one made now)."""
    intent: dict[int, float] = {}
    for reservation in reservations:
        if reservation.reserved_at <= now:
            weight = decay_weight(now - reservation.reserved_at, half_life_days)
            intent[reservation.game_id] = max(intent.get(reservation.game_id, 0.0), weight)
    return intent
