"""Reservations: tell me when tickets for this game appear."""

from __future__ import annotations

from fastapi import APIRouter, Response, status
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts.deps import CurrentUser
from pitchaseat.catalog.models import Game, SeatArea
from pitchaseat.catalog.sales import on_sale_clause, sales_cutoff
from pitchaseat.reservations import service
from pitchaseat.reservations.models import Reservation
from pitchaseat.reservations.schemas import ReservationIn, ReservationOut
from pitchaseat.timeutil import utcnow
from pitchaseat.web.deps import SessionDep
from pitchaseat.web.openapi import error_responses
from pitchaseat.web.pagination import Page, PageDep
from pitchaseat.web.params import IdPath

router = APIRouter(prefix="/api/v1", tags=["reservations"])


async def shown(session: AsyncSession, reservations: list[Reservation]) -> list[ReservationOut]:
    """With seat area codes and whether each is still live, in two queries for the page."""
    area_ids = {area.seat_area_id for r in reservations for area in r.areas}
    codes = (
        dict(
            (
                await session.execute(
                    select(SeatArea.id, SeatArea.code).where(SeatArea.id.in_(area_ids))
                )
            ).all()
        )
        if area_ids
        else {}
    )
    games = (
        dict(
            (
                await session.execute(
                    select(Game.id, on_sale_clause(sales_cutoff(utcnow()))).where(
                        Game.id.in_({r.game_id for r in reservations})
                    )
                )
            ).all()
        )
        if reservations
        else {}
    )
    return [
        ReservationOut(
            id=r.id,
            game_id=r.game_id,
            seat_areas=service.area_codes(r, codes),
            min_price=r.min_price,
            max_price=r.max_price,
            quantity=r.quantity,
            active=bool(games.get(r.game_id)),
            created_at=r.created_at,
        )
        for r in reservations
    ]


@router.post(
    "/reservations",
    status_code=status.HTTP_201_CREATED,
    response_model=ReservationOut,
    responses=error_responses(401, 404, 409, 422),
)
async def add_reservation(
    body: ReservationIn, user: CurrentUser, session: SessionDep
) -> ReservationOut:
    reservation = await service.add_reservation(
        session, user.id, service.NewReservation(**body.model_dump())
    )
    return (await shown(session, [reservation]))[0]


@router.get(
    "/reservations", response_model=Page[ReservationOut], responses=error_responses(401, 422)
)
async def list_reservations(
    user: CurrentUser, session: SessionDep, page: PageDep
) -> Page[ReservationOut]:
    found, total = await service.list_reservations(
        session, user.id, offset=page.offset, limit=page.page_size
    )
    return Page[ReservationOut](
        items=await shown(session, found), page=page.page, page_size=page.page_size, total=total
    )


@router.delete(
    "/reservations/{reservation_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(401, 404, 422),
)
async def delete_reservation(
    reservation_id: IdPath, user: CurrentUser, session: SessionDep
) -> Response:
    reservation = await service.owned_reservation(session, reservation_id, user.id)
    await service.delete_reservation(session, reservation)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
