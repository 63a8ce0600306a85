from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from pitchaseat.textinput import Paragraphs


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rating: Annotated[int, Field(ge=1, le=5)]
    comment: Annotated[str, Field(max_length=500), Paragraphs] | None = None


class ReplyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reply: Annotated[str, Field(min_length=1, max_length=500), Paragraphs]


class ReviewOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    order_id: int
    seller_id: int
    rating: int
    comment: str | None
    reply: str | None
    replied_at: datetime | None
    created_at: datetime
