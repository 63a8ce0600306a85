"""Why a game was recommended, as machine codes with parameters that a UI turns into text.

Codes: ``reserved`` {game_id}, ``favourite_team`` {team_id}, ``bought_team_before`` {team_id,
game_id: the latest game bought with that team}, ``usual_stadium`` {stadium_id},
``usual_fixture`` {home_team_id, away_team_id}, ``weekend_habit`` / ``weekday_habit``,
``good_price`` (a fan who buys cheap, a game cheaper than most), ``popular``, and ``upcoming``
when nothing else applies.
"""

from __future__ import annotations

from pitchaseat.recs.features import FanContext, price_level
from pitchaseat.recs.signals import Candidate, Reason, UserSignals

# A habit is worth mentioning once it covers this share of the user's (decayed) orders.
TEAM_REASON_SHARE = 0.25
STADIUM_REASON_SHARE = 0.4
DAY_REASON_SHARE = 0.6
POPULAR_REASON_SCORE = 0.6
RESERVED_REASON_INTENT = 0.05
FIXTURE_REASON_SHARE = 0.3
# ln-price below the candidates' median, for the fan's habit and for the game: about 15 % less.
CHEAP_REASON_LEVEL = -0.15


def explain(candidate: Candidate, signals: UserSignals, context: FanContext) -> tuple[Reason, ...]:
    game, profile = candidate.game, context.profile
    reasons: list[Reason] = []
    if context.intent.get(game.game_id, 0.0) >= RESERVED_REASON_INTENT:
        reasons.append({"code": "reserved", "game_id": game.game_id})
    for team_id in game.team_ids:
        if team_id in signals.favourite_team_ids:
            reasons.append({"code": "favourite_team", "team_id": team_id})
        elif profile.team_share.get(team_id, 0.0) >= TEAM_REASON_SHARE:
            last_game = profile.last_game_by_team[team_id]
            reasons.append({"code": "bought_team_before", "team_id": team_id, "game_id": last_game})
    if profile.stadium_share.get(game.stadium_id, 0.0) >= STADIUM_REASON_SHARE:
        reasons.append({"code": "usual_stadium", "stadium_id": game.stadium_id})
    if profile.fixture_share.get(game.team_ids, 0.0) >= FIXTURE_REASON_SHARE:
        home, away = game.team_ids
        reasons.append({"code": "usual_fixture", "home_team_id": home, "away_team_id": away})
    if profile.has_orders:
        weekend = profile.weekend_share
        if game.on_weekend and weekend >= DAY_REASON_SHARE:
            reasons.append({"code": "weekend_habit"})
        elif not game.on_weekend and 1.0 - weekend >= DAY_REASON_SHARE:
            reasons.append({"code": "weekday_habit"})
    if (
        context.price_habit <= CHEAP_REASON_LEVEL
        and price_level(context, candidate) <= CHEAP_REASON_LEVEL
    ):
        reasons.append({"code": "good_price"})
    if context.popularity.get(game.game_id, 0.0) >= POPULAR_REASON_SCORE:
        reasons.append({"code": "popular"})
    return tuple(reasons) or ({"code": "upcoming"},)
