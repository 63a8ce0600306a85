"""Reservations: add, list, delete; and the request to match a listing against them, written
in the transaction that changed the listing so it is never lost."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from pitchaseat.catalog.models import Game, SeatArea
from pitchaseat.catalog.sales import is_on_sale
from pitchaseat.errors import NotFound
from pitchaseat.listings.errors import UnknownSeatArea
from pitchaseat.reservations.errors import BadPriceRange, ReservationClosed, TooManyReservations
from pitchaseat.reservations.models import (
    Reservation,
    ReservationAlert,
    ReservationSeatArea,
)
from pitchaseat.timeutil import utcnow

MAX_RESERVATIONS_PER_USER = 100


@dataclass(frozen=True)
class NewReservation:
    game_id: int
    seat_areas: Sequence[str] = ()
    min_price: int | None = None
    max_price: int | None = None
    quantity: int = 1


async def add_reservation(session: AsyncSession, user_id: int, new: NewReservation) -> Reservation:
    game = await session.get(Game, new.game_id)
    if game is None:
        raise NotFound("No such game.")
    if not is_on_sale(game, utcnow()):
        raise ReservationClosed()
    if new.min_price is not None and new.max_price is not None and new.min_price > new.max_price:
        raise BadPriceRange()
    held = await session.scalar(
        select(func.count(Reservation.id)).where(Reservation.user_id == user_id)
    )
    if int(held or 0) >= MAX_RESERVATIONS_PER_USER:
        raise TooManyReservations()
    area_ids: list[int] = []
    if new.seat_areas:
        found = dict(
            (
                await session.execute(
                    select(SeatArea.code, SeatArea.id).where(
                        SeatArea.stadium_id == game.stadium_id,
                        SeatArea.code.in_(set(new.seat_areas)),
                    )
                )
            ).all()
        )
        unknown = sorted(set(new.seat_areas) - found.keys())
        if unknown:
            raise UnknownSeatArea(seat_area=unknown[0])
        area_ids = sorted(found.values())
    reservation = Reservation(
        user_id=user_id,
        game_id=game.id,
        min_price=new.min_price,
        max_price=new.max_price,
        quantity=new.quantity,
    )
    reservation.areas = [ReservationSeatArea(seat_area_id=area_id) for area_id in area_ids]
    session.add(reservation)
    await session.flush()
    return await _loaded(session, reservation.id)


async def _loaded(session: AsyncSession, reservation_id: int) -> Reservation:
    reservation = await session.scalar(
        select(Reservation)
        .where(Reservation.id == reservation_id)
        .options(selectinload(Reservation.areas))
        .execution_options(populate_existing=True)
    )
    assert reservation is not None
    return reservation


async def list_reservations(
    session: AsyncSession, user_id: int, *, offset: int, limit: int
) -> tuple[list[Reservation], int]:
    total = await session.scalar(
        select(func.count(Reservation.id)).where(Reservation.user_id == user_id)
    )
    rows = await session.scalars(
        select(Reservation)
        .where(Reservation.user_id == user_id)
        .options(selectinload(Reservation.areas))
        .order_by(Reservation.created_at.desc(), Reservation.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return list(rows), int(total or 0)


async def owned_reservation(
    session: AsyncSession, reservation_id: int, user_id: int
) -> Reservation:
    """Someone else's reservation is 404, as if it did not exist."""
    reservation = await session.get(Reservation, reservation_id)
    if reservation is None or reservation.user_id != user_id:
        raise NotFound("No such reservation.")
    return reservation


async def delete_reservation(session: AsyncSession, reservation: Reservation) -> None:
    # Explicit, child rows first: every backend, with or without its cascade switched on.
    for model in (ReservationSeatArea, ReservationAlert):
        await session.execute(
            delete(model)
            .where(model.reservation_id == reservation.id)
            .execution_options(synchronize_session=False)
        )
    await session.execute(
        delete(Reservation)
        .where(Reservation.id == reservation.id)
        .execution_options(synchronize_session=False)
    )


def area_codes(reservation: Reservation, codes_by_id: dict[int, str]) -> list[str]:
    return sorted(codes_by_id[area.seat_area_id] for area in reservation.areas)
