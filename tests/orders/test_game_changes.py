"""Rainouts and called-off games, and an operator settling disputes."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.catalog.models import GameStatus
from pitchaseat.db import commit
from pitchaseat.errors import Conflict
from pitchaseat.orders.errors import InvalidOrderState
from pitchaseat.orders.workflows.disputes import DisputeOutcome, resolve_dispute
from pitchaseat.orders.workflows.game_changes import cancel_game, postpone_game
from pitchaseat.runtime import AppServices
from pitchaseat.timeutil import utcnow
from tests.factories import login_headers, make_game, make_listing, make_user
from tests.support.orders import PaidOrder, buy


async def listings_on_sale(client: httpx.AsyncClient, game_id: int) -> int:
    page = (await client.get(f"/api/v1/games/{game_id}/listings")).json()
    return int(page["total"])


async def status_of(client: httpx.AsyncClient, order: PaidOrder) -> str:
    return str((await client.get(order.url, headers=order.buyer)).json()["status"])


async def test_cancelled_game_refunds_every_open_order_and_closes_its_listings(
    client: httpx.AsyncClient, db_session: AsyncSession, services: AppServices
) -> None:
    game = await make_game(db_session)
    paid = await buy(client, db_session, game=game)
    shipped = await buy(client, db_session, game=game)
    await client.post(f"{shipped.url}/ship", json={"method": "e_ticket"}, headers=shipped.seller)
    fan = await make_user(db_session)
    held = await client.post(
        "/api/v1/orders",
        json={"listing_id": paid.listing_id, "quantity": 1},
        headers=await login_headers(client, fan.email),
    )

    change = await cancel_game(services.session_factory, services.payments, game.id)
    again = await cancel_game(services.session_factory, services.payments, game.id)

    assert sorted(change.refunded) == sorted([paid.id, shipped.id])
    assert change.holds_released == 1
    assert again.refunded == [] and again.holds_released == 0
    assert await status_of(client, paid) == await status_of(client, shipped) == "refunded"
    hold = held.json()
    assert (
        await client.get(
            f"/api/v1/orders/{hold['id']}", headers=await login_headers(client, fan.email)
        )
    ).json()["status"] == "cancelled"
    assert (await client.get(f"/api/v1/games/{game.id}")).json()["status"] == "cancelled"
    assert await listings_on_sale(client, game.id) == 0
    listing = (await client.get(f"/api/v1/listings/{paid.listing_id}")).json()
    assert listing["status"] == "expired"


async def test_postponed_game_pauses_sales_until_a_make_up_date(
    client: httpx.AsyncClient, db_session: AsyncSession, services: AppServices
) -> None:
    game = await make_game(db_session)
    seller = await make_user(db_session)
    buyer = await make_user(db_session)
    listing = await make_listing(db_session, seller, game)
    assert await listings_on_sale(client, game.id) == 1

    await postpone_game(db_session, game.id, makeup_starts_at=None)
    await commit(db_session)
    paused = await listings_on_sale(client, game.id)
    refused = await client.post(
        "/api/v1/orders",
        json={"listing_id": listing.id, "quantity": 1},
        headers=await login_headers(client, buyer.email),
    )
    makeup = utcnow() + timedelta(days=40)
    change = await postpone_game(db_session, game.id, makeup_starts_at=makeup)
    await commit(db_session)

    assert paused == 0
    assert refused.status_code == 409
    assert change.status is GameStatus.scheduled
    assert await listings_on_sale(client, game.id) == 1
    moved = (await client.get(f"/api/v1/games/{game.id}")).json()
    assert moved["status"] == "scheduled"


async def test_buyer_may_cancel_for_a_refund_only_while_the_game_has_no_new_date(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    game = await make_game(db_session)
    before_postponement = await buy(client, db_session, game=game)
    refused_before = await client.post(
        f"{before_postponement.url}/cancel", headers=before_postponement.buyer
    )
    await postpone_game(db_session, game.id, makeup_starts_at=None)
    await commit(db_session)

    cancelled = await client.post(
        f"{before_postponement.url}/cancel", headers=before_postponement.buyer
    )

    assert refused_before.status_code == 403
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "refunded"
    assert cancelled.json()["history"][-1]["action"] == "payments.refund.game_postponed"


async def test_a_played_game_cannot_be_postponed_or_cancelled(
    db_session: AsyncSession, services: AppServices
) -> None:
    game = await make_game(db_session)
    game.status = GameStatus.final
    game_id = game.id
    await db_session.commit()

    with pytest.raises(Conflict):
        await postpone_game(db_session, game_id, makeup_starts_at=None)
    await db_session.rollback()
    with pytest.raises(Conflict):
        await cancel_game(services.session_factory, services.payments, game_id)


@pytest.mark.parametrize("outcome", list(DisputeOutcome))
async def test_operator_resolves_a_dispute(
    client: httpx.AsyncClient, services: AppServices, paid: PaidOrder, outcome: DisputeOutcome
) -> None:
    await client.post(
        f"{paid.url}/dispute", json={"reason": "Seats were wrong"}, headers=paid.buyer
    )

    resolved = await resolve_dispute(
        services.session_factory, services.payments, paid.id, outcome, note="checked photos"
    )

    assert resolved.status.value == outcome.value
    order = (await client.get(paid.url, headers=paid.seller)).json()
    assert order["history"][-1]["action"] in ("orders.dispute.resolved",)


async def test_only_a_disputed_order_can_be_resolved(
    services: AppServices, paid: PaidOrder
) -> None:
    with pytest.raises(InvalidOrderState):
        await resolve_dispute(
            services.session_factory,
            services.payments,
            paid.id,
            DisputeOutcome.completed,
            note="no dispute",
        )
