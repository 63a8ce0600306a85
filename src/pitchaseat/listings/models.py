from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pitchaseat.accounts.models import User
from pitchaseat.catalog.models import Game, SeatArea
from pitchaseat.db import Base, UtcDateTime
from pitchaseat.timeutil import utcnow

MAX_QUANTITY = 10
MAX_FACE_VALUE = 50_000


class DeliveryMethod(enum.StrEnum):
    e_ticket = "e_ticket"
    mail = "mail"
    meet_up = "meet_up"


class ListingStatus(enum.StrEnum):
    active = "active"
    sold_out = "sold_out"
    withdrawn = "withdrawn"
    expired = "expired"
    # Taken down by an operator (the seller is told why); an operator may restore it.
    removed = "removed"
    # The seller's account is suspended; reinstating the account puts it back on sale.
    paused = "paused"


class Listing(Base):
    __tablename__ = "listings"
    __table_args__ = (
        # The legal cap lives in the service; the database refuses a breach all the same.
        CheckConstraint("price <= face_value", name="price_within_face_value"),
        CheckConstraint("price >= 1 AND face_value >= 1", name="positive_money"),
        CheckConstraint(f"quantity BETWEEN 1 AND {MAX_QUANTITY}", name="quantity_range"),
        CheckConstraint(
            "available_quantity >= 0 AND available_quantity <= quantity",
            name="available_within_quantity",
        ),
        Index("ix_listings_game_status_price", "game_id", "status", "price", "id"),
        Index("ix_listings_game_status_created", "game_id", "status", "created_at", "id"),
        Index("ix_listings_seller_status_created", "seller_id", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    game_id: Mapped[int] = mapped_column(ForeignKey("games.id"))
    seller_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    seat_area_id: Mapped[int] = mapped_column(ForeignKey("seat_areas.id"))
    row: Mapped[str | None] = mapped_column(String(10), nullable=True)
    seats: Mapped[str | None] = mapped_column(String(60), nullable=True)
    quantity: Mapped[int] = mapped_column(Integer)
    # Tickets neither held nor sold; orders take from it with a conditional UPDATE.
    available_quantity: Mapped[int] = mapped_column(Integer)
    face_value: Mapped[int] = mapped_column(Integer)
    price: Mapped[int] = mapped_column(Integer)
    delivery_method: Mapped[DeliveryMethod] = mapped_column(
        Enum(DeliveryMethod, native_enum=False, length=16, create_constraint=True)
    )
    note: Mapped[str | None] = mapped_column(String(500), nullable=True)
    sell_together: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[ListingStatus] = mapped_column(
        Enum(ListingStatus, native_enum=False, length=16, create_constraint=True),
        default=ListingStatus.active,
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)

    game: Mapped[Game] = relationship(lazy="raise")
    seller: Mapped[User] = relationship(lazy="raise")
    seat_area: Mapped[SeatArea] = relationship(lazy="raise")
    images: Mapped[list[ListingImage]] = relationship(
        order_by="ListingImage.position", lazy="raise", cascade="all, delete-orphan"
    )


class ListingImage(Base):
    __tablename__ = "listing_images"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(
        ForeignKey("listings.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    storage_key: Mapped[str] = mapped_column(String(200))
    thumbnail_key: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
