"""Escrow ends by the clock: unshipped orders are refunded before the game, shipped ones
complete after it; sales close when there is no time left to ship."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.catalog.models import Game, GameStatus
from pitchaseat.db import commit
from pitchaseat.orders.deadlines import complete_after_game
from pitchaseat.orders.workflows.ship_deadline import refund_missed_shipments
from pitchaseat.runtime import AppServices
from pitchaseat.timeutil import utcnow
from tests.factories import login_headers, make_game, make_listing, make_user
from tests.support.orders import PaidOrder, buy

SHIP_DEADLINE = timedelta(minutes=30)
AFTER_GAME = timedelta(hours=72)


async def move_game(
    db_session: AsyncSession,
    game_id: int,
    *,
    starts_in: timedelta,
    status: GameStatus | None = None,
) -> None:
    values: dict[str, object] = {"starts_at": utcnow() + starts_in}
    if status is not None:
        values["status"] = status
    await db_session.execute(update(Game).where(Game.id == game_id).values(**values))
    await db_session.commit()


async def order_json(client: httpx.AsyncClient, order: PaidOrder) -> dict[str, object]:
    response = await client.get(order.url, headers=order.buyer)
    body: dict[str, object] = response.json()
    return body


async def listing_available(client: httpx.AsyncClient, listing_id: int) -> int:
    listing = (await client.get(f"/api/v1/listings/{listing_id}")).json()
    return int(listing["available_quantity"])


async def test_unshipped_order_is_refunded_at_the_deadline_and_tickets_return(
    client: httpx.AsyncClient, db_session: AsyncSession, services: AppServices, paid: PaidOrder
) -> None:
    before = await listing_available(client, paid.listing_id)
    await move_game(db_session, paid.game_id, starts_in=timedelta(minutes=20))

    refunded = await refund_missed_shipments(services.session_factory, services.payments)

    assert refunded == [paid.id]
    order = await order_json(client, paid)
    assert order["status"] == "refunded"
    assert order["history"][-1]["action"] == "payments.refund.ship_deadline_missed"  # type: ignore[index]
    assert await listing_available(client, paid.listing_id) == before + 1


async def test_order_with_time_left_to_ship_is_not_refunded(
    client: httpx.AsyncClient, db_session: AsyncSession, services: AppServices, paid: PaidOrder
) -> None:
    await move_game(db_session, paid.game_id, starts_in=timedelta(hours=2))

    refunded = await refund_missed_shipments(services.session_factory, services.payments)

    assert refunded == []
    assert (await order_json(client, paid))["status"] == "paid"


async def test_refund_after_the_game_began_does_not_return_tickets(
    client: httpx.AsyncClient, db_session: AsyncSession, services: AppServices, paid: PaidOrder
) -> None:
    before = await listing_available(client, paid.listing_id)
    await move_game(db_session, paid.game_id, starts_in=-timedelta(minutes=5))

    await refund_missed_shipments(services.session_factory, services.payments)

    assert (await order_json(client, paid))["status"] == "refunded"
    listing = (await client.get(f"/api/v1/listings/{paid.listing_id}")).json()
    assert listing["available_quantity"] == before


async def test_shipped_order_completes_a_set_time_after_its_game(
    client: httpx.AsyncClient, db_session: AsyncSession, paid: PaidOrder
) -> None:
    await client.post(f"{paid.url}/ship", json={"method": "e_ticket"}, headers=paid.seller)
    await move_game(db_session, paid.game_id, starts_in=-(AFTER_GAME + timedelta(minutes=1)))

    completed = await complete_after_game(db_session, after_game=AFTER_GAME)
    await commit(db_session)

    assert completed == 1
    order = await order_json(client, paid)
    assert order["status"] == "completed"
    assert order["history"][-1]["action"] == "orders.completed.automatically"  # type: ignore[index]


async def test_auto_complete_waits_for_its_time_and_skips_disputes_and_postponed_games(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    too_soon = await buy(client, db_session)
    disputed = await buy(client, db_session)
    postponed = await buy(client, db_session)
    for order in (too_soon, disputed, postponed):
        await client.post(f"{order.url}/ship", json={"method": "e_ticket"}, headers=order.seller)
    await client.post(
        f"{disputed.url}/dispute", json={"reason": "Wrong seats"}, headers=disputed.buyer
    )
    await move_game(db_session, too_soon.game_id, starts_in=-(AFTER_GAME - timedelta(hours=1)))
    await move_game(db_session, disputed.game_id, starts_in=-(AFTER_GAME + timedelta(hours=1)))
    await move_game(
        db_session,
        postponed.game_id,
        starts_in=-(AFTER_GAME + timedelta(hours=1)),
        status=GameStatus.postponed,
    )

    completed = await complete_after_game(db_session, after_game=AFTER_GAME)

    assert completed == 0


async def test_sales_close_when_there_is_no_time_left_to_ship(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    seller = await make_user(db_session)
    buyer = await make_user(db_session)
    game = await make_game(db_session, starts_at=utcnow() + timedelta(hours=2))
    listing = await make_listing(db_session, seller, game)
    game.starts_at = utcnow() + timedelta(minutes=20)  # time passes: 20 minutes to go
    await db_session.commit()

    response = await client.post(
        "/api/v1/orders",
        json={"listing_id": listing.id, "quantity": 1},
        headers=await login_headers(client, buyer.email),
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "game_not_on_sale"
