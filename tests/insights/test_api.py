"""The stats endpoints: shapes, windows, errors, and the cache with its version bump."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.insights import invalidate_market_stats
from pitchaseat.runtime import AppServices
from pitchaseat.timeutil import to_taipei
from tests.factories import make_game, make_listing, make_user
from tests.insights.data import make_order


@pytest.fixture
async def sold(db_session: AsyncSession) -> dict[str, int]:
    seller, buyer = await make_user(db_session), await make_user(db_session)
    game = await make_game(db_session, home="FG", away="WD")
    listing = await make_listing(db_session, seller, game, price=400, quantity=10)
    await make_order(db_session, listing, buyer, quantity=2, paid_at=datetime.now(UTC))
    return {"game_id": game.id, "listing_id": listing.id, "buyer_id": buyer.id}


async def test_summary_states_its_month_and_basis(
    client: httpx.AsyncClient, sold: dict[str, int]
) -> None:
    response = await client.get("/api/v1/stats/summary")

    assert response.status_code == 200
    body = response.json()
    assert body["this_month"]["month"] == to_taipei(datetime.now(UTC)).strftime("%Y-%m")
    assert body["this_month"]["basis"] == "payment_date"
    assert (body["tickets_traded"], body["amount_traded"]) == (2, 800)
    assert (body["active_listings"], body["upcoming_games_with_listings"]) == (1, 1)
    trending = body["trending"]
    assert (trending["days"], trending["basis"]) == (7, "payment_date")
    assert [
        (t["game"]["id"], t["tickets_traded"], t["median_price"]) for t in trending["items"]
    ] == [(sold["game_id"], 2, 400)]


async def test_figures_are_cached_until_the_market_version_is_bumped(
    client: httpx.AsyncClient,
    db_session: AsyncSession,
    services: AppServices,
    sold: dict[str, int],
) -> None:
    await client.get("/api/v1/stats/summary")
    buyer = await make_user(db_session)
    listing = await make_listing(
        db_session, buyer, await make_game(db_session), price=300, quantity=3
    )
    await make_order(db_session, listing, buyer, quantity=3, paid_at=datetime.now(UTC))

    cached = (await client.get("/api/v1/stats/summary")).json()
    await invalidate_market_stats(services.cache)
    fresh = (await client.get("/api/v1/stats/summary")).json()

    assert (cached["tickets_traded"], fresh["tickets_traded"]) == (2, 5)


async def test_team_ranking_of_a_month(client: httpx.AsyncClient, sold: dict[str, int]) -> None:
    month = to_taipei(datetime.now(UTC)).strftime("%Y-%m")

    response = await client.get("/api/v1/stats/teams", params={"month": month})

    assert response.status_code == 200
    body = response.json()
    assert (body["month"], body["basis"]) == (month, "payment_date")
    top = [(item["team"]["code"], item["tickets_traded"], item["rank"]) for item in body["items"]]
    assert top[:2] == [("FG", 2, 1), ("WD", 2, 1)]
    assert len(top) == 6
    assert body["items"][0]["team"]["color"].startswith("#")


@pytest.mark.parametrize("month", ["2099-13", "1999-12", "2101-01", "April", "2099-4", ""])
async def test_a_bad_month_is_422_with_the_error_body(
    client: httpx.AsyncClient, month: str
) -> None:
    response = await client.get("/api/v1/stats/teams", params={"month": month})

    assert response.status_code == 422
    assert response.json()["error"]["code"] in ("validation_error", "invalid_month")


async def test_a_missing_month_is_422(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/stats/teams")

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


async def test_price_stats_of_a_game(client: httpx.AsyncClient, sold: dict[str, int]) -> None:
    response = await client.get(f"/api/v1/games/{sold['game_id']}/price-stats")

    assert response.status_code == 200
    body = response.json()
    assert (body["game_id"], body["basis"]) == (sold["game_id"], "payment_date")
    area = body["by_seat_area"][0]
    assert area["seat_area"]["code"] == "infield_1b"
    assert (area["listing_count"], area["min_price"], area["median_price"]) == (1, 400, 400)
    assert [(day["tickets"], day["median_price"]) for day in body["traded"]] == [(2, 400)]


@pytest.mark.parametrize("game_id", ["2000000000", "0", "-1", "abc", "99999999999"])
async def test_price_stats_of_an_unknown_game_is_an_error_not_a_crash(
    client: httpx.AsyncClient, game_id: str
) -> None:
    response = await client.get(f"/api/v1/games/{game_id}/price-stats")

    assert response.status_code in (404, 422)
    assert response.json()["error"]["code"] in ("not_found", "validation_error")


async def test_an_unknown_game_is_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/games/2000000000/price-stats")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


async def test_the_openapi_document_declares_the_error_responses(
    client: httpx.AsyncClient,
) -> None:
    paths = (await client.get("/openapi.json")).json()["paths"]

    assert "422" in paths["/api/v1/stats/teams"]["get"]["responses"]
    assert "404" in paths["/api/v1/games/{game_id}/price-stats"]["get"]["responses"]
    assert "200" in paths["/api/v1/stats/summary"]["get"]["responses"]


async def test_an_old_payment_is_not_in_this_month(
    client: httpx.AsyncClient, db_session: AsyncSession, sold: dict[str, int]
) -> None:
    buyer = await make_user(db_session)
    listing = await make_listing(db_session, buyer, await make_game(db_session), price=300)
    await make_order(db_session, listing, buyer, paid_at=datetime.now(UTC) - timedelta(days=40))

    body = (await client.get("/api/v1/stats/summary")).json()

    assert (body["tickets_traded"], body["this_month"]["tickets_traded"]) == (3, 2)
