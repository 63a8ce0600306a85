"""The project's original scoring (variant A of the first A/B test), kept as a baseline.

    score(g) = [a team of g is a favourite] + 2 ln(eps + team(g)) + 0.5 ln(eps + stadium(g))
             + 0.5 ln(eps + day(g)) + 2 pop(g) - days_until(g) / 21

with the habit terms only for fans with orders (unsmoothed shares, 60-day half-life) and the
most traded games for a fan without any signal. It is the simplest scoring the project
shipped; ``recs/scoring.py`` replaced it (docs/recommendations.md says why).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import datetime

from pitchaseat.recs.profile import build_profile, days_between
from pitchaseat.recs.scoring import by_popularity, eligible_games, popularity_scores
from pitchaseat.recs.signals import Candidate, GameFacts, UserSignals

EPSILON = 0.05
HALF_LIFE_DAYS = 60.0
HORIZON_DAYS = 21.0


def original_ranking(
    signals: UserSignals,
    candidates: Sequence[Candidate],
    recent_tickets_traded: Mapping[int, int],
    now: datetime,
    limit: int,
) -> list[GameFacts]:
    profile = build_profile(signals.purchases, now, HALF_LIFE_DAYS)
    games = eligible_games(candidates, now, profile.bought_game_ids)
    if not (signals.favourite_team_ids or signals.purchases or signals.reservations):
        return by_popularity(games, recent_tickets_traded)[:limit]
    popularity = popularity_scores(games, recent_tickets_traded)

    def score(game: GameFacts) -> float:
        value = 2.0 * popularity[game.game_id] - days_between(now, game.starts_at) / HORIZON_DAYS
        if signals.favourite_team_ids.intersection(game.team_ids):
            value += 1.0
        if profile.has_orders:
            home, away = (profile.team_share.get(t, 0.0) for t in game.team_ids)
            weekend = profile.weekend_share
            day = weekend if game.on_weekend else 1.0 - weekend
            value += (
                2.0 * math.log(EPSILON + 1.0 - (1.0 - home) * (1.0 - away))
                + 0.5 * math.log(EPSILON + profile.stadium_share.get(game.stadium_id, 0.0))
                + 0.5 * math.log(EPSILON + day)
            )
        return value

    scores = {game.game_id: score(game) for game in games}
    return sorted(games, key=lambda g: (-scores[g.game_id], g.starts_at, g.game_id))[:limit]
