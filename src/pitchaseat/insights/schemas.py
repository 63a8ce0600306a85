"""The JSON behind each chart. Money is whole New Taiwan dollars; every figure that counts
sales names its window (``month`` or ``days``) and its ``basis``."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from pitchaseat.catalog.schemas import GameOut, SeatAreaOut, TeamOut

Basis = Literal["payment_date"]
BASIS_DESCRIPTION = "Sales count on the day they were paid for, in Asia/Taipei"


class _FromAttributes(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class MonthFiguresOut(_FromAttributes):
    month: str = Field(examples=["2027-04"], description="Asia/Taipei calendar month")
    basis: Basis = Field(description=BASIS_DESCRIPTION)
    tickets_traded: int
    amount_traded: int


class TrendingGameOut(_FromAttributes):
    game: GameOut
    tickets_traded: int
    rank: int
    median_price: int | None = Field(description="Median unit price paid, per ticket")


class TrendingOut(BaseModel):
    days: int = Field(description="Sales paid for in the last N days, games not yet started")
    basis: Basis = Field(description=BASIS_DESCRIPTION)
    items: list[TrendingGameOut]


class SummaryOut(_FromAttributes):
    tickets_traded: int = Field(description="All time")
    amount_traded: int = Field(description="All time, NT$")
    this_month: MonthFiguresOut
    active_listings: int = Field(description="Buyable listings of games not yet started")
    upcoming_games_with_listings: int
    trending: TrendingOut


class TeamFiguresOut(_FromAttributes):
    team: TeamOut
    tickets_traded: int
    amount_traded: int
    rank: int


class TeamRankingOut(BaseModel):
    month: str = Field(examples=["2027-04"], description="Asia/Taipei calendar month")
    basis: Basis = Field(description=BASIS_DESCRIPTION)
    items: list[TeamFiguresOut]


class SeatAreaPricesOut(_FromAttributes):
    seat_area: SeatAreaOut
    listing_count: int
    ticket_count: int
    min_price: int
    median_price: int = Field(description="Per ticket on offer")
    max_price: int
    median_face_value: int = Field(description="Per ticket on offer")


class TradedDayOut(_FromAttributes):
    date: Annotated[date, Field(description="Payment day in Asia/Taipei")]
    tickets: int
    median_price: int = Field(description="Median unit price paid, per ticket")


class PriceStatsOut(_FromAttributes):
    game_id: int
    basis: Basis = Field(description=BASIS_DESCRIPTION)
    by_seat_area: list[SeatAreaPricesOut] = Field(description="Listings buyable now")
    traded: list[TradedDayOut]
