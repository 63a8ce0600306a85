"""Rating a seller and reading their reviews."""

from __future__ import annotations

from fastapi import APIRouter, status

from pitchaseat.accounts.deps import CurrentUser
from pitchaseat.orders.deps import OwnedOrder
from pitchaseat.reviews import service
from pitchaseat.reviews.schemas import ReplyIn, ReviewIn, ReviewOut
from pitchaseat.reviews.score import RatingPrior
from pitchaseat.web.deps import ServicesDep, SessionDep
from pitchaseat.web.openapi import error_responses
from pitchaseat.web.pagination import Page, PageDep
from pitchaseat.web.params import IdPath

router = APIRouter(prefix="/api/v1", tags=["reviews"])


def rating_prior(services: ServicesDep) -> RatingPrior:
    settings = services.settings
    return RatingPrior(settings.rating_prior_mean, settings.rating_prior_weight)


@router.post(
    "/orders/{order_id}/review",
    status_code=status.HTTP_201_CREATED,
    response_model=ReviewOut,
    responses=error_responses(401, 403, 404, 409, 422),
)
async def rate_order(
    order: OwnedOrder, body: ReviewIn, user: CurrentUser, session: SessionDep, services: ServicesDep
) -> ReviewOut:
    """The buyer of a completed order rates its seller, once."""
    review = await service.rate_seller(
        session,
        order,
        user.id,
        rating=body.rating,
        comment=body.comment or None,
        prior=rating_prior(services),
    )
    return ReviewOut.model_validate(review)


@router.post(
    "/reviews/{review_id}/reply",
    response_model=ReviewOut,
    responses=error_responses(401, 404, 409, 422),
)
async def reply_to_review(
    review_id: IdPath, body: ReplyIn, user: CurrentUser, session: SessionDep
) -> ReviewOut:
    """The rated seller answers a review, once; anyone else's review is 404."""
    return ReviewOut.model_validate(
        await service.reply(session, review_id, user.id, text=body.reply)
    )


@router.get(
    "/users/{user_id}/reviews",
    response_model=Page[ReviewOut],
    responses=error_responses(404, 422),
)
async def user_reviews(user_id: IdPath, session: SessionDep, page: PageDep) -> Page[ReviewOut]:
    found = await service.seller_reviews(session, user_id, offset=page.offset, limit=page.page_size)
    return Page[ReviewOut](
        items=[ReviewOut.model_validate(review) for review in found.reviews],
        page=page.page,
        page_size=page.page_size,
        total=found.total,
    )
