from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.listings.cache import page_key
from pitchaseat.listings.fast_path import cache_key_for
from tests.factories import make_game, make_listing, make_user


def test_fast_path_spells_the_key_like_the_route() -> None:
    key = cache_key_for(b"seat_area=b&sort=price_asc&seat_area=a&page=2&max_price=900&junk=1")

    assert key == page_key(
        sort="price_asc",
        seat_areas=["a", "b"],
        min_price=None,
        max_price=900,
        quantity=None,
        page=2,
        page_size=20,
    )


@pytest.mark.parametrize(
    "query",
    [
        b"sort=cheapest",
        b"page=0",
        b"page_size=101",
        b"min_price=-5",
        b"quantity=x",
        b"page=1&page=2",
        b"seat_area=A%00",
        b"seat_area=%1B%5B31m",
    ],
)
def test_anything_the_route_would_refuse_falls_through(query: bytes) -> None:
    assert cache_key_for(query) is None


async def test_second_read_is_served_from_the_cache_with_the_same_bytes(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    game = await make_game(db_session)
    await make_listing(db_session, await make_user(db_session), game)
    url = f"/api/v1/games/{game.id}/listings?sort=price_asc"

    first = await client.get(url)
    second = await client.get(url)

    assert "x-cache" not in first.headers
    assert second.headers["x-cache"] == "hit"
    assert second.content == first.content
    assert second.headers["content-security-policy"]
    assert second.headers["x-request-id"]


@pytest.mark.parametrize("area", ["A%00", "%1B%5B31m", "B%0A"])
async def test_a_seat_area_with_a_control_character_is_refused_not_a_server_error(
    client: httpx.AsyncClient, db_session: AsyncSession, area: str
) -> None:
    game = await make_game(db_session)

    response = await client.get(f"/api/v1/games/{game.id}/listings?seat_area={area}")

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


async def test_the_game_page_drops_a_seat_area_with_a_control_character(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    game = await make_game(db_session)
    await make_listing(db_session, await make_user(db_session), game)

    response = await client.get(f"/games/{game.id}?seat_area=A%00")

    # The page, unfiltered (before: PostgreSQL refused the NUL and the fan saw a 500).
    assert response.status_code == 200
    assert response.text.count('data-listing-id="') == 1
