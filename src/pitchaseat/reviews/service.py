"""Rating a seller, replying, and reading a seller's reviews."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts.models import User
from pitchaseat.errors import NotFound, PermissionDenied
from pitchaseat.notifications.kinds import Kind
from pitchaseat.notifications.service import notify
from pitchaseat.orders.models import Order, OrderStatus
from pitchaseat.reviews.errors import AlreadyReplied, AlreadyReviewed, NotReviewable
from pitchaseat.reviews.models import Review
from pitchaseat.reviews.score import RatingPrior, smoothed_score
from pitchaseat.timeutil import utcnow


async def rate_seller(
    session: AsyncSession,
    order: Order,
    buyer_id: int,
    *,
    rating: int,
    comment: str | None,
    prior: RatingPrior,
) -> Review:
    if buyer_id != order.buyer_id:
        raise PermissionDenied("Only the buyer rates the seller.")
    if order.status is not OrderStatus.completed:
        raise NotReviewable()
    if await session.scalar(select(Review.id).where(Review.order_id == order.id)):
        raise AlreadyReviewed()
    review = Review(
        order_id=order.id,
        seller_id=order.seller_id,
        buyer_id=buyer_id,
        rating=rating,
        comment=comment,
    )
    session.add(review)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as error:  # the same review posted twice at once
        raise AlreadyReviewed() from error
    await _refresh_seller_score(session, order.seller_id, prior)
    await notify(
        session,
        user_id=order.seller_id,
        kind=Kind.rating_received,
        params={"order_id": order.id, "rating": rating},
        link=f"/users/{order.seller_id}",
        order_id=order.id,
    )
    return review


async def _refresh_seller_score(session: AsyncSession, seller_id: int, prior: RatingPrior) -> None:
    """Recounts from the reviews themselves, so the figures can never drift."""
    count, total = (
        await session.execute(
            select(func.count(Review.id), func.coalesce(func.sum(Review.rating), 0)).where(
                Review.seller_id == seller_id
            )
        )
    ).one()
    await session.execute(
        update(User)
        .where(User.id == seller_id)
        .values(
            rating_count=int(count),
            rating_sum=int(total),
            seller_score=smoothed_score(int(total), int(count), prior),
        )
        .execution_options(synchronize_session=False)
    )


async def reply(session: AsyncSession, review_id: int, seller_id: int, *, text: str) -> Review:
    review = await session.get(Review, review_id)
    if review is None or review.seller_id != seller_id:
        raise NotFound("No such review.")
    if review.reply is not None:
        raise AlreadyReplied()
    review.reply = text
    review.replied_at = utcnow()
    await session.flush()
    return review


@dataclass(frozen=True)
class SellerReviews:
    seller: User
    reviews: list[Review]
    total: int


async def seller_reviews(
    session: AsyncSession, seller_id: int, *, offset: int = 0, limit: int = 20
) -> SellerReviews:
    seller = await session.get(User, seller_id)
    if seller is None:
        raise NotFound("No such user.")
    total = await session.scalar(select(func.count(Review.id)).where(Review.seller_id == seller_id))
    reviews = await session.scalars(
        select(Review)
        .where(Review.seller_id == seller_id)
        .order_by(Review.created_at.desc(), Review.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return SellerReviews(seller, list(reviews), int(total or 0))


async def review_of_order(session: AsyncSession, order_id: int) -> Review | None:
    return await session.scalar(select(Review).where(Review.order_id == order_id))
