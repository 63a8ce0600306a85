from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.orders.holds import release_expired_holds
from pitchaseat.orders.models import Order
from pitchaseat.timeutil import utcnow
from tests.factories import login_headers, make_game, make_listing, make_user


@pytest.fixture
async def setup(client: httpx.AsyncClient, db_session: AsyncSession) -> dict[str, object]:
    seller = await make_user(db_session)
    buyer = await make_user(db_session)
    game = await make_game(db_session)
    listing = await make_listing(db_session, seller, game, quantity=3, price=400)
    return {
        "listing": listing,
        "game": game,
        "buyer": await login_headers(client, buyer.email),
        "seller": await login_headers(client, seller.email),
    }


async def hold(
    client: httpx.AsyncClient,
    headers: object,
    listing_id: int,
    quantity: int,
    key: str | None = None,
) -> httpx.Response:
    extra = {"Idempotency-Key": key} if key else {}
    return await client.post(
        "/api/v1/orders",
        json={"listing_id": listing_id, "quantity": quantity},
        headers={**headers, **extra},  # type: ignore[dict-item]
    )


async def test_hold_takes_tickets_and_prices_the_order(
    client: httpx.AsyncClient, setup: dict[str, object]
) -> None:
    listing = setup["listing"]

    response = await hold(client, setup["buyer"], listing.id, 2)  # type: ignore[attr-defined]

    assert response.status_code == 201
    order = response.json()
    assert (order["status"], order["amount"], order["quantity"]) == ("pending_payment", 800, 2)
    assert order["history"][0]["action"] == "orders.hold.created"
    left = (await client.get(f"/api/v1/listings/{listing.id}")).json()  # type: ignore[attr-defined]
    assert left["available_quantity"] == 1


async def test_more_than_available_is_409(
    client: httpx.AsyncClient, setup: dict[str, object]
) -> None:
    response = await hold(client, setup["buyer"], setup["listing"].id, 4)  # type: ignore[attr-defined]

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_enough_tickets"


async def test_seller_cannot_buy_own_listing(
    client: httpx.AsyncClient, setup: dict[str, object]
) -> None:
    response = await hold(client, setup["seller"], setup["listing"].id, 1)  # type: ignore[attr-defined]

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "own_listing"


async def test_same_idempotency_key_returns_the_first_order(
    client: httpx.AsyncClient, setup: dict[str, object]
) -> None:
    listing_id = setup["listing"].id  # type: ignore[attr-defined]

    first = await hold(client, setup["buyer"], listing_id, 1, key="tap-1")
    again = await hold(client, setup["buyer"], listing_id, 1, key="tap-1")

    assert first.json()["id"] == again.json()["id"]
    left = (await client.get(f"/api/v1/listings/{listing_id}")).json()
    assert left["available_quantity"] == 2


async def test_sell_together_listing_is_bought_whole(
    client: httpx.AsyncClient, db_session: AsyncSession, setup: dict[str, object]
) -> None:
    seller = await make_user(db_session)
    pair = await make_listing(db_session, seller, setup["game"], quantity=2, sell_together=True)  # type: ignore[arg-type]

    part = await hold(client, setup["buyer"], pair.id, 1)
    whole = await hold(client, setup["buyer"], pair.id, 2)

    assert part.status_code == 409
    assert part.json()["error"]["code"] == "sell_together"
    assert whole.status_code == 201


async def test_a_buyer_may_hold_at_most_eight_tickets(
    client: httpx.AsyncClient, db_session: AsyncSession, setup: dict[str, object]
) -> None:
    seller = await make_user(db_session)
    big = await make_listing(db_session, seller, setup["game"], quantity=10)  # type: ignore[arg-type]

    first = await hold(client, setup["buyer"], big.id, 6)
    second = await hold(client, setup["buyer"], big.id, 3)

    assert first.status_code == 201
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "hold_limit_reached"


async def test_cancelled_hold_returns_the_tickets_at_once(
    client: httpx.AsyncClient, setup: dict[str, object]
) -> None:
    listing_id = setup["listing"].id  # type: ignore[attr-defined]
    order = (await hold(client, setup["buyer"], listing_id, 3)).json()
    sold_out = (await client.get(f"/api/v1/listings/{listing_id}")).json()

    cancelled = await client.post(
        f"/api/v1/orders/{order['id']}/cancel",
        json={"reason": "changed plans"},
        headers=setup["buyer"],  # type: ignore[arg-type]
    )
    again = await client.post(
        f"/api/v1/orders/{order['id']}/cancel",
        headers=setup["buyer"],  # type: ignore[arg-type]
    )

    assert sold_out["status"] == "sold_out"
    assert cancelled.json()["status"] == "cancelled"
    assert [e["action"] for e in cancelled.json()["history"]] == [
        "orders.hold.created",
        "orders.hold.cancelled",
    ]
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "invalid_order_state"
    back = (await client.get(f"/api/v1/listings/{listing_id}")).json()
    assert (back["available_quantity"], back["status"]) == (3, "active")


async def test_expired_hold_returns_tickets_and_never_blocks_a_buyer(
    client: httpx.AsyncClient, db_session: AsyncSession, setup: dict[str, object]
) -> None:
    listing_id = setup["listing"].id  # type: ignore[attr-defined]
    order = (await hold(client, setup["buyer"], listing_id, 3)).json()
    await db_session.execute(
        update(Order)
        .where(Order.id == order["id"])
        .values(hold_expires_at=utcnow() - timedelta(seconds=1))
    )
    await db_session.commit()
    other = await make_user(db_session)

    retaken = await hold(client, await login_headers(client, other.email), listing_id, 3)
    swept = await release_expired_holds(db_session)

    assert retaken.status_code == 201
    assert swept == 0
    first = (await client.get(f"/api/v1/orders/{order['id']}", headers=setup["buyer"])).json()  # type: ignore[arg-type]
    assert first["status"] == "cancelled"
    assert first["history"][-1]["action"] == "orders.hold.expired"


async def test_other_users_cannot_see_an_order(
    client: httpx.AsyncClient, db_session: AsyncSession, setup: dict[str, object]
) -> None:
    order = (await hold(client, setup["buyer"], setup["listing"].id, 1)).json()  # type: ignore[attr-defined]
    stranger = await make_user(db_session)

    theirs = await client.get(
        f"/api/v1/orders/{order['id']}", headers=await login_headers(client, stranger.email)
    )
    sellers = await client.get(f"/api/v1/orders/{order['id']}", headers=setup["seller"])  # type: ignore[arg-type]
    seller_list = await client.get(
        "/api/v1/orders",
        params={"role": "seller"},
        headers=setup["seller"],  # type: ignore[arg-type]
    )

    assert theirs.status_code == 404
    assert sellers.status_code == 200
    assert [o["id"] for o in seller_list.json()["items"]] == [order["id"]]
