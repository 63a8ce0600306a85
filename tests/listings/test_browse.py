from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts.models import User
from pitchaseat.catalog.models import Game
from pitchaseat.listings import service as listings
from pitchaseat.listings.models import Listing
from tests.factories import login_headers, make_game, make_listing, make_user


async def ids(client: httpx.AsyncClient, game: Game, **params: object) -> list[int]:
    response = await client.get(f"/api/v1/games/{game.id}/listings", params=params)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


async def rate(session: AsyncSession, user: User, score: float | None) -> None:
    await session.execute(
        update(User)
        .where(User.id == user.id)
        .values(seller_score=score, rating_count=0 if score is None else 3)
    )
    await session.commit()


@pytest.fixture
async def game(db_session: AsyncSession) -> Game:
    return await make_game(db_session)


async def test_price_sorts_break_ties_by_id(
    client: httpx.AsyncClient, db_session: AsyncSession, game: Game
) -> None:
    seller = await make_user(db_session)
    a = await make_listing(db_session, seller, game, price=300)
    b = await make_listing(db_session, seller, game, price=200)
    c = await make_listing(db_session, seller, game, price=300)
    d = await make_listing(db_session, seller, game, price=400)

    assert await ids(client, game, sort="price_asc") == [b.id, a.id, c.id, d.id]
    assert await ids(client, game, sort="price_desc") == [d.id, a.id, c.id, b.id]


async def test_newest_first_by_default(
    client: httpx.AsyncClient, db_session: AsyncSession, game: Game
) -> None:
    seller = await make_user(db_session)
    created = [await make_listing(db_session, seller, game) for _ in range(3)]

    assert await ids(client, game) == [listing.id for listing in reversed(created)]


async def test_seat_area_sort_follows_the_stadium_order_then_price(
    client: httpx.AsyncClient, db_session: AsyncSession, game: Game
) -> None:
    seller = await make_user(db_session)
    outfield = await make_listing(db_session, seller, game, seat_area="outfield_left", price=200)
    vip = await make_listing(db_session, seller, game, seat_area="home_plate", price=900)
    cheap_first_base = await make_listing(db_session, seller, game, price=300)
    dear_first_base = await make_listing(db_session, seller, game, price=400)

    assert await ids(client, game, sort="seat_area") == [
        vip.id,
        cheap_first_base.id,
        dear_first_base.id,
        outfield.id,
    ]


async def test_seller_rating_sort_puts_unrated_sellers_last(
    client: httpx.AsyncClient, db_session: AsyncSession, game: Game
) -> None:
    good, better, unrated = [await make_user(db_session) for _ in range(3)]
    await rate(db_session, good, 4.2)
    await rate(db_session, better, 4.8)
    from_unrated = await make_listing(db_session, unrated, game, price=100)
    from_good = await make_listing(db_session, good, game, price=300)
    from_better_dear = await make_listing(db_session, better, game, price=500)
    from_better_cheap = await make_listing(db_session, better, game, price=400)

    assert await ids(client, game, sort="seller_rating") == [
        from_better_cheap.id,
        from_better_dear.id,
        from_good.id,
        from_unrated.id,
    ]


async def test_filters_by_area_price_range_and_quantity(
    client: httpx.AsyncClient, db_session: AsyncSession, game: Game
) -> None:
    seller = await make_user(db_session)
    pair = await make_listing(db_session, seller, game, price=300, quantity=2)
    four = await make_listing(db_session, seller, game, price=350, quantity=4)
    await make_listing(db_session, seller, game, price=100, quantity=4)
    outfield = await make_listing(db_session, seller, game, seat_area="outfield_right", price=320)

    assert await ids(client, game, min_price=250, max_price=400, sort="price_asc") == [
        pair.id,
        outfield.id,
        four.id,
    ]
    assert await ids(client, game, quantity=3, min_price=200) == [four.id]
    assert await ids(client, game, seat_area="outfield_right") == [outfield.id]
    assert set(await ids(client, game, seat_area=["outfield_right", "infield_1b"])) == {
        pair.id,
        four.id,
        outfield.id,
    } | set(await ids(client, game, max_price=100))


async def test_reversed_price_range_is_refused(client: httpx.AsyncClient, game: Game) -> None:
    response = await client.get(
        f"/api/v1/games/{game.id}/listings", params={"min_price": 500, "max_price": 100}
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_price_range"


async def test_unknown_game_is_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/games/123456/listings")

    assert response.status_code == 404


async def test_pagination_covers_every_listing_once(
    client: httpx.AsyncClient, db_session: AsyncSession, game: Game
) -> None:
    seller = await make_user(db_session)
    for price in (300, 300, 300, 200, 200):
        await make_listing(db_session, seller, game, price=price)

    pages = [
        await ids(client, game, sort="price_asc", page=page, page_size=2) for page in (1, 2, 3)
    ]

    flat = [listing_id for page in pages for listing_id in page]
    assert len(flat) == len(set(flat)) == 5
    assert [len(page) for page in pages] == [2, 2, 1]


async def test_listings_of_a_started_game_are_hidden_and_expire(
    client: httpx.AsyncClient, db_session: AsyncSession, game: Game
) -> None:
    seller = await make_user(db_session)
    listing = await make_listing(db_session, seller, game)
    await db_session.execute(
        update(Game)
        .where(Game.id == game.id)
        .values(starts_at=datetime.now(UTC) - timedelta(minutes=1))
    )
    await db_session.commit()

    assert await ids(client, game) == []
    expired = await listings.expire_started_listings(db_session)
    await db_session.commit()

    assert expired == 1
    refreshed = await db_session.get(Listing, listing.id, populate_existing=True)
    assert refreshed is not None
    assert refreshed.status.value == "expired"
    game_view = (await client.get(f"/api/v1/games/{game.id}")).json()
    assert game_view["listing_count"] == 0


async def test_cached_page_never_shows_a_stale_price(
    client: httpx.AsyncClient, db_session: AsyncSession, game: Game
) -> None:
    seller = await make_user(db_session)
    listing = await make_listing(db_session, seller, game, price=450)
    headers = await login_headers(client, seller.email)
    url = f"/api/v1/games/{game.id}/listings"
    first = (await client.get(url)).json()
    assert first["items"][0]["price"] == 450

    await client.patch(f"/api/v1/listings/{listing.id}", json={"price": 380}, headers=headers)
    after_edit = (await client.get(url)).json()
    await client.delete(f"/api/v1/listings/{listing.id}", headers=headers)
    after_withdraw = (await client.get(url)).json()

    assert after_edit["items"][0]["price"] == 380
    assert after_withdraw["items"] == []
