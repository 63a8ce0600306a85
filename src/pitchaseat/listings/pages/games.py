"""The game a listing page is about, with its park's seat areas for the seat map."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from pitchaseat.catalog.models import Game, Stadium
from pitchaseat.errors import NotFound


async def game_with_areas(session: Any, game_id: int) -> Game:
    game = await session.scalar(
        select(Game)
        .where(Game.id == game_id)
        .options(
            joinedload(Game.home_team),
            joinedload(Game.away_team),
            joinedload(Game.stadium).selectinload(Stadium.seat_areas),
        )
    )
    if game is None:
        raise NotFound("No such game.")
    return game  # type: ignore[no-any-return]
