from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, EmailStr, Field


class CardholderIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(min_length=1, max_length=60)]
    email: EmailStr
    phone_number: Annotated[str, Field(pattern=r"^(09\d{8}|\+\d{8,15})$")]


class PayRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    prime: Annotated[str, Field(min_length=1, max_length=200)]
    cardholder: CardholderIn
