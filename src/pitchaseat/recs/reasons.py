"""Why a game was recommended, as machine codes with parameters that a UI turns into text.

Codes: ``reserved`` {game_id}, ``favourite_team`` {team_id}, ``bought_team_before`` {team_id,
game_id: the latest game bought with that team}, ``usual_stadium`` {stadium_id},
``weekend_habit`` / ``weekday_habit``, ``popular``, and ``upcoming`` when nothing else applies.
"""

from __future__ import annotations

from collections.abc import Mapping

from pitchaseat.recs.profile import TasteProfile
from pitchaseat.recs.signals import GameFacts, Reason, UserSignals

# A habit is worth mentioning once it covers this share of the user's (decayed) orders.
TEAM_REASON_SHARE = 0.25
STADIUM_REASON_SHARE = 0.4
DAY_REASON_SHARE = 0.6
POPULAR_REASON_SCORE = 0.6
RESERVED_REASON_INTENT = 0.05


def explain(
    game: GameFacts,
    signals: UserSignals,
    profile: TasteProfile,
    popularity: float,
    intent: Mapping[int, float],
) -> tuple[Reason, ...]:
    reasons: list[Reason] = []
    if intent.get(game.game_id, 0.0) >= RESERVED_REASON_INTENT:
        reasons.append({"code": "reserved", "game_id": game.game_id})
    for team_id in game.team_ids:
        if team_id in signals.favourite_team_ids:
            reasons.append({"code": "favourite_team", "team_id": team_id})
        elif profile.team_share.get(team_id, 0.0) >= TEAM_REASON_SHARE:
            last_game = profile.last_game_by_team[team_id]
            reasons.append({"code": "bought_team_before", "team_id": team_id, "game_id": last_game})
    if profile.stadium_share.get(game.stadium_id, 0.0) >= STADIUM_REASON_SHARE:
        reasons.append({"code": "usual_stadium", "stadium_id": game.stadium_id})
    if profile.has_orders:
        weekend = profile.weekend_share
        if game.on_weekend and weekend >= DAY_REASON_SHARE:
            reasons.append({"code": "weekend_habit"})
        elif not game.on_weekend and 1.0 - weekend >= DAY_REASON_SHARE:
            reasons.append({"code": "weekday_habit"})
    if popularity >= POPULAR_REASON_SCORE:
        reasons.append({"code": "popular"})
    return tuple(reasons) or ({"code": "upcoming"},)
