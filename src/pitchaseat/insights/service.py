"""Market figures: what was traded, for how much, and what is on offer.

One rule for every figure (docs/api-stats.md): an order counts as traded once it reached
``paid`` and was not refunded, and it counts on its payment moment (the ``order_events`` row
that moved it to ``paid``), in Asia/Taipei calendar days and months. Every query here is one
set-based statement; medians are computed in Python from its rows, so no backend needs a
median function.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import ColumnElement, and_, case, distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from pitchaseat.catalog.models import Game, SeatArea, Team
from pitchaseat.catalog.sales import on_sale_clause, sales_cutoff
from pitchaseat.catalog.service import parse_month
from pitchaseat.errors import NotFound
from pitchaseat.listings.models import Listing, ListingStatus
from pitchaseat.orders.models import Order, OrderEvent, OrderStatus
from pitchaseat.timeutil import month_bounds, taipei_day_bounds_utc, to_taipei

BASIS = "payment_date"
TRADED_STATUSES = (
    OrderStatus.paid,
    OrderStatus.shipped,
    OrderStatus.completed,
    OrderStatus.disputed,
)
TRENDING_DAYS = 7

# The state machine enters ``paid`` at most once, so this join yields one row per order.
_PAID_EVENT = and_(OrderEvent.order_id == Order.id, OrderEvent.to_status == OrderStatus.paid.value)
_TRADED = Order.status.in_(TRADED_STATUSES)


def median(weighted: Iterable[tuple[int, int]]) -> int | None:
    """The median of values each counted ``weight`` times (tickets at a price).

    With an even count it is the mean of the two middle values, rounded half up to a whole
    dollar (money is never a float). ``None`` when there is nothing to count.
    """
    pairs = sorted((value, weight) for value, weight in weighted if weight > 0)
    total = sum(weight for _value, weight in pairs)
    if total == 0:
        return None
    low, high = _nth(pairs, (total - 1) // 2), _nth(pairs, total // 2)
    return (low + high + 1) // 2


def _nth(pairs: Sequence[tuple[int, int]], index: int) -> int:
    seen = 0
    for value, weight in pairs:
        seen += weight
        if index < seen:
            return value
    raise IndexError(index)


def month_window(month: str) -> tuple[datetime, datetime]:
    """The UTC instants bounding a Taipei calendar month (end exclusive)."""
    first, last = month_bounds(*parse_month(month))
    return taipei_day_bounds_utc(first, last)


def taipei_month(moment: datetime) -> str:
    return to_taipei(moment).strftime("%Y-%m")


def _paid_between(start: datetime, end: datetime) -> ColumnElement[bool]:
    return and_(OrderEvent.at >= start, OrderEvent.at < end)


def _paid_in_last(days: int, now: datetime) -> ColumnElement[bool]:
    return and_(OrderEvent.at > now - timedelta(days=days), OrderEvent.at <= now)


def _total(value: int | Decimal | None) -> int:
    # SUM comes back as Decimal on MariaDB and as None over no rows.
    return int(value or 0)


@dataclass(frozen=True)
class MonthFigures:
    month: str
    basis: str
    tickets_traded: int
    amount_traded: int


@dataclass(frozen=True)
class SiteFigures:
    tickets_traded: int
    amount_traded: int
    this_month: MonthFigures
    active_listings: int
    upcoming_games_with_listings: int


async def site_figures(session: AsyncSession, *, now: datetime) -> SiteFigures:
    month = taipei_month(now)
    in_month = _paid_between(*month_window(month))
    traded = (
        await session.execute(
            select(
                func.sum(Order.quantity),
                func.sum(Order.amount),
                func.sum(case((in_month, Order.quantity), else_=0)),
                func.sum(case((in_month, Order.amount), else_=0)),
            )
            .select_from(Order)
            .join(OrderEvent, _PAID_EVENT)
            .where(_TRADED)
        )
    ).one()
    offered = (
        await session.execute(
            select(func.count(Listing.id), func.count(distinct(Listing.game_id)))
            .join(Game, Game.id == Listing.game_id)
            .where(
                Listing.status == ListingStatus.active,
                Listing.available_quantity > 0,
                on_sale_clause(sales_cutoff(now)),
            )
        )
    ).one()
    return SiteFigures(
        tickets_traded=_total(traded[0]),
        amount_traded=_total(traded[1]),
        this_month=MonthFigures(month, BASIS, _total(traded[2]), _total(traded[3])),
        active_listings=_total(offered[0]),
        upcoming_games_with_listings=_total(offered[1]),
    )


@dataclass(frozen=True)
class TeamFigures:
    team: Team
    tickets_traded: int
    amount_traded: int
    rank: int


async def team_ranking(session: AsyncSession, month: str) -> list[TeamFigures]:
    """Tickets traded per team in a Taipei month; a game counts for its home and away team.

    Every team is listed; equal ticket counts share a rank (1, 1, 3).
    """
    window = month_window(month)
    rows = await session.execute(
        select(
            Game.home_team_id, Game.away_team_id, func.sum(Order.quantity), func.sum(Order.amount)
        )
        .select_from(Order)
        .join(OrderEvent, _PAID_EVENT)
        .join(Game, Game.id == Order.game_id)
        .where(_TRADED, _paid_between(*window))
        .group_by(Game.home_team_id, Game.away_team_id)
    )
    tickets: dict[int, int] = defaultdict(int)
    amounts: dict[int, int] = defaultdict(int)
    for home_id, away_id, quantity, amount in rows:
        for team_id in (home_id, away_id):
            tickets[team_id] += _total(quantity)
            amounts[team_id] += _total(amount)
    teams = sorted(
        await session.scalars(select(Team)),
        key=lambda team: (-tickets[team.id], -amounts[team.id], team.id),
    )
    ranked: list[TeamFigures] = []
    for position, team in enumerate(teams, start=1):
        tied = ranked and ranked[-1].tickets_traded == tickets[team.id]
        rank = ranked[-1].rank if tied else position
        ranked.append(TeamFigures(team, tickets[team.id], amounts[team.id], rank))
    return ranked


@dataclass(frozen=True)
class TrendingGame:
    game_id: int
    tickets_traded: int
    rank: int


async def trending_games(
    session: AsyncSession, *, now: datetime, days: int = TRENDING_DAYS, limit: int = 10
) -> list[TrendingGame]:
    """Games that have not started, ranked by tickets paid for in the last ``days`` days.

    Ties go to the sooner game. Games with nothing traded in the window are left out.
    """
    tickets = func.sum(Order.quantity)
    rows = await session.execute(
        select(Game.id, tickets)
        .select_from(Order)
        .join(OrderEvent, _PAID_EVENT)
        .join(Game, Game.id == Order.game_id)
        .where(_TRADED, _paid_in_last(days, now), Game.starts_at > now)
        .group_by(Game.id, Game.starts_at)
        .order_by(tickets.desc(), Game.starts_at, Game.id)
        .limit(limit)
    )
    return [
        TrendingGame(game_id, _total(count), rank)
        for rank, (game_id, count) in enumerate(rows, start=1)
    ]


@dataclass(frozen=True)
class TrendingPrice:
    game: Game
    tickets_traded: int
    rank: int
    median_price: int | None


async def trending_prices(
    session: AsyncSession, *, now: datetime, days: int = TRENDING_DAYS, limit: int = 5
) -> list[TrendingPrice]:
    """The trending games with the median unit price paid for them in the same window."""
    trending = await trending_games(session, now=now, days=days, limit=limit)
    ids = [item.game_id for item in trending]
    if not ids:
        return []
    rows = await session.execute(
        select(Order.game_id, Order.unit_price, Order.quantity)
        .join(OrderEvent, _PAID_EVENT)
        .where(_TRADED, Order.game_id.in_(ids), _paid_in_last(days, now))
    )
    prices: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for game_id, unit_price, quantity in rows:
        prices[game_id].append((unit_price, quantity))
    games = {
        game.id: game
        for game in await session.scalars(
            select(Game)
            .where(Game.id.in_(ids))
            .options(
                joinedload(Game.home_team), joinedload(Game.away_team), joinedload(Game.stadium)
            )
        )
    }
    return [
        TrendingPrice(
            games[item.game_id], item.tickets_traded, item.rank, median(prices[item.game_id])
        )
        for item in trending
    ]


@dataclass(frozen=True)
class SeatAreaPrices:
    seat_area: SeatArea
    listing_count: int
    ticket_count: int
    min_price: int
    median_price: int
    max_price: int
    median_face_value: int


@dataclass(frozen=True)
class TradedDay:
    date: date
    tickets: int
    median_price: int


@dataclass(frozen=True)
class GamePrices:
    game_id: int
    by_seat_area: list[SeatAreaPrices]
    traded: list[TradedDay]


async def game_prices(session: AsyncSession, game_id: int) -> GamePrices:
    """Asking prices of the game's buyable listings per seat area, against face value, and
    the median price paid per Taipei payment day. Medians count each ticket once."""
    if await session.scalar(select(Game.id).where(Game.id == game_id)) is None:
        raise NotFound("No such game.")
    offers = await session.execute(
        select(SeatArea, Listing.price, Listing.face_value, Listing.available_quantity)
        .join(SeatArea, SeatArea.id == Listing.seat_area_id)
        .where(
            Listing.game_id == game_id,
            Listing.status == ListingStatus.active,
            Listing.available_quantity > 0,
        )
    )
    by_area: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    areas: dict[int, SeatArea] = {}
    for area, price, face_value, available in offers:
        areas[area.id] = area
        by_area[area.id].append((price, face_value, available))
    sales = await session.execute(
        select(OrderEvent.at, Order.unit_price, Order.quantity)
        .join(OrderEvent, _PAID_EVENT)
        .where(_TRADED, Order.game_id == game_id)
    )
    by_day: dict[date, list[tuple[int, int]]] = defaultdict(list)
    for paid_at, unit_price, quantity in sales:
        by_day[to_taipei(paid_at).date()].append((unit_price, quantity))
    return GamePrices(
        game_id=game_id,
        by_seat_area=[
            _area_prices(areas[area_id], by_area[area_id])
            for area_id in sorted(areas, key=lambda key: (areas[key].sort_order, key))
        ],
        traded=[
            TradedDay(day, sum(q for _p, q in sold), median(sold) or 0)
            for day, sold in sorted(by_day.items())
        ],
    )


def _area_prices(area: SeatArea, offers: list[tuple[int, int, int]]) -> SeatAreaPrices:
    prices = [price for price, _face, _available in offers]
    return SeatAreaPrices(
        seat_area=area,
        listing_count=len(offers),
        ticket_count=sum(available for _price, _face, available in offers),
        min_price=min(prices),
        median_price=median((price, available) for price, _face, available in offers) or 0,
        max_price=max(prices),
        median_face_value=median((face, available) for _price, face, available in offers) or 0,
    )
