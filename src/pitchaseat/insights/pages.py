"""Market figures on the pages: fragments for the home and game pages (registered by the app,
so the lower-layer catalog pages never import this package) and the team ranking page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts.deps import cookie_user
from pitchaseat.catalog.models import Game
from pitchaseat.catalog.pages import month_label, shift_month
from pitchaseat.i18n import current_locale
from pitchaseat.insights import charts, figures
from pitchaseat.insights.cache import MarketStatsCache
from pitchaseat.insights.schemas import PriceStatsOut, SummaryOut, TeamRankingOut
from pitchaseat.insights.service import taipei_month
from pitchaseat.timeutil import to_taipei, utcnow
from pitchaseat.web.deps import SessionDep
from pitchaseat.web.page_fragments import GAME_PAGE, HOME_PAGE, Fragment, PageFragments
from pitchaseat.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(cookie_user)])


def _stats(request: Request) -> MarketStatsCache:
    services = request.app.state.services
    return MarketStatsCache(services.cache, enabled=services.settings.page_cache_enabled)


def _name(thing: Any) -> str:
    return str(thing.name_en if current_locale() == "en" else thing.name_zh)


def _short(team: Any) -> str:
    """The name fans use (兄弟, Lions), readable at a phone chart's width."""
    short = team.short_name_en if current_locale() == "en" else team.short_name_zh
    return str(short or _name(team))


def _matchup(game: Any) -> str:
    return f"{_short(game.away_team)} @ {_short(game.home_team)} {to_taipei(game.starts_at):%m/%d}"


@dataclass(frozen=True)
class TeamFigures:
    ranking: TeamRankingOut
    chart: charts.BarChart
    month_label: str


async def _team_figures(session: AsyncSession, stats: MarketStatsCache, month: str) -> TeamFigures:
    ranking = TeamRankingOut.model_validate_json(
        await figures.team_ranking_json(session, stats, month)
    )
    chart = charts.bar_chart(
        [(_short(item.team), item.tickets_traded, item.team.color) for item in ranking.items]
    )
    return TeamFigures(ranking, chart, month_label(month))


@dataclass(frozen=True)
class HomeFigures:
    summary: SummaryOut
    trending_chart: charts.BarChart
    month_label: str


async def home_fragments(
    request: Request, session: AsyncSession, _params: dict[str, Any]
) -> list[Fragment]:
    stats = _stats(request)
    now = utcnow()
    summary = SummaryOut.model_validate_json(await figures.summary_json(session, stats, now=now))
    trending = charts.bar_chart(
        [
            (_matchup(item.game), item.median_price or 0, item.game.home_team.color)
            for item in summary.trending.items
        ]
    )
    month = summary.this_month.month
    return [
        Fragment(
            "insights/summary.html", "bottom", HomeFigures(summary, trending, month_label(month))
        ),
        Fragment("insights/teams.html", "bottom", await _team_figures(session, stats, month)),
    ]


@dataclass(frozen=True)
class GameFigures:
    prices: PriceStatsOut
    range_chart: charts.RangeChart
    traded_chart: charts.LineChart


async def game_fragments(
    request: Request, session: AsyncSession, params: dict[str, Any]
) -> list[Fragment]:
    game: Game = params["game"]
    prices = PriceStatsOut.model_validate_json(
        await figures.price_stats_json(session, _stats(request), game.id)
    )
    ranges = charts.range_chart(
        [
            (
                _name(row.seat_area),
                row.min_price,
                row.median_price,
                row.max_price,
                row.median_face_value,
            )
            for row in prices.by_seat_area
        ]
    )
    traded = charts.line_chart([(day.date.isoformat(), day.median_price) for day in prices.traded])
    return [Fragment("insights/game_prices.html", "bottom", GameFigures(prices, ranges, traded))]


def register_fragments(fragments: PageFragments) -> None:
    fragments.add(HOME_PAGE, home_fragments)
    fragments.add(GAME_PAGE, game_fragments)


@router.get("/stats")
async def stats_page(
    request: Request,
    session: SessionDep,
    month: Annotated[str | None, Query(max_length=7)] = None,
) -> Response:
    month = month or taipei_month(utcnow())
    teams = await _team_figures(session, _stats(request), month)
    context = {
        "fragment": Fragment("insights/teams.html", "main", teams),
        "month": month,
        "previous_month": shift_month(month, -1),
        "next_month": shift_month(month, 1),
    }
    return render(request, "insights/stats.html", context)
