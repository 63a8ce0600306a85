"""Rank future games for one user: the pure function the online endpoint calls.

    score(g) = w_fav * [a team of g is a favourite]
             + w_team * ln(eps + team(g)) + w_side * ln(eps + side(g))
             + w_stadium * ln(eps + stadium(g)) + w_day * ln(eps + day(g))
             + w_pop * pop(g) + w_res * reserved(g) - w_soon * days_until(g) / horizon

The log terms make the habits multiply (a game must fit team *and* park *and* day to rank
high), as in a log-linear choice model; eps keeps one unusual trait from vetoing a game.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from pitchaseat.recs.profile import TasteProfile, build_profile, days_between, reservation_intent
from pitchaseat.recs.reasons import explain
from pitchaseat.recs.signals import Candidate, GameFacts, Recommendation, UserSignals
from pitchaseat.recs.variants import DEFAULT_VARIANT, Variant, get_variant

EPSILON = 0.05
MIN_HORIZON_DAYS = 3.0
MAX_HORIZON_DAYS = 60.0


def eligible_games(
    candidates: Iterable[Candidate], now: datetime, already_bought: frozenset[int] = frozenset()
) -> list[GameFacts]:
    """Games that can be recommended: not started, tickets on sale, not already bought."""
    return [
        candidate.game
        for candidate in candidates
        if candidate.tickets_available > 0
        and candidate.game.starts_at > now
        and candidate.game.game_id not in already_bought
    ]


def popularity_scores(
    games: Iterable[GameFacts], recent_tickets_traded: Mapping[int, int]
) -> dict[int, float]:
    """ln(1 + tickets traded lately), divided by the largest among ``games``: [0, 1]."""
    logs = {game.game_id: math.log1p(recent_tickets_traded.get(game.game_id, 0)) for game in games}
    top = max(logs.values(), default=0.0)
    return {game_id: value / top if top else 0.0 for game_id, value in logs.items()}


def by_popularity(
    games: Iterable[GameFacts], recent_tickets_traded: Mapping[int, int]
) -> list[GameFacts]:
    """Most traded first; among equals, the soonest."""
    return sorted(
        games,
        key=lambda g: (-recent_tickets_traded.get(g.game_id, 0), g.starts_at, g.game_id),
    )


def cold_start(
    games: Sequence[GameFacts], recent_tickets_traded: Mapping[int, int], limit: int
) -> list[Recommendation]:
    popularity = popularity_scores(games, recent_tickets_traded)
    return [
        Recommendation(game, popularity[game.game_id], ({"code": "popular"},))
        for game in by_popularity(games, recent_tickets_traded)[:limit]
    ]


def _horizon_days(profile: TasteProfile, variant: Variant) -> float:
    if not (variant.personal_horizon and profile.typical_lead_days is not None):
        return variant.horizon_days
    # The next order is about one order-gap away and is then for a game one lead time later.
    horizon = profile.typical_lead_days + (profile.days_between_orders or variant.horizon_days)
    return min(max(horizon, MIN_HORIZON_DAYS), MAX_HORIZON_DAYS)


def _habit_terms(game: GameFacts, profile: TasteProfile, variant: Variant) -> float:
    home, away = game.home_team_id, game.away_team_id
    share = profile.team_share
    # Either team may be why the user goes: P(home or away) as if independent.
    team = 1.0 - (1.0 - share.get(home, 0.0)) * (1.0 - share.get(away, 0.0))
    side = max(profile.host_share.get(home, 0.0), profile.visitor_share.get(away, 0.0))
    stadium = profile.stadium_share.get(game.stadium_id, 0.0)
    weekend = profile.weekend_share
    day = weekend if game.on_weekend else 1.0 - weekend
    return (
        variant.team * math.log(EPSILON + team)
        + variant.side * math.log(EPSILON + side)
        + variant.stadium * math.log(EPSILON + stadium)
        + variant.day_type * math.log(EPSILON + day)
    )


def score_games(
    signals: UserSignals,
    games: Iterable[GameFacts],
    popularity: Mapping[int, float],
    now: datetime,
    variant: Variant,
    profile: TasteProfile | None = None,
) -> dict[int, float]:
    """The score of every game in ``games`` (no filtering; see ``recommend``)."""
    profile = profile or build_profile(signals.purchases, now, variant.half_life_days)
    intent = reservation_intent(signals.reservations, now, variant.reservation_half_life_days)
    horizon = _horizon_days(profile, variant)
    scores = {}
    for game in games:
        score = (
            variant.popularity * popularity.get(game.game_id, 0.0)
            + variant.reservation * intent.get(game.game_id, 0.0)
            - variant.soonness * days_between(now, game.starts_at) / horizon
        )
        if signals.favourite_team_ids.intersection(game.team_ids):
            score += variant.favourite_team
        if profile.has_orders:
            score += _habit_terms(game, profile, variant)
        scores[game.game_id] = score
    return scores


def recommend(
    signals: UserSignals,
    candidates: Iterable[Candidate],
    recent_tickets_traded: Mapping[int, int],
    now: datetime,
    *,
    variant: str = DEFAULT_VARIANT,
    limit: int = 10,
) -> list[Recommendation]:
    """The ``limit`` best games for a user, each with the reasons it was chosen.

    Games that have started, have no tickets on sale or that the user has already bought are
    never returned. A user without any signal gets the most traded games (cold start).
    """
    chosen = get_variant(variant)
    profile = build_profile(signals.purchases, now, chosen.half_life_days)
    games = eligible_games(candidates, now, profile.bought_game_ids)
    if signals.is_cold:
        return cold_start(games, recent_tickets_traded, limit)
    popularity = popularity_scores(games, recent_tickets_traded)
    scores = score_games(signals, games, popularity, now, chosen, profile)
    ranked = sorted(games, key=lambda g: (-scores[g.game_id], g.starts_at, g.game_id))[:limit]
    intent = reservation_intent(signals.reservations, now, chosen.reservation_half_life_days)
    return [
        Recommendation(
            game,
            scores[game.game_id],
            explain(game, signals, profile, popularity[game.game_id], intent),
        )
        for game in ranked
    ]
