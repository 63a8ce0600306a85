"""Reservation pages: one click on a game page, and the fan's list with delete."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from pitchaseat.accounts.deps import PageUser, cookie_user
from pitchaseat.catalog.models import Game, SeatArea
from pitchaseat.db import rollback
from pitchaseat.errors import DomainError, InvalidInput, NotFound
from pitchaseat.reservations import service
from pitchaseat.reservations.api import shown
from pitchaseat.reservations.schemas import ReservationIn
from pitchaseat.web.csrf import require_form_csrf
from pitchaseat.web.deps import SessionDep
from pitchaseat.web.forms import FormErrors
from pitchaseat.web.params import IdPath
from pitchaseat.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(cookie_user)])


RESERVE_FIELDS = frozenset({"seat_area", "max_price"})


async def _game_and_areas(session: AsyncSession, game_id: int) -> tuple[Game, list[SeatArea]]:
    game = await session.scalar(
        select(Game)
        .where(Game.id == game_id)
        .options(joinedload(Game.home_team), joinedload(Game.away_team))
    )
    if game is None:
        raise NotFound("No such game.")
    areas = await session.scalars(
        select(SeatArea).where(SeatArea.stadium_id == game.stadium_id).order_by(SeatArea.id)
    )
    return game, list(areas)


async def _reserve_page(
    request: Request,
    session: AsyncSession,
    game_id: int,
    values: dict[str, str],
    errors: FormErrors | None = None,
) -> Response:
    game, areas = await _game_and_areas(session, game_id)
    context = {
        "game": game,
        "seat_areas": areas,
        "reserve_values": values,
        "reserve_errors": errors,
    }
    status = errors.status if errors else 200
    return render(request, "reservations/new.html", context, status_code=status)


@router.get("/games/{game_id}/reserve")
async def reserve_page(
    request: Request, game_id: IdPath, user: PageUser, session: SessionDep
) -> Response:
    if user is None:
        return RedirectResponse(f"/login?next=/games/{game_id}/reserve", status_code=303)
    return await _reserve_page(request, session, game_id, {})


@router.post("/games/{game_id}/reserve")
async def reserve(
    request: Request, game_id: IdPath, user: PageUser, session: SessionDep
) -> Response:
    if user is None:
        return RedirectResponse(f"/login?next=/games/{game_id}", status_code=303)
    form = await request.form()
    require_form_csrf(request, form.get("csrf_token"))
    values = {name: str(form.get(name) or "").strip() for name in RESERVE_FIELDS}
    try:
        if values["max_price"] and not values["max_price"].isdigit():
            raise InvalidInput(field="max_price")
        body = ReservationIn(
            game_id=game_id,
            seat_areas=[values["seat_area"]] if values["seat_area"] else [],
            max_price=int(values["max_price"]) if values["max_price"] else None,
        )
        await service.add_reservation(session, user.id, service.NewReservation(**body.model_dump()))
    except (ValidationError, DomainError) as error:
        await rollback(session)
        errors = FormErrors.of(
            error,
            known=RESERVE_FIELDS,
            rename={"seat_areas": "seat_area"},
        )
        return await _reserve_page(request, session, game_id, values, errors)
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
    ids = {area.seat_area_id for r in found for area in r.areas}
    areas = (
        {a.id: a for a in await session.scalars(select(SeatArea).where(SeatArea.id.in_(ids)))}
        if ids
        else {}
    )
    context = {
        "reservations": await shown(session, found),
        # Seat areas by name, never by code.
        "area_names": {r.id: [areas[a.seat_area_id] for a in r.areas] for r in found},
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
