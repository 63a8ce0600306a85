from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from pitchaseat.db import Base, UtcDateTime
from pitchaseat.timeutil import utcnow


class RecommendationEventKind(enum.StrEnum):
    impression = "impression"
    click = "click"


class RecommendationEvent(Base):
    """An impression or click on a recommended game, with the variant the user was shown,
    so the two scoring variants can be compared on click-through."""

    __tablename__ = "recommendation_events"
    __table_args__ = (Index("ix_recommendation_events_variant_kind", "variant", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    variant: Mapped[str] = mapped_column(String(16))
    kind: Mapped[RecommendationEventKind] = mapped_column(
        Enum(RecommendationEventKind, native_enum=False, length=12, create_constraint=True)
    )
    game_id: Mapped[int] = mapped_column(ForeignKey("games.id"))
    request_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
