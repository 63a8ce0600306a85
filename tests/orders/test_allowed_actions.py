"""The order page never offers what the API refuses, and the API never refuses what the page
offers: for every order status, with the game on schedule or postponed, for buyer and seller,
``allowed_actions`` is compared with the page's buttons and with the API's answers."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.catalog.models import Game
from pitchaseat.db import commit
from pitchaseat.orders.actions import Action, allowed_actions
from pitchaseat.orders.game_changes import postpone_game
from pitchaseat.orders.models import Order
from pitchaseat.timeutil import utcnow
from tests.factories import login_headers, make_game, make_listing, make_user
from tests.support.orders import CARDHOLDER, DELIVERY

Headers = dict[str, str]
Parties = tuple[Headers, Headers]  # buyer, seller


async def _to_paid(client: httpx.AsyncClient, url: str, buyer: Headers, seller: Headers) -> None:
    paid = await client.post(
        f"{url}/pay",
        json={"prime": "test_prime_ok", "cardholder": CARDHOLDER, "delivery": DELIVERY},
        headers=buyer,
    )
    assert paid.json()["status"] == "paid", paid.text


async def _ship(client: httpx.AsyncClient, url: str, buyer: Headers, seller: Headers) -> None:
    await _to_paid(client, url, buyer, seller)
    shipped = await client.post(f"{url}/ship", json={"method": "e_ticket"}, headers=seller)
    assert shipped.status_code == 200, shipped.text


Step = Callable[[httpx.AsyncClient, str, Headers, Headers], Awaitable[None]]


async def _nothing(client: httpx.AsyncClient, url: str, buyer: Headers, seller: Headers) -> None:
    return None


async def _complete(client: httpx.AsyncClient, url: str, buyer: Headers, seller: Headers) -> None:
    await _ship(client, url, buyer, seller)
    assert (await client.post(f"{url}/confirm", headers=buyer)).status_code == 200


async def _dispute(client: httpx.AsyncClient, url: str, buyer: Headers, seller: Headers) -> None:
    await _to_paid(client, url, buyer, seller)
    opened = await client.post(f"{url}/dispute", json={"reason": "No tickets"}, headers=buyer)
    assert opened.status_code == 200


async def _refund(client: httpx.AsyncClient, url: str, buyer: Headers, seller: Headers) -> None:
    await _to_paid(client, url, buyer, seller)
    assert (await client.post(f"{url}/cancel", headers=seller)).status_code == 200


async def _release(client: httpx.AsyncClient, url: str, buyer: Headers, seller: Headers) -> None:
    assert (await client.post(f"{url}/cancel", headers=buyer)).status_code == 200


STATES: dict[str, Step] = {
    "pending_payment": _nothing,
    "paid": _to_paid,
    "shipped": _ship,
    "completed": _complete,
    "disputed": _dispute,
    "refunded": _refund,
    "cancelled": _release,
}

# Each API call, who makes it, and the actions it stands for.
CALLS: list[tuple[str, str, dict[str, object] | None, frozenset[Action]]] = [
    (
        "buyer",
        "pay",
        {"prime": "test_prime_ok", "cardholder": CARDHOLDER, "delivery": DELIVERY},
        frozenset({Action.pay}),
    ),
    ("buyer", "cancel", None, frozenset({Action.release_hold, Action.cancel_postponed})),
    ("buyer", "confirm", None, frozenset({Action.confirm})),
    ("buyer", "dispute", {"reason": "Where are they?"}, frozenset({Action.dispute})),
    ("seller", "ship", {"method": "e_ticket"}, frozenset({Action.ship})),
    ("seller", "cancel", None, frozenset({Action.refund})),
    ("seller", "confirm", None, frozenset()),
    ("seller", "dispute", {"reason": "x"}, frozenset()),
    (
        "seller",
        "pay",
        {"prime": "test_prime_ok", "cardholder": CARDHOLDER, "delivery": DELIVERY},
        frozenset(),
    ),
    ("buyer", "ship", {"method": "e_ticket"}, frozenset()),
]
BUTTON = re.compile(r'<form[^>]*\sdata-action="(\w+)"')


async def _order_in(
    client: httpx.AsyncClient, db_session: AsyncSession, state: str, postponed: bool
) -> tuple[Order, Game, Parties, dict[str, str]]:
    seller, buyer = await make_user(db_session), await make_user(db_session)
    game = await make_game(db_session)
    listing = await make_listing(db_session, seller, game, quantity=2, price=700)
    buyer_h, seller_h = (
        await login_headers(client, buyer.email),
        await login_headers(client, seller.email),
    )
    held = await client.post(
        "/api/v1/orders", json={"listing_id": listing.id, "quantity": 1}, headers=buyer_h
    )
    url = f"/api/v1/orders/{held.json()['id']}"
    await STATES[state](client, url, buyer_h, seller_h)
    if postponed:
        await postpone_game(db_session, game.id, makeup_starts_at=None)
        await commit(db_session)
    order = await db_session.get(Order, held.json()["id"], populate_existing=True)
    await db_session.refresh(game)
    assert order is not None
    tokens = {
        "buyer": buyer_h["Authorization"].removeprefix("Bearer "),
        "seller": seller_h["Authorization"].removeprefix("Bearer "),
    }
    return order, game, (buyer_h, seller_h), tokens


@pytest.mark.parametrize("postponed", [False, True], ids=["scheduled", "postponed"])
@pytest.mark.parametrize("state", list(STATES))
async def test_page_buttons_and_api_answers_follow_allowed_actions(
    client: httpx.AsyncClient, db_session: AsyncSession, state: str, postponed: bool
) -> None:
    order, game, (buyer_h, seller_h), tokens = await _order_in(client, db_session, state, postponed)
    if postponed and state == "pending_payment":
        assert order.status.value == "cancelled"  # postponing lets every hold go
    headers = {"buyer": buyer_h, "seller": seller_h}
    ids = {"buyer": order.buyer_id, "seller": order.seller_id}
    allowed = {role: allowed_actions(order, ids[role], game, utcnow()) for role in ids}

    for role, token in tokens.items():
        page = await client.get(f"/orders/{order.id}", cookies={"pas_session": token})
        assert set(BUTTON.findall(page.text)) == {action.value for action in allowed[role]}, role

    # Refused calls change nothing, so they all run against this one order.
    for role, endpoint, body, stands_for in CALLS:
        if stands_for & allowed[role]:
            continue
        refused = await client.post(
            f"/api/v1/orders/{order.id}/{endpoint}", json=body, headers=headers[role]
        )
        assert refused.status_code in (403, 404, 409), (role, endpoint, refused.text)
    unchanged = await client.get(f"/api/v1/orders/{order.id}", headers=buyer_h)
    assert unchanged.json()["status"] == order.status.value

    # Each call the page offers is accepted, each on a fresh order in the same state.
    for role, endpoint, body, stands_for in CALLS:
        if not stands_for & allowed[role]:
            continue
        fresh, _, (fresh_buyer, fresh_seller), _ = await _order_in(
            client, db_session, state, postponed
        )
        caller = fresh_buyer if role == "buyer" else fresh_seller
        accepted = await client.post(
            f"/api/v1/orders/{fresh.id}/{endpoint}", json=body, headers=caller
        )
        assert accepted.status_code == 200, (role, endpoint, accepted.text)
