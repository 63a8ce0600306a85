"""The home page's trending board and picks, the seller page, and rating through the form."""

from __future__ import annotations

import re

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import make_game
from tests.support.orders import PaidOrder, buy
from tests.web.test_pages import csrf_of, log_in_with_form


async def test_home_shows_the_trending_board_and_picks_with_reasons(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    game = await make_game(db_session)
    await buy(client, db_session, game=game, quantity=2)

    page = await client.get("/")

    assert page.status_code == 200
    assert re.search(rf'<li data-game-id="{game.id}" data-trade-count="2">', page.text)
    assert 'id="recommended"' in page.text
    assert 'data-code="popular"' in page.text


async def test_buyer_rates_through_the_order_page_and_the_seller_page_shows_it(
    client: httpx.AsyncClient, paid: PaidOrder
) -> None:
    await client.post(f"{paid.url}/ship", json={"method": "e_ticket"}, headers=paid.seller)
    await client.post(f"{paid.url}/confirm", headers=paid.buyer)
    await log_in_with_form(client, paid.buyer_email)
    order_page = await client.get(f"/orders/{paid.id}")

    rated = await client.post(
        f"/orders/{paid.id}/review",
        data={"csrf_token": csrf_of(order_page.text), "rating": "4", "comment": "好賣家"},
    )
    after = await client.get(f"/orders/{paid.id}")
    seller_page = await client.get(f"/users/{paid.seller_id}")

    assert 'id="review-form"' in order_page.text
    assert rated.status_code == 303
    assert 'data-rating="4"' in after.text and 'id="review-form"' not in after.text
    assert 'data-count="1"' in seller_page.text
    assert "好賣家" in seller_page.text


async def test_a_rating_without_stars_is_refused_on_the_page(
    client: httpx.AsyncClient, paid: PaidOrder
) -> None:
    await client.post(f"{paid.url}/ship", json={"method": "e_ticket"}, headers=paid.seller)
    await client.post(f"{paid.url}/confirm", headers=paid.buyer)
    await log_in_with_form(client, paid.buyer_email)
    order_page = await client.get(f"/orders/{paid.id}")

    refused = await client.post(
        f"/orders/{paid.id}/review", data={"csrf_token": csrf_of(order_page.text)}
    )

    assert refused.status_code == 422
    assert 'id="order-error"' in refused.text
