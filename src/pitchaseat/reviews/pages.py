"""A seller's public page: the smoothed score, the raw average and count, and the reviews,
with a reply form for the seller."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response

from pitchaseat.accounts.deps import PageUser, cookie_user
from pitchaseat.reviews import service
from pitchaseat.reviews.schemas import ReplyIn
from pitchaseat.web.csrf import require_form_csrf
from pitchaseat.web.deps import SessionDep
from pitchaseat.web.params import IdPath
from pitchaseat.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(cookie_user)])
PAGE_SIZE = 20


@router.get("/users/{user_id}")
async def seller_page(
    request: Request,
    user_id: IdPath,
    session: SessionDep,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    found = await service.seller_reviews(
        session, user_id, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    seller = found.seller
    average = round(seller.rating_sum / seller.rating_count, 2) if seller.rating_count else None
    context = {
        "seller": seller,
        "average": average,
        "reviews": found.reviews,
        "total": found.total,
        "page": page,
        "has_next": page * PAGE_SIZE < found.total,
    }
    return render(request, "reviews/seller.html", context)


@router.post("/reviews/{review_id}/reply")
async def reply(
    request: Request, review_id: IdPath, user: PageUser, session: SessionDep
) -> Response:
    if user is None:
        return RedirectResponse("/login", status_code=303)
    form = await request.form()
    require_form_csrf(request, form.get("csrf_token"))
    text = form.get("reply")
    body = ReplyIn(reply=text.strip() if isinstance(text, str) else "")
    review = await service.reply(session, review_id, user.id, text=body.reply)
    return RedirectResponse(f"/users/{review.seller_id}", status_code=303)
