"""Order pages through plain forms: who sees what, and the actions each side may take."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import make_game, make_listing, make_user
from tests.support.orders import PaidOrder
from tests.web.test_pages import csrf_of, log_in_with_form


async def test_buying_from_the_game_page_opens_the_checkout(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    seller = await make_user(db_session)
    buyer = await make_user(db_session)
    game = await make_game(db_session)
    listing = await make_listing(db_session, seller, game, quantity=3)
    await log_in_with_form(client, buyer.email)
    game_page = await client.get(f"/games/{game.id}")

    bought = await client.post(
        f"/listings/{listing.id}/buy",
        data={"csrf_token": csrf_of(game_page.text), "quantity": "2"},
    )
    checkout = await client.get(bought.headers["location"])

    assert bought.status_code == 303
    assert checkout.status_code == 200
    assert 'id="hold-countdown"' in checkout.text
    assert 'id="pay-form"' in checkout.text
    assert "NT$900" in checkout.text


async def test_an_order_page_is_404_for_anyone_but_its_buyer_and_seller(
    client: httpx.AsyncClient, db_session: AsyncSession, paid: PaidOrder
) -> None:
    stranger = await make_user(db_session)
    await log_in_with_form(client, stranger.email)

    response = await client.get(f"/orders/{paid.id}")

    assert response.status_code == 404


async def test_seller_sees_the_ship_form_and_the_buyer_the_deadline(
    client: httpx.AsyncClient, db_session: AsyncSession, paid: PaidOrder
) -> None:
    await log_in_with_form(client, paid.seller_email)
    seller_page = await client.get(f"/orders/{paid.id}")
    client.cookies.clear()
    await log_in_with_form(client, paid.buyer_email)
    buyer_page = await client.get(f"/orders/{paid.id}")

    assert seller_page.status_code == 200
    assert 'id="ship-form"' in seller_page.text
    assert 'id="ship-by"' in buyer_page.text
    assert 'id="ship-form"' not in buyer_page.text


async def test_logged_out_visitors_are_sent_to_log_in(client: httpx.AsyncClient) -> None:
    for path in ("/orders/1", "/me/purchases", "/me/sales"):
        response = await client.get(path)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")


async def test_each_side_reads_the_timeline_in_words_meant_for_them(
    client: httpx.AsyncClient, paid: PaidOrder
) -> None:
    await log_in_with_form(client, paid.seller_email)
    seller_page = await client.get(f"/orders/{paid.id}")
    client.cookies.clear()
    await log_in_with_form(client, paid.buyer_email)
    buyer_page = await client.get(f"/orders/{paid.id}")

    assert "有買家正在保留這些票券" in seller_page.text
    assert "已為您保留票券" not in seller_page.text
    assert "已為您保留票券" in buyer_page.text
