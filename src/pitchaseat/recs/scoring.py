"""Rank future games for one user: the pure function the online endpoint calls.

    score(g) = sum over the features f of weight_f * f(fan, g)

a log-linear choice model (a conditional logit) over ``features.FEATURES``, whose weights were
fitted by maximum likelihood on the tuning fan models (``recs/evaluation/fit.py``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from operator import mul

from pitchaseat.recs.features import FEATURES, FanContext, fan_context, game_features
from pitchaseat.recs.profile import build_profile, reservation_intent
from pitchaseat.recs.reasons import explain
from pitchaseat.recs.signals import Candidate, GameFacts, Recommendation, UserSignals
from pitchaseat.recs.variants import DEFAULT_VARIANT, Variant, get_variant


def eligible(
    candidates: Iterable[Candidate], now: datetime, already_bought: frozenset[int] = frozenset()
) -> list[Candidate]:
    """Games that can be recommended: not started, tickets on sale, not already bought."""
    return [
        candidate
        for candidate in candidates
        if candidate.tickets_available > 0
        and candidate.game.starts_at > now
        and candidate.game.game_id not in already_bought
    ]


def eligible_games(
    candidates: Iterable[Candidate], now: datetime, already_bought: frozenset[int] = frozenset()
) -> list[GameFacts]:
    return [candidate.game for candidate in eligible(candidates, now, already_bought)]


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


def weight_vector(variant: Variant) -> tuple[float, ...]:
    return tuple(variant.weights.get(name, 0.0) for name in FEATURES)


def score_candidates(
    context: FanContext, candidates: Sequence[Candidate], now: datetime, variant: Variant
) -> dict[int, float]:
    """The score of every candidate (no filtering; see ``recommend``)."""
    weights = weight_vector(variant)
    return {
        c.game.game_id: sum(map(mul, weights, game_features(context, c, now))) for c in candidates
    }


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
    never returned. A user without any signal is ranked by the population terms alone
    (popularity, supply, price, the usual lead time).
    """
    chosen = get_variant(variant)
    profile = build_profile(signals.purchases, now, chosen.half_life_days)
    games = eligible(candidates, now, profile.bought_game_ids)
    popularity = popularity_scores((c.game for c in games), recent_tickets_traded)
    intent = reservation_intent(signals.reservations, now, chosen.reservation_half_life_days)
    context = fan_context(signals, profile, games, intent, popularity)
    scores = score_candidates(context, games, now, chosen)
    ranked = sorted(
        games, key=lambda c: (-scores[c.game.game_id], c.game.starts_at, c.game.game_id)
    )[:limit]
    return [
        Recommendation(c.game, scores[c.game.game_id], explain(c, signals, context)) for c in ranked
    ]
