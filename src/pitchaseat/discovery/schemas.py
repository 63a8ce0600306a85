from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from pitchaseat.catalog.schemas import GameOut
from pitchaseat.discovery.models import RecommendationEventKind


class TrendingOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    game: GameOut
    trade_count: int = Field(description="Tickets paid for in the window (refunds excluded)")
    rank: int


class SeatAreaPreview(BaseModel):
    code: str
    name_zh: str
    name_en: str


class ListingPreview(BaseModel):
    listing_id: int
    price: int
    face_value: int
    available_quantity: int
    seat_area: SeatAreaPreview


class ReasonOut(BaseModel):
    code: str = Field(description="favourite_team, bought_team_before, reserved, popular, ...")
    text: str = Field(description="The reason in the caller's language")
    details: dict[str, Any] = Field(default_factory=dict)


class RecommendationOut(BaseModel):
    game: GameOut
    score: float
    reasons: list[ReasonOut]
    listings_preview: list[ListingPreview]


class RecommendationsOut(BaseModel):
    request_id: str = Field(description="Send it back with impression and click events")
    variant: str
    items: list[RecommendationOut]


class RecommendationEventIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: RecommendationEventKind
    game_id: Annotated[int, Field(ge=1, le=2_147_483_647)]
    request_id: Annotated[str, Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
