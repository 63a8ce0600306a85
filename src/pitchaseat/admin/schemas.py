from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from pitchaseat.admin.models import ReportReason
from pitchaseat.orders.workflows.disputes import DisputeOutcome
from pitchaseat.textinput import OneLine, Paragraphs

# Why an operator acts: kept in the audit log and shown to the people concerned.
Reason = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500), Paragraphs
]
Note = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000), Paragraphs
]


class ReportCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: ReportReason
    note: (
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=500), Paragraphs] | None
    ) = None


class ReportedListing(BaseModel):
    id: int
    game_id: int
    seller_id: int
    status: str
    price: int
    face_value: int


class ReportOut(BaseModel):
    id: int
    listing: ReportedListing
    reporter_id: int
    reason: ReportReason
    note: str | None
    status: str
    created_at: datetime


class ReasonBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Reason


class UserAdminOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    display_name: str
    is_operator: bool
    suspended_at: datetime | None
    suspension_reason: str | None
    created_at: datetime


class EvidenceOut(BaseModel):
    id: int
    order_id: int
    author_id: int
    role: str
    note: str
    image_url: str | None
    thumbnail_url: str | None
    created_at: datetime


class DisputeOut(BaseModel):
    id: int
    status: str
    listing_id: int
    game_id: int
    buyer_id: int
    seller_id: int
    quantity: int
    amount: int
    evidence: list[EvidenceOut]


class ResolveBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: DisputeOutcome
    note: Note


class PayoutDueOut(BaseModel):
    seller_id: int
    display_name: str
    available: int
    pending: int
    masked_payout_account: str | None


class PayoutCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    seller_id: Annotated[int, Field(ge=1, le=2**31 - 1)]
    amount: Annotated[int, Field(ge=1, le=100_000_000)]
    reference: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), OneLine
    ]


class PayoutOut(BaseModel):
    id: int
    seller_id: int
    amount: int
    reference: str
    paid_at: datetime


class AuditTarget(BaseModel):
    type: str
    id: int


class AuditOut(BaseModel):
    id: int
    actor_id: int
    action: str
    target: AuditTarget
    reason: str
    data: dict[str, Any]
    at: datetime


class PostponeBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Reason
    makeup_starts_at: datetime | None = Field(
        default=None, description="The make-up game's first pitch (ISO 8601 with offset)"
    )


class GameChangeOut(BaseModel):
    game_id: int
    status: str
    holds_released: int
    refunded: list[int]
    refund_failed: list[int]


class ImportOut(BaseModel):
    created: int
    dry_run: bool
