from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from pitchaseat.listings.models import MAX_QUANTITY, DeliveryMethod
from pitchaseat.orders.models import OrderStatus


class OrderCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    listing_id: Annotated[int, Field(ge=1, le=2_147_483_647)]
    quantity: Annotated[int, Field(ge=1, le=MAX_QUANTITY)]


class OrderCancel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, Field(max_length=500)] | None = None


class OrderEventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    action: str
    from_status: str | None
    to_status: str
    actor_id: int | None
    data: dict[str, Any]
    at: datetime


class OrderOut(BaseModel):
    model_config = ConfigDict(from_attributes=True, populate_by_name=True)

    id: int
    status: OrderStatus
    listing_id: int
    game_id: int
    buyer_id: int
    seller_id: int
    quantity: int
    unit_price: int
    amount: int = Field(description="What the buyer pays: price x quantity, in TWD")
    expires_at: datetime = Field(validation_alias="hold_expires_at")
    created_at: datetime
    history: list[OrderEventOut] = Field(validation_alias="events")


class ShipRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    method: DeliveryMethod
    tracking_number: Annotated[str, Field(min_length=1, max_length=60)] | None = None
    note: Annotated[str, Field(max_length=500)] | None = None


class DisputeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, Field(min_length=1, max_length=1000)]
