"""Reservation pages: one click on a game page, and the fan's list with delete."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from pitchaseat.accounts.deps import PageUser, cookie_user
from pitchaseat.catalog.models import Game
from pitchaseat.errors import InvalidInput
from pitchaseat.reservations import service
from pitchaseat.reservations.api import shown
from pitchaseat.reservations.schemas import ReservationIn
from pitchaseat.web.csrf import require_form_csrf
from pitchaseat.web.deps import SessionDep
from pitchaseat.web.params import IdPath
from pitchaseat.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(cookie_user)])


@router.post("/games/{game_id}/reserve")
async def reserve(
    request: Request, game_id: IdPath, user: PageUser, session: SessionDep
) -> Response:
    if user is None:
        return RedirectResponse(f"/login?next=/games/{game_id}", status_code=303)
    form = await request.form()
    require_form_csrf(request, form.get("csrf_token"))
    area = form.get("seat_area")
    max_price = form.get("max_price")
    try:
        body = ReservationIn(
            game_id=game_id,
            seat_areas=[area] if isinstance(area, str) and area else [],
            max_price=int(max_price)
            if isinstance(max_price, str) and max_price.isdigit()
            else None,
        )
    except ValidationError as error:
        raise InvalidInput("Some fields are missing or invalid.") from error
    await service.add_reservation(session, user.id, service.NewReservation(**body.model_dump()))
    return RedirectResponse("/me/reservations?saved=1", status_code=303)


@router.get("/me/reservations")
async def my_reservations(request: Request, user: PageUser, session: SessionDep) -> Response:
    if user is None:
        return RedirectResponse("/login?next=/me/reservations", status_code=303)
    found, _total = await service.list_reservations(session, user.id, offset=0, limit=100)
    games = {
        game.id: game
        for game in await session.scalars(
            select(Game)
            .where(Game.id.in_({r.game_id for r in found}))
            .options(joinedload(Game.home_team), joinedload(Game.away_team))
        )
    }
    context = {
        "reservations": await shown(session, found),
        "games": games,
        "saved": bool(request.query_params.get("saved")),
    }
    return render(request, "reservations/list.html", context)


@router.post("/me/reservations/{reservation_id}/delete")
async def delete(
    request: Request, reservation_id: IdPath, user: PageUser, session: SessionDep
) -> Response:
    if user is None:
        return RedirectResponse("/login?next=/me/reservations", status_code=303)
    form = await request.form()
    require_form_csrf(request, form.get("csrf_token"))
    reservation = await service.owned_reservation(session, reservation_id, user.id)
    await service.delete_reservation(session, reservation)
    return RedirectResponse("/me/reservations", status_code=303)
