from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.catalog.models import Game
from pitchaseat.listings.models import Listing
from tests.factories import login_headers, make_game, make_listing, make_user


def listing_body(game_id: int, **changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "game_id": game_id,
        "seat_area": "infield_3b",
        "row": "12",
        "seats": "5-6",
        "quantity": 2,
        "face_value": 600,
        "price": 550,
        "delivery_method": "e_ticket",
        "note": "Great view of the dugout",
    }
    body.update(changes)
    return body


async def listing_count(session: AsyncSession) -> int:
    return await session.scalar(select(func.count(Listing.id))) or 0


@pytest.fixture
async def seller_headers(client: httpx.AsyncClient, db_session: AsyncSession) -> dict[str, str]:
    seller = await make_user(db_session)
    return await login_headers(client, seller.email)


async def test_seller_posts_a_listing(
    client: httpx.AsyncClient, db_session: AsyncSession, seller_headers: dict[str, str]
) -> None:
    game = await make_game(db_session)

    response = await client.post(
        "/api/v1/listings", json=listing_body(game.id), headers=seller_headers
    )

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "active"
    assert body["seat_area"]["code"] == "infield_3b"
    assert body["available_quantity"] == 2
    assert body["discount_percent"] == 8
    assert body["seller"]["rating_count"] == 0
    game_view = (await client.get(f"/api/v1/games/{game.id}")).json()
    assert game_view["listing_count"] == 1
    assert game_view["lowest_price"] == 550


@pytest.mark.parametrize(
    ("price", "code", "message"),
    [
        (601, "price_above_face_value", "The asking price may not exceed"),
        (0, "price_below_minimum", "The asking price must be at least NT$1."),
    ],
)
async def test_a_price_outside_one_to_face_value_is_refused(
    client: httpx.AsyncClient,
    db_session: AsyncSession,
    seller_headers: dict[str, str],
    price: int,
    code: str,
    message: str,
) -> None:
    game = await make_game(db_session)

    response = await client.post(
        "/api/v1/listings", json=listing_body(game.id, price=price), headers=seller_headers
    )

    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["code"], error["details"]["field"]) == (code, "price")
    assert error["message"].startswith(message)
    assert await listing_count(db_session) == 0


async def test_complimentary_ticket_cannot_be_listed(
    client: httpx.AsyncClient, db_session: AsyncSession, seller_headers: dict[str, str]
) -> None:
    game = await make_game(db_session)

    response = await client.post(
        "/api/v1/listings",
        json=listing_body(game.id, face_value=0, price=0),
        headers=seller_headers,
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "free_ticket_not_allowed"


async def test_seat_area_must_belong_to_the_games_stadium(
    client: httpx.AsyncClient, db_session: AsyncSession, seller_headers: dict[str, str]
) -> None:
    game = await make_game(db_session)

    response = await client.post(
        "/api/v1/listings",
        json=listing_body(game.id, seat_area="skybox"),
        headers=seller_headers,
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "unknown_seat_area"


async def test_listing_for_a_started_game_is_refused(
    client: httpx.AsyncClient, db_session: AsyncSession, seller_headers: dict[str, str]
) -> None:
    game = await make_game(db_session, starts_at=datetime.now(UTC) - timedelta(minutes=5))

    response = await client.post(
        "/api/v1/listings", json=listing_body(game.id), headers=seller_headers
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "game_not_on_sale"


@pytest.mark.parametrize(
    "change",
    [
        {"quantity": 0},
        {"quantity": 11},
        {"price": -1},
        {"price": "cheap"},
        {"face_value": 10**9},
        {"delivery_method": "pigeon"},
        {"note": "x" * 501},
        {"row": "r" * 11},
        {"game_id": 0},
    ],
)
async def test_bad_fields_are_refused_and_nothing_is_written(
    client: httpx.AsyncClient,
    db_session: AsyncSession,
    seller_headers: dict[str, str],
    change: dict[str, object],
) -> None:
    game = await make_game(db_session)

    response = await client.post(
        "/api/v1/listings", json={**listing_body(game.id), **change}, headers=seller_headers
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
    assert await listing_count(db_session) == 0


async def test_anonymous_user_cannot_list(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    game = await make_game(db_session)

    response = await client.post("/api/v1/listings", json=listing_body(game.id))

    assert response.status_code == 401


@pytest.mark.parametrize(
    ("price", "code"), [(501, "price_above_face_value"), (0, "price_below_minimum")]
)
async def test_an_edit_outside_one_to_face_value_is_refused(
    client: httpx.AsyncClient, db_session: AsyncSession, price: int, code: str
) -> None:
    seller = await make_user(db_session)
    listing = await make_listing(db_session, seller, await make_game(db_session), face_value=500)
    headers = await login_headers(client, seller.email)

    response = await client.patch(
        f"/api/v1/listings/{listing.id}", json={"price": price}, headers=headers
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == code
    unchanged = (await client.get(f"/api/v1/listings/{listing.id}")).json()
    assert unchanged["price"] == 450


async def test_seller_edits_price_quantity_and_note(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    seller = await make_user(db_session)
    game = await make_game(db_session)
    listing = await make_listing(db_session, seller, game, price=450)
    headers = await login_headers(client, seller.email)

    response = await client.patch(
        f"/api/v1/listings/{listing.id}",
        json={"price": 300, "quantity": 4, "note": "Lowered"},
        headers=headers,
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["price"], body["quantity"], body["available_quantity"]) == (300, 4, 4)
    assert body["note"] == "Lowered"
    assert (await client.get(f"/api/v1/games/{game.id}")).json()["lowest_price"] == 300


async def test_someone_elses_listing_cannot_be_changed(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    seller = await make_user(db_session)
    intruder = await make_user(db_session)
    listing = await make_listing(db_session, seller, await make_game(db_session))
    headers = await login_headers(client, intruder.email)

    edit = await client.patch(f"/api/v1/listings/{listing.id}", json={"price": 1}, headers=headers)
    withdraw = await client.delete(f"/api/v1/listings/{listing.id}", headers=headers)

    assert edit.status_code == withdraw.status_code == 404
    assert edit.json()["error"]["code"] == "not_found"
    assert (await client.get(f"/api/v1/listings/{listing.id}")).json()["status"] == "active"


async def test_withdrawn_listing_leaves_the_game_and_cannot_be_edited(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    seller = await make_user(db_session)
    game = await make_game(db_session)
    listing = await make_listing(db_session, seller, game)
    headers = await login_headers(client, seller.email)

    response = await client.delete(f"/api/v1/listings/{listing.id}", headers=headers)

    assert response.status_code == 204
    assert (await client.get(f"/api/v1/listings/{listing.id}")).status_code == 404
    own_view = await client.get(f"/api/v1/listings/{listing.id}", headers=headers)
    assert own_view.json()["status"] == "withdrawn"
    edit = await client.patch(f"/api/v1/listings/{listing.id}", json={"price": 1}, headers=headers)
    assert edit.status_code == 409
    assert edit.json()["error"]["code"] == "listing_not_editable"
    game_view = (await client.get(f"/api/v1/games/{game.id}")).json()
    assert (game_view["listing_count"], game_view["lowest_price"]) == (0, None)


async def test_database_refuses_a_price_above_face_value_even_past_the_service(
    db_session: AsyncSession,
) -> None:
    seller = await make_user(db_session)
    listing = await make_listing(db_session, seller, await make_game(db_session))
    listing.price = listing.face_value + 1

    with pytest.raises(Exception, match=r"(?i)check|constraint"):
        await db_session.flush()
    await db_session.rollback()
    assert await db_session.scalar(select(func.count(Game.id))) == 1


async def test_my_listings_filter_by_status(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    seller = await make_user(db_session)
    game = await make_game(db_session)
    kept = await make_listing(db_session, seller, game)
    gone = await make_listing(db_session, seller, game)
    await make_listing(db_session, await make_user(db_session), game)
    headers = await login_headers(client, seller.email)
    await client.delete(f"/api/v1/listings/{gone.id}", headers=headers)

    everything = (await client.get("/api/v1/users/me/listings", headers=headers)).json()
    active = (
        await client.get("/api/v1/users/me/listings", params={"status": "active"}, headers=headers)
    ).json()

    assert everything["total"] == 2
    assert [item["id"] for item in active["items"]] == [kept.id]
