from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from pitchaseat.catalog.models import SeatAreaZone
from pitchaseat.listings.models import MAX_FACE_VALUE, MAX_QUANTITY, DeliveryMethod, ListingStatus
from pitchaseat.textinput import OneLine, Paragraphs

Money = Annotated[int, Field(ge=0, le=MAX_FACE_VALUE, description="New Taiwan dollars")]
Quantity = Annotated[int, Field(ge=1, le=MAX_QUANTITY)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500), Paragraphs]
ShortText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10), OneLine
]


class ListingCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    game_id: Annotated[int, Field(ge=1, le=2_147_483_647)]
    seat_area: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32), OneLine
    ]
    row: ShortText | None = None
    seats: (
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=60), OneLine] | None
    ) = None
    quantity: Quantity
    face_value: Money
    price: Money
    delivery_method: DeliveryMethod
    note: Note | None = None
    sell_together: bool = False


class ListingUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    price: Money | None = None
    quantity: Quantity | None = None
    note: Note | None = None


class SellerOut(BaseModel):
    id: int
    display_name: str
    rating_average: float | None
    rating_count: int
    seller_score: float | None


class SeatAreaBrief(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    name_zh: str
    name_en: str
    zone: SeatAreaZone


class ImageOut(BaseModel):
    id: int
    url: str
    thumbnail_url: str


class ListingOut(BaseModel):
    id: int
    game_id: int
    seller: SellerOut
    seat_area: SeatAreaBrief
    row: str | None
    seats: str | None
    quantity: int
    available_quantity: int
    face_value: int
    price: int
    discount_percent: int = Field(description="How far below face value, in percent")
    delivery_method: DeliveryMethod
    note: str | None
    sell_together: bool
    status: ListingStatus
    images: list[ImageOut]
    created_at: datetime
    updated_at: datetime
