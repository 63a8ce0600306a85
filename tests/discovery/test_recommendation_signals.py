"""What the online recommender reads from the database: reservations, prices paid, each
game's lowest price; and that a reservation moves the pick."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts.models import User
from pitchaseat.discovery.signals import candidates, user_signals
from pitchaseat.timeutil import utcnow
from tests.factories import login_headers, make_game, make_listing, make_user
from tests.support.orders import buy


async def test_a_reserved_game_is_recommended_first_and_says_so(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    fan, seller = await make_user(db_session), await make_user(db_session)
    popular, waited_for = await make_game(db_session), await make_game(db_session, home="UL")
    await buy(client, db_session, game=popular, quantity=3)
    await make_listing(db_session, seller, waited_for)
    headers = await login_headers(client, fan.email)
    reserved = await client.post(
        "/api/v1/reservations", json={"game_id": waited_for.id}, headers=headers
    )

    body = (await client.get("/api/v1/recommendations", headers=headers)).json()

    assert reserved.status_code == 201, reserved.text
    first = body["items"][0]
    assert first["game"]["id"] == waited_for.id
    assert "reserved" in [reason["code"] for reason in first["reasons"]]


async def test_signals_carry_the_price_paid_and_each_games_lowest_price(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    game = await make_game(db_session)
    order = await buy(client, db_session, game=game, price=640)
    await make_listing(db_session, await make_user(db_session), game, price=380)
    buyer_id = await db_session.scalar(select(User.id).where(User.email == order.buyer_email))
    assert buyer_id is not None

    signals = await user_signals(db_session, buyer_id, utcnow())
    on_sale = {c.game.game_id: c for c in await candidates(db_session, utcnow())}

    assert [(p.game.game_id, p.unit_price) for p in signals.purchases] == [(game.id, 640)]
    assert on_sale[game.id].cheapest_price == 380
