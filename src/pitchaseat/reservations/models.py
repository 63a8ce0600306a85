from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pitchaseat.db import Base, UtcDateTime
from pitchaseat.timeutil import utcnow


class Reservation(Base):
    """What a fan waits for: a game, optionally some seat areas (none = any) and a price range,
    and how many tickets together. It ends when the game starts."""

    __tablename__ = "reservations"
    __table_args__ = (
        CheckConstraint("quantity BETWEEN 1 AND 10", name="quantity_range"),
        # Matching reads every reservation of one game at once.
        Index("ix_reservations_game", "game_id"),
        Index("ix_reservations_user_created", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    game_id: Mapped[int] = mapped_column(ForeignKey("games.id"))
    min_price: Mapped[int | None] = mapped_column(Integer, nullable=True)
    max_price: Mapped[int | None] = mapped_column(Integer, nullable=True)
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

    areas: Mapped[list[ReservationSeatArea]] = relationship(
        lazy="raise", cascade="all, delete-orphan", passive_deletes=True
    )


class ReservationSeatArea(Base):
    __tablename__ = "reservation_seat_areas"

    reservation_id: Mapped[int] = mapped_column(
        ForeignKey("reservations.id", ondelete="CASCADE"), primary_key=True
    )
    seat_area_id: Mapped[int] = mapped_column(ForeignKey("seat_areas.id"), primary_key=True)


class ReservationAlert(Base):
    """A reservation told about a listing: the primary key makes "once per listing" hold."""

    __tablename__ = "reservation_alerts"
    __table_args__ = (Index("ix_reservation_alerts_batch", "batch"),)

    reservation_id: Mapped[int] = mapped_column(
        ForeignKey("reservations.id", ondelete="CASCADE"), primary_key=True
    )
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer)
    batch: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
