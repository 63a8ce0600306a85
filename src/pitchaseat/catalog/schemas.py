from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from pitchaseat.catalog.models import GameStatus, SeatAreaSide, SeatAreaZone


class TeamOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    name_zh: str
    name_en: str
    short_name_zh: str
    short_name_en: str
    color: str
    home_stadium_id: int


class SeatAreaOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    name_zh: str
    name_en: str
    zone: SeatAreaZone
    level: int = Field(description="1 is the lower bowl, 2 an upper deck")
    side: SeatAreaSide = Field(description="Where the area sits around the field")
    face_value: int = Field(description="The club's usual face value for the area, NT$")


class StadiumBrief(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    name_zh: str
    name_en: str
    city_zh: str
    city_en: str


class StadiumOut(StadiumBrief):
    seat_areas: list[SeatAreaOut]


class GameOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    season: int
    game_number: int
    starts_at: datetime
    home_team: TeamOut
    away_team: TeamOut
    stadium: StadiumBrief
    status: GameStatus
    listing_count: int
    lowest_price: int | None


class CalendarDay(BaseModel):
    date: date
    games: list[GameOut]


class CalendarOut(BaseModel):
    month: str
    days: list[CalendarDay]
