"""Personalised ticket recommendations: pure scoring, synthetic fans and offline evaluation.

No database and no web here: the online endpoint reads favourite teams, orders, reservations and
recent trades, turns them into ``UserSignals`` and ``Candidate`` values and calls ``recommend``.
"""

from pitchaseat.recs.scoring import recommend
from pitchaseat.recs.signals import (
    Candidate,
    GameFacts,
    Purchase,
    Recommendation,
    Reservation,
    UserSignals,
)
from pitchaseat.recs.variants import VARIANTS, assign_variant, get_variant

__all__ = [
    "VARIANTS",
    "Candidate",
    "GameFacts",
    "Purchase",
    "Recommendation",
    "Reservation",
    "UserSignals",
    "assign_variant",
    "get_variant",
    "recommend",
]
