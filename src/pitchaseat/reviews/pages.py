"""A seller's public page: the smoothed score, the raw average and count, and the reviews,
with a reply form for the seller."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts.deps import PageUser, cookie_user
from pitchaseat.db import rollback
from pitchaseat.errors import DomainError, NotFound
from pitchaseat.reviews import service
from pitchaseat.reviews.schemas import ReplyIn
from pitchaseat.web.csrf import require_form_csrf
from pitchaseat.web.deps import SessionDep
from pitchaseat.web.forms import FormErrors
from pitchaseat.web.params import IdPath
from pitchaseat.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(cookie_user)])
PAGE_SIZE = 20


async def _seller_page(
    request: Request,
    session: AsyncSession,
    user_id: int,
    page: int = 1,
    *,
    refused: tuple[int, str, FormErrors] | None = None,
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
        # A refused reply comes back beside its review, with the text kept.
        "reply_to": refused[0] if refused else None,
        "reply_text": refused[1] if refused else "",
        "reply_errors": refused[2] if refused else None,
    }
    status = refused[2].status if refused else 200
    return render(request, "reviews/seller.html", context, status_code=status)


@router.get("/users/{user_id}")
async def seller_page(
    request: Request,
    user_id: IdPath,
    session: SessionDep,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    return await _seller_page(request, session, user_id, page)


@router.post("/reviews/{review_id}/reply")
async def reply(
    request: Request, review_id: IdPath, user: PageUser, session: SessionDep
) -> Response:
    if user is None:
        return RedirectResponse("/login", status_code=303)
    user_id = user.id
    form = await request.form()
    require_form_csrf(request, form.get("csrf_token"))
    text = form.get("reply")
    typed = text.strip() if isinstance(text, str) else ""
    try:
        body = ReplyIn(reply=typed)
        review = await service.reply(session, review_id, user_id, text=body.reply)
    except (ValidationError, DomainError) as error:
        if isinstance(error, NotFound):
            raise
        await rollback(session)
        errors = FormErrors.of(error, known=frozenset({"reply"}))
        return await _seller_page(request, session, user_id, refused=(review_id, typed, errors))
    return RedirectResponse(f"/users/{review.seller_id}", status_code=303)
