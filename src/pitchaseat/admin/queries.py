"""What the console looks up: listings and users by search, a user's whole story."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import String, cast, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts.models import User
from pitchaseat.admin.models import ListingReport, ReportStatus
from pitchaseat.listings.models import Listing
from pitchaseat.orders.codes import OrderEventCode
from pitchaseat.orders.models import Order, OrderEvent
from pitchaseat.reviews.models import Review
from pitchaseat.timeutil import taipei_day_bounds_utc, to_taipei, utcnow


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


async def search_listings(
    session: AsyncSession,
    *,
    game_id: int | None = None,
    seller_id: int | None = None,
    text: str | None = None,
    reported_only: bool = False,
    limit: int = 50,
) -> list[tuple[Listing, int]]:
    """(listing, open reports) newest first."""
    open_reports = (
        select(func.count(ListingReport.id))
        .where(ListingReport.listing_id == Listing.id, ListingReport.status == ReportStatus.open)
        .scalar_subquery()
    )
    query = select(Listing, open_reports.label("open_reports"))
    if game_id is not None:
        query = query.where(Listing.game_id == game_id)
    if seller_id is not None:
        query = query.where(Listing.seller_id == seller_id)
    if text:
        pattern = _like(text)
        query = query.where(
            or_(
                func.lower(func.coalesce(Listing.note, "")).like(pattern, escape="\\"),
                func.lower(func.coalesce(Listing.seats, "")).like(pattern, escape="\\"),
                cast(Listing.id, String) == text.strip(),
            )
        )
    if reported_only:
        query = query.where(open_reports > 0)
    rows = await session.execute(query.order_by(Listing.id.desc()).limit(limit))
    return [(listing, int(count or 0)) for listing, count in rows.all()]


async def search_users(session: AsyncSession, text: str | None, *, limit: int = 50) -> list[User]:
    query = select(User)
    if text:
        pattern = _like(text)
        query = query.where(
            or_(
                func.lower(User.email).like(pattern, escape="\\"),
                func.lower(User.display_name).like(pattern, escape="\\"),
                cast(User.id, String) == text.strip(),
            )
        )
    return list(await session.scalars(query.order_by(User.id.desc()).limit(limit)))


@dataclass(frozen=True)
class UserStory:
    user: User
    listings: list[Listing]
    orders: list[Order]
    reviews: list[Review]
    reports: list[ListingReport]


async def user_story(session: AsyncSession, user: User) -> UserStory:
    listings = await session.scalars(
        select(Listing).where(Listing.seller_id == user.id).order_by(Listing.id.desc()).limit(50)
    )
    orders = await session.scalars(
        select(Order)
        .where(or_(Order.buyer_id == user.id, Order.seller_id == user.id))
        .order_by(Order.id.desc())
        .limit(50)
    )
    reviews = await session.scalars(
        select(Review)
        .where(or_(Review.seller_id == user.id, Review.buyer_id == user.id))
        .order_by(Review.id.desc())
        .limit(50)
    )
    reports = await session.scalars(
        select(ListingReport)
        .where(
            or_(
                ListingReport.reporter_id == user.id,
                ListingReport.listing_id.in_(
                    select(Listing.id).where(Listing.seller_id == user.id)
                ),
            )
        )
        .order_by(ListingReport.id.desc())
        .limit(50)
    )
    return UserStory(user, list(listings), list(orders), list(reviews), list(reports))


@dataclass(frozen=True)
class TodaySales:
    orders: int
    tickets: int
    amount: int


async def today_sales(session: AsyncSession) -> TodaySales:
    """Orders paid since midnight in Taipei (whatever happened to them afterwards)."""
    today = to_taipei(utcnow()).date()
    start, _end = taipei_day_bounds_utc(today, today)
    paid_today = select(OrderEvent.order_id).where(
        OrderEvent.action == OrderEventCode.charge_succeeded.value, OrderEvent.at >= start
    )
    row = (
        await session.execute(
            select(
                func.count(Order.id),
                func.coalesce(func.sum(Order.quantity), 0),
                func.coalesce(func.sum(Order.amount), 0),
            ).where(Order.id.in_(paid_today))
        )
    ).one()
    return TodaySales(int(row[0] or 0), int(row[1] or 0), int(row[2] or 0))
