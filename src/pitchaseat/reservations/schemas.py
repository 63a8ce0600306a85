from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from pitchaseat.listings.models import MAX_FACE_VALUE
from pitchaseat.textinput import OneLine

Price = Annotated[int, Field(ge=0, le=MAX_FACE_VALUE)]


class ReservationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    game_id: Annotated[int, Field(ge=1, le=2_147_483_647)]
    seat_areas: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=32), OneLine]], Field(max_length=10)
    ] = Field(default_factory=list, description="Seat area codes; none means any area")
    min_price: Price | None = None
    max_price: Price | None = None
    quantity: Annotated[int, Field(ge=1, le=10)] = 1


class ReservationOut(BaseModel):
    id: int
    game_id: int
    seat_areas: list[str]
    min_price: int | None
    max_price: int | None
    quantity: int
    active: bool = Field(description="False once the game has started or is off sale")
    created_at: datetime
