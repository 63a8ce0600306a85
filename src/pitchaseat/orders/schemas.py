from __future__ import annotations

import enum
from datetime import datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from pitchaseat.listings.models import MAX_QUANTITY, DeliveryMethod
from pitchaseat.orders.contact import (
    check_address,
    check_chunghwa_tracking_number,
    normalize_phone,
)
from pitchaseat.orders.models import OrderStatus
from pitchaseat.payments.schemas import PayRequest
from pitchaseat.textinput import OneLine, Paragraphs


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


class DisputeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, Field(min_length=1, max_length=1000)]


def _blank_is_none(value: object) -> object:
    """An empty box is a field not given (refused as missing where the method needs it)."""
    if isinstance(value, str) and not value.strip():
        return None
    return value.strip() if isinstance(value, str) else value


Blank = BeforeValidator(_blank_is_none)
Line40 = Annotated[str, Field(max_length=40), OneLine]
Line60 = Annotated[str, Field(max_length=60), OneLine]
Line100 = Annotated[str, Field(max_length=100), OneLine]
Line200 = Annotated[str, Field(max_length=200), OneLine]
Text300 = Annotated[str, Field(max_length=300), Paragraphs]
Text500 = Annotated[str, Field(max_length=500), Paragraphs]
Phone = Annotated[str, Field(max_length=20), AfterValidator(normalize_phone)]
Address = Annotated[str, Field(max_length=300), OneLine, AfterValidator(check_address)]


class Carrier(enum.StrEnum):
    chunghwa_post = "chunghwa_post"
    other = "other"


class ShipRequest(BaseModel):
    """The method's fields: mail needs a tracking number (Chunghwa Post's are checked for
    shape), a meet-up its place and time; an e-ticket transfer may name its reference."""

    model_config = ConfigDict(extra="forbid")

    method: DeliveryMethod
    carrier: Carrier | None = None
    tracking_number: Annotated[Line40 | None, Blank] = None
    transfer_reference: Annotated[Line100 | None, Blank] = None
    meetup_place: Annotated[Line200 | None, Blank] = None
    meetup_at: Annotated[
        datetime | None, Blank, Field(description="Without an offset: Asia/Taipei time")
    ] = None
    note: Annotated[Text500 | None, Blank] = None

    @field_validator("tracking_number")
    @classmethod
    def _tracking_shape(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None or info.data.get("method") is not DeliveryMethod.mail:
            return value
        if info.data.get("carrier") in (None, Carrier.chunghwa_post):
            return check_chunghwa_tracking_number(value)
        return value


class DeliveryIn(BaseModel):
    """What the seller needs for the listing's delivery method: ``mail`` needs recipient_name,
    phone and address; ``e_ticket`` needs ticket_account; ``meet_up`` needs phone."""

    model_config = ConfigDict(extra="forbid")

    recipient_name: Annotated[Line60 | None, Blank] = None
    phone: Annotated[Phone | None, Blank] = None
    address: Annotated[Address | None, Blank] = None
    ticket_account: Annotated[Line100 | None, Blank] = None
    meetup_note: Annotated[Text300 | None, Blank] = None


class OrderPayRequest(PayRequest):
    delivery: DeliveryIn | None = Field(
        default=None, description="The hand-off details the listing's delivery method needs"
    )


class DeliveryOut(BaseModel):
    recipient_name: str | None = None
    phone: str | None = None
    address: str | None = None
    ticket_account: str | None = None
    meetup_note: str | None = None
    masked: bool = Field(default=False, description="Masked 30 days after the order ended")


class ShipmentOut(BaseModel):
    method: str
    carrier: str | None = None
    tracking_number: str | None = None
    tracking_url: str | None = None
    transfer_reference: str | None = None
    meetup_place: str | None = None
    meetup_at: datetime | None = None
    note: str | None = None
    photo_url: str | None = None
    shipped_at: datetime


class OrderDetailOut(OrderOut):
    delivery_method: str
    delivery: DeliveryOut | None = Field(
        default=None, description="The buyer always; the seller once paid; nobody else"
    )
    seller_note: str | None = Field(default=None, description="The listing's note")
    shipment: ShipmentOut | None = None
    fee: int | None = Field(default=None, description="The seller fee, TWD (seller only)")
    payout: int | None = Field(default=None, description="amount - fee, TWD (seller only)")


class MessageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    body: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000), Paragraphs
    ]


class MessageOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    sender_id: int
    body: str
    created_at: datetime
