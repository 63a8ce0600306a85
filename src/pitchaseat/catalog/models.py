from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pitchaseat.db import Base, UtcDateTime
from pitchaseat.timeutil import utcnow


class Stadium(Base):
    __tablename__ = "stadiums"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    city_zh: Mapped[str] = mapped_column(String(50))
    city_en: Mapped[str] = mapped_column(String(50))

    seat_areas: Mapped[list[SeatArea]] = relationship(
        back_populates="stadium", order_by="SeatArea.sort_order", lazy="raise"
    )


class SeatAreaZone(enum.StrEnum):
    premium = "premium"
    infield = "infield"
    outfield = "outfield"


class SeatAreaSide(enum.StrEnum):
    """Where an area sits around the field, as drawn on the park's seat map."""

    home = "home"
    first = "first"
    third = "third"
    left = "left"
    right = "right"
    center_field = "center"  # `center` would shadow str.center


class SeatArea(Base):
    __tablename__ = "seat_areas"
    __table_args__ = (UniqueConstraint("stadium_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    stadium_id: Mapped[int] = mapped_column(ForeignKey("stadiums.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(32))
    name_zh: Mapped[str] = mapped_column(String(50))
    name_en: Mapped[str] = mapped_column(String(50))
    zone: Mapped[SeatAreaZone] = mapped_column(
        Enum(SeatAreaZone, native_enum=False, length=16, create_constraint=True)
    )
    # Deck 1 is the lower bowl, 2 an upper deck; with the side it places the area on the map.
    level: Mapped[int] = mapped_column(Integer, default=1)
    side: Mapped[SeatAreaSide] = mapped_column(
        Enum(
            SeatAreaSide,
            native_enum=False,
            length=8,
            create_constraint=False,
            values_callable=lambda sides: [side.value for side in sides],
        ),
        default=SeatAreaSide.home,
    )
    # The club's usual price for the area, shown to sellers and buyers as a guide.
    face_value: Mapped[int] = mapped_column(Integer, default=500)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    stadium: Mapped[Stadium] = relationship(back_populates="seat_areas", lazy="raise")


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    name_zh: Mapped[str] = mapped_column(String(50))
    name_en: Mapped[str] = mapped_column(String(50))
    short_name_zh: Mapped[str] = mapped_column(String(8), default="")
    short_name_en: Mapped[str] = mapped_column(String(12), default="")
    color: Mapped[str] = mapped_column(String(7))
    home_stadium_id: Mapped[int] = mapped_column(ForeignKey("stadiums.id"))


class GameStatus(enum.StrEnum):
    scheduled = "scheduled"
    postponed = "postponed"
    cancelled = "cancelled"
    final = "final"


class Game(Base):
    __tablename__ = "games"
    __table_args__ = (
        UniqueConstraint("season", "game_number"),
        Index("ix_games_home_team_starts_at", "home_team_id", "starts_at"),
        Index("ix_games_away_team_starts_at", "away_team_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    season: Mapped[int] = mapped_column(Integer)
    game_number: Mapped[int] = mapped_column(Integer)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    home_team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    away_team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    stadium_id: Mapped[int] = mapped_column(ForeignKey("stadiums.id"))
    status: Mapped[GameStatus] = mapped_column(
        Enum(GameStatus, native_enum=False, length=16, create_constraint=True),
        default=GameStatus.scheduled,
    )
    # Kept in step by the listings service so lists never aggregate per request.
    listing_count: Mapped[int] = mapped_column(Integer, default=0)
    lowest_price: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

    home_team: Mapped[Team] = relationship(foreign_keys=[home_team_id], lazy="raise")
    away_team: Mapped[Team] = relationship(foreign_keys=[away_team_id], lazy="raise")
    stadium: Mapped[Stadium] = relationship(lazy="raise")
