"""The one rule for "is this game on sale": holds, new listings, the listing pages, the
game page's Buy button, reservations, discovery and the market figures all ask here.

Sales close a fixed time before the first pitch, when a seller could no longer hand the
tickets over (the same moment is the seller's ship deadline).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import ColumnElement, and_
from sqlalchemy.sql.elements import BindParameter

from pitchaseat.catalog.models import Game, GameStatus

SALES_CLOSE_BEFORE_GAME = timedelta(minutes=30)


class GameTimes(Protocol):
    starts_at: datetime
    status: GameStatus


def sales_close_at(starts_at: datetime) -> datetime:
    """When buying and listing stop for a game starting at ``starts_at``; also the ship
    deadline of its paid orders."""
    return starts_at - SALES_CLOSE_BEFORE_GAME


def sales_cutoff(now: datetime) -> datetime:
    """Games starting after this moment are still on sale (the SQL twin's parameter)."""
    return now + SALES_CLOSE_BEFORE_GAME


def is_on_sale(game: GameTimes, now: datetime) -> bool:
    return game.status is GameStatus.scheduled and now < sales_close_at(game.starts_at)


def on_sale_clause(cutoff: datetime | BindParameter[datetime]) -> ColumnElement[bool]:
    """``is_on_sale`` in SQL; ``cutoff`` is ``sales_cutoff(now)`` or a bound parameter of it."""
    return and_(Game.status == GameStatus.scheduled, Game.starts_at > cutoff)
