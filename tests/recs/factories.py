"""Small builders for the recommender's plain data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pitchaseat.recs.signals import Candidate, GameFacts, Purchase

# A Wednesday noon in Taipei; games below start at 18:35 local time, days after it.
NOW = datetime(2031, 5, 7, 4, 0, tzinfo=UTC)


def game(game_id: int, days_ahead: float, home: int = 1, away: int = 2) -> GameFacts:
    starts_at = NOW + timedelta(days=days_ahead, hours=6, minutes=35)
    return GameFacts(game_id, starts_at, home, away, stadium_id=home)


def on_sale(*games: GameFacts, tickets: int = 4) -> list[Candidate]:
    return [Candidate(g, tickets) for g in games]


def bought(g: GameFacts, days_ago: float, price: int | None = None) -> Purchase:
    return Purchase(g, NOW - timedelta(days=days_ago), price)
