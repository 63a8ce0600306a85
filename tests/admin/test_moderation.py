"""Reports, take-downs and suspensions through the API, with their audit entries."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.admin.audit import Action
from pitchaseat.notifications.models import Notification
from pitchaseat.orders.models import Order, OrderStatus
from tests.admin.support import audit_count, operator_headers
from tests.factories import DEFAULT_PASSWORD, login_headers, make_game, make_listing, make_user


async def _listing_with_a_hold(client: httpx.AsyncClient, db_session: AsyncSession):  # type: ignore[no-untyped-def]
    seller = await make_user(db_session)
    buyer = await make_user(db_session)
    game = await make_game(db_session)
    listing = await make_listing(db_session, seller, game, quantity=3)
    buyer_headers = await login_headers(client, buyer.email)
    held = await client.post(
        "/api/v1/orders", json={"listing_id": listing.id, "quantity": 1}, headers=buyer_headers
    )
    assert held.status_code == 201, held.text
    return seller, buyer, game, listing, buyer_headers, held.json()["id"]


async def test_a_fan_reports_a_listing_once(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    seller, fan = await make_user(db_session), await make_user(db_session)
    listing = await make_listing(db_session, seller, await make_game(db_session))
    headers = await login_headers(client, fan.email)
    url = f"/api/v1/listings/{listing.id}/reports"

    first = await client.post(url, json={"reason": "fraud", "note": "fake"}, headers=headers)
    again = await client.post(url, json={"reason": "other"}, headers=headers)
    queue = await client.get(
        "/api/v1/admin/reports", headers=await operator_headers(client, db_session)
    )

    assert first.status_code == 201, first.text
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_reported"
    assert [item["listing"]["id"] for item in queue.json()["items"]] == [listing.id]


async def test_a_report_with_an_unknown_reason_is_refused(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    seller, fan = await make_user(db_session), await make_user(db_session)
    listing = await make_listing(db_session, seller, await make_game(db_session))
    headers = await login_headers(client, fan.email)

    response = await client.post(
        f"/api/v1/listings/{listing.id}/reports", json={"reason": "ugly"}, headers=headers
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


async def test_reports_are_rate_limited(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    seller, fan = await make_user(db_session), await make_user(db_session)
    game = await make_game(db_session)
    listings = [await make_listing(db_session, seller, game) for _ in range(11)]
    headers = await login_headers(client, fan.email)

    codes = [
        (
            await client.post(
                f"/api/v1/listings/{listing.id}/reports", json={"reason": "other"}, headers=headers
            )
        ).status_code
        for listing in listings
    ]

    assert codes == [201] * 10 + [429]


async def test_a_take_down_leaves_browse_and_the_cache_at_once_and_tells_the_seller(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    seller, _buyer, game, listing, _headers, hold_id = await _listing_with_a_hold(
        client, db_session
    )
    browse = f"/api/v1/games/{game.id}/listings"
    assert [item["id"] for item in (await client.get(browse)).json()["items"]] == [listing.id]
    assert (await client.get(browse)).headers.get("x-cache") == "hit"
    operator = await operator_headers(client, db_session)

    down = await client.post(
        f"/api/v1/admin/listings/{listing.id}/take-down",
        json={"reason": "Seats do not exist"},
        headers=operator,
    )

    assert down.status_code == 200, down.text
    assert down.json()["status"] == "removed"
    assert (await client.get(browse)).json()["items"] == []
    hold = await db_session.get(Order, hold_id, populate_existing=True)
    assert hold is not None and hold.status is OrderStatus.cancelled
    told = await db_session.scalars(
        select(Notification).where(
            Notification.user_id == seller.id, Notification.kind == "listing_removed"
        )
    )
    assert [note.params["reason"] for note in told] == ["Seats do not exist"]
    assert await audit_count(db_session, Action.listing_taken_down, listing.id) == 1


async def test_a_refused_take_down_writes_no_audit_entry(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    seller = await make_user(db_session)
    listing = await make_listing(db_session, seller, await make_game(db_session))
    operator = await operator_headers(client, db_session)
    url = f"/api/v1/admin/listings/{listing.id}/take-down"

    empty = await client.post(url, json={"reason": "   "}, headers=operator)
    first = await client.post(url, json={"reason": "fake"}, headers=operator)
    twice = await client.post(url, json={"reason": "fake"}, headers=operator)

    assert empty.status_code == 422
    assert (first.status_code, twice.status_code) == (200, 409)
    assert await audit_count(db_session, Action.listing_taken_down, listing.id) == 1


async def test_a_restored_listing_is_back_on_sale(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    seller = await make_user(db_session)
    game = await make_game(db_session)
    listing = await make_listing(db_session, seller, game)
    operator = await operator_headers(client, db_session)
    await client.post(
        f"/api/v1/admin/listings/{listing.id}/take-down", json={"reason": "x"}, headers=operator
    )

    back = await client.post(
        f"/api/v1/admin/listings/{listing.id}/restore", json={"reason": "ok"}, headers=operator
    )

    assert back.json()["status"] == "active"
    items = (await client.get(f"/api/v1/games/{game.id}/listings")).json()["items"]
    assert [item["id"] for item in items] == [listing.id]


async def test_a_suspended_user_cannot_log_in_or_post_and_their_holds_end(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    seller, buyer, game, _listing, buyer_headers, hold_id = await _listing_with_a_hold(
        client, db_session
    )
    seller_headers = await login_headers(client, seller.email)
    operator = await operator_headers(client, db_session)

    for user in (buyer, seller):
        suspended = await client.post(
            f"/api/v1/admin/users/{user.id}/suspend", json={"reason": "scam"}, headers=operator
        )
        assert suspended.status_code == 200, suspended.text

    login = await client.post(
        "/api/v1/auth/login", json={"email": seller.email, "password": DEFAULT_PASSWORD}
    )
    post = await client.post(
        "/api/v1/listings",
        json={
            "game_id": game.id,
            "seat_area": "infield_1b",
            "quantity": 1,
            "face_value": 500,
            "price": 400,
            "delivery_method": "e_ticket",
        },
        headers=seller_headers,
    )
    assert login.status_code == 403 and login.json()["error"]["code"] == "account_suspended"
    assert post.status_code == 401
    assert (await client.get("/api/v1/users/me", headers=buyer_headers)).status_code == 401
    hold = await db_session.get(Order, hold_id, populate_existing=True)
    assert hold is not None and hold.status is OrderStatus.cancelled
    assert (await client.get(f"/api/v1/games/{game.id}/listings")).json()["items"] == []
    assert await audit_count(db_session, Action.user_suspended) >= 2


async def test_a_reinstated_seller_sells_again(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    seller = await make_user(db_session)
    game = await make_game(db_session)
    listing = await make_listing(db_session, seller, game)
    operator = await operator_headers(client, db_session)
    await client.post(
        f"/api/v1/admin/users/{seller.id}/suspend", json={"reason": "check"}, headers=operator
    )

    back = await client.post(
        f"/api/v1/admin/users/{seller.id}/reinstate", json={"reason": "fine"}, headers=operator
    )
    again = await client.post(
        f"/api/v1/admin/users/{seller.id}/reinstate", json={"reason": "fine"}, headers=operator
    )

    assert back.status_code == 200 and back.json()["suspended_at"] is None
    assert again.status_code == 409
    items = (await client.get(f"/api/v1/games/{game.id}/listings")).json()["items"]
    assert [item["id"] for item in items] == [listing.id]
    assert await audit_count(db_session, Action.user_reinstated, seller.id) == 1
    count = await db_session.scalar(select(func.count()).select_from(Notification))
    assert count is not None
