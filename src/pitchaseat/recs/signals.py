"""The plain data the scorer works on: games, a user's signals, and what it returns.

The online endpoint fills these from the database (favourite teams, orders, reservations, each
game's listing count and recent trades); the offline evaluation fills them from synthetic data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from pitchaseat.timeutil import to_taipei


@dataclass(frozen=True)
class GameFacts:
    game_id: int
    starts_at: datetime  # aware, UTC
    home_team_id: int
    away_team_id: int
    stadium_id: int

    @property
    def team_ids(self) -> tuple[int, int]:
        return (self.home_team_id, self.away_team_id)

    @cached_property
    def on_weekend(self) -> bool:
        # Fans plan by the local calendar: a Saturday in Taipei, whatever the UTC date says.
        return to_taipei(self.starts_at).weekday() >= 5


@dataclass(frozen=True)
class Candidate:
    """A game that might be recommended, with what is on sale for it now.

    ``tickets_available`` is any positive measure of supply (the online endpoint passes the
    game's listing count); ``cheapest_price`` is the lowest asking price in NT$, if known."""

    game: GameFacts
    tickets_available: int
    cheapest_price: int | None = None


@dataclass(frozen=True)
class Purchase:
    game: GameFacts
    bought_at: datetime
    unit_price: int | None = None  # NT$ per ticket paid: the fan's price habit


@dataclass(frozen=True)
class Reservation:
    """A hold or reservation on one game: strong, short-lived intent for that very game."""

    game_id: int
    reserved_at: datetime


@dataclass(frozen=True)
class UserSignals:
    favourite_team_ids: frozenset[int] = frozenset()
    purchases: tuple[Purchase, ...] = ()
    reservations: tuple[Reservation, ...] = ()

    @property
    def is_cold(self) -> bool:
        return not (self.favourite_team_ids or self.purchases or self.reservations)


Reason = Mapping[str, Any]  # {"code": "favourite_team", "team_id": 3}: rendered by the UI


@dataclass(frozen=True)
class Recommendation:
    game: GameFacts
    score: float
    reasons: tuple[Reason, ...] = field(default=())
