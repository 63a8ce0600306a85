"""Catalog pages: the month calendar of games and a day's games."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from pitchaseat.accounts.deps import cookie_user
from pitchaseat.bounds import FIRST_DAY, LAST_DAY
from pitchaseat.catalog import service
from pitchaseat.catalog.models import Game
from pitchaseat.errors import NotFound
from pitchaseat.i18n import current_locale
from pitchaseat.timeutil import month_bounds, to_taipei, utcnow
from pitchaseat.web.deps import SessionDep
from pitchaseat.web.page_fragments import HOME_PAGE, page_fragments
from pitchaseat.web.params import OptionalIdQuery
from pitchaseat.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(cookie_user)])

WEEKDAYS_ZH = ("一", "二", "三", "四", "五", "六", "日")
WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class DayCell:
    date: date
    games: list[Game]


def month_weeks(days: dict[date, list[Game]]) -> list[list[DayCell | None]]:
    """Monday-first weeks; days outside the month are None."""
    cells: list[DayCell | None] = [None] * next(iter(days)).weekday()
    cells += [DayCell(day, games) for day, games in days.items()]
    cells += [None] * (-len(cells) % 7)
    return [cells[i : i + 7] for i in range(0, len(cells), 7)]


def shift_month(month: str, by: int) -> str | None:
    """The month ``by`` months away, or None outside the years the site knows (2000-2100)."""
    year, number = service.parse_month(month)
    index = year * 12 + number - 1 + by
    shifted = f"{index // 12:04d}-{index % 12 + 1:02d}"
    return shifted if "2000-01" <= shifted <= "2100-12" else None


def month_label(month: str) -> str:
    year, number = service.parse_month(month)
    if current_locale() == "zh_TW":
        return f"{year} 年 {number} 月"
    return date(year, number, 1).strftime("%B %Y")


@router.get("/")
async def home(
    request: Request,
    session: SessionDep,
    month: Annotated[str | None, Query(max_length=7)] = None,
    team_id: OptionalIdQuery = None,
) -> Response:
    today = to_taipei(utcnow()).date()
    if month is None:
        month = today.strftime("%Y-%m")
        first, last = month_bounds(today.year, today.month)
        if not any((await service.games_between(session, first, last)).values()):
            month = await service.next_month_with_games(session, today) or month
    days = await service.month_calendar(session, month, team_id=team_id)
    context = {
        "month": month,
        "month_label": month_label(month),
        "previous_month": shift_month(month, -1),
        "next_month": shift_month(month, 1),
        "weeks": month_weeks(days),
        "weekday_names": WEEKDAYS_ZH if current_locale() == "zh_TW" else WEEKDAYS_EN,
        "teams": await service.list_teams(session),
        "team_id": team_id,
        "has_games": any(days.values()),
        "fragments": await page_fragments(request, HOME_PAGE, session),
    }
    return render(request, "catalog/home.html", context)


@router.get("/days/{day}")
async def day_page(request: Request, session: SessionDep, day: date) -> Response:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise NotFound("No such day.")
    games = (await service.games_between(session, day, day + timedelta(days=0)))[day]
    return render(request, "catalog/day.html", {"day": day, "games": games})
