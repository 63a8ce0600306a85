from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import login_headers, make_game, make_user

# 2099-04-01 16:30 UTC is 2099-04-02 00:30 in Taipei: it belongs to April 2nd.
JUST_AFTER_TAIPEI_MIDNIGHT = datetime(2099, 4, 1, 16, 30, tzinfo=UTC)


async def test_teams_are_the_six_cpbl_clubs(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/teams")

    assert response.status_code == 200
    teams = response.json()
    assert {team["code"] for team in teams} == {"CTBC", "UL", "RM", "FG", "WD", "TSG"}
    brothers = next(team for team in teams if team["code"] == "CTBC")
    assert brothers["name_zh"] == "中信兄弟"
    assert brothers["color"].startswith("#")
    assert (brothers["short_name_zh"], brothers["short_name_en"]) == ("兄弟", "Brothers")


async def test_stadiums_carry_their_seat_areas(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/stadiums")

    stadiums = response.json()
    by_code = {stadium["code"]: stadium for stadium in stadiums}
    assert {"TPD", "TCH", "TNN", "TYN", "XZG", "TMU", "CCL", "HUA", "DLU"} <= set(by_code)
    assert all(len(stadium["seat_areas"]) >= 5 for stadium in stadiums)
    dome = by_code["TPD"]["seat_areas"]
    assert {area["zone"] for area in dome} == {"premium", "infield", "outfield"}
    assert {area["level"] for area in dome} == {1, 2}
    vip = next(area for area in dome if area["code"] == "home_plate")
    assert (vip["side"], vip["name_en"], vip["face_value"]) == (
        "home",
        "Behind-Plate Premium",
        2000,
    )


async def test_games_filter_by_team_and_taipei_dates(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    late = await make_game(db_session, starts_at=JUST_AFTER_TAIPEI_MIDNIGHT, home="UL", away="FG")
    await make_game(db_session, starts_at=datetime(2099, 4, 1, 10, 35, tzinfo=UTC))
    await make_game(db_session, starts_at=datetime(2099, 4, 5, 10, 35, tzinfo=UTC), home="FG")

    by_day = await client.get(
        "/api/v1/games", params={"date_from": "2099-04-02", "date_to": "2099-04-02"}
    )
    by_team = await client.get("/api/v1/games", params={"team_id": late.away_team_id})

    assert [game["id"] for game in by_day.json()["items"]] == [late.id]
    assert by_team.json()["total"] == 2
    game = by_day.json()["items"][0]
    assert game["home_team"]["code"] == "UL"
    assert game["stadium"]["code"] == "TNN"
    assert game["starts_at"].startswith("2099-04-01T16:30:00")
    assert game["listing_count"] == 0 and game["lowest_price"] is None


async def test_games_are_paginated(client: httpx.AsyncClient, db_session: AsyncSession) -> None:
    for day in range(1, 6):
        await make_game(db_session, starts_at=datetime(2099, 5, day, 10, 35, tzinfo=UTC))

    response = await client.get("/api/v1/games", params={"page": 2, "page_size": 2})

    body = response.json()
    assert body["page"] == 2 and body["page_size"] == 2 and body["total"] == 5
    assert [game["starts_at"][:10] for game in body["items"]] == ["2099-05-03", "2099-05-04"]


async def test_reversed_date_range_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/api/v1/games", params={"date_from": "2099-05-02", "date_to": "2099-05-01"}
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_date_range"


async def test_calendar_lists_every_day_of_the_month(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    game = await make_game(db_session, starts_at=JUST_AFTER_TAIPEI_MIDNIGHT)

    response = await client.get("/api/v1/calendar", params={"month": "2099-04"})

    assert response.status_code == 200
    body = response.json()
    assert body["month"] == "2099-04"
    assert len(body["days"]) == 30
    games_by_date = {day["date"]: [g["id"] for g in day["games"]] for day in body["days"]}
    assert games_by_date["2099-04-02"] == [game.id]
    assert games_by_date["2099-04-01"] == []


async def test_calendar_filters_by_team(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    await make_game(db_session, starts_at=JUST_AFTER_TAIPEI_MIDNIGHT, home="UL", away="FG")

    response = await client.get("/api/v1/calendar", params={"month": "2099-04", "team_id": 5})

    assert all(day["games"] == [] for day in response.json()["days"])


@pytest.mark.parametrize("month", ["2099-13", "2099-00", "1999-01", "abcd-ef", "2099-4"])
async def test_bad_month_is_refused(client: httpx.AsyncClient, month: str) -> None:
    response = await client.get("/api/v1/calendar", params={"month": month})

    assert response.status_code == 422
    assert response.json()["error"]["code"] in {"invalid_month", "validation_error"}


async def test_unknown_game_is_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/games/987654")

    assert response.status_code == 404
    assert response.json()["error"] == {"code": "not_found", "message": "No such game."}


@pytest.mark.parametrize("bad_id", ["0", "-1", "99999999999999", "abc"])
async def test_out_of_range_game_id_is_a_validation_error(
    client: httpx.AsyncClient, bad_id: str
) -> None:
    response = await client.get(f"/api/v1/games/{bad_id}")

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


async def test_unknown_route_and_wrong_method_use_the_error_body(
    client: httpx.AsyncClient,
) -> None:
    missing = await client.get("/api/v1/nothing-here")
    wrong_method = await client.delete("/api/v1/teams")

    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    assert wrong_method.status_code == 405
    assert wrong_method.json()["error"]["code"] == "method_not_allowed"


async def test_cached_calendar_follows_listing_changes(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    game = await make_game(db_session, starts_at=JUST_AFTER_TAIPEI_MIDNIGHT)
    seller = await make_user(db_session)
    headers = await login_headers(client, seller.email)
    params = {"month": "2099-04"}
    await client.get("/api/v1/calendar", params=params)
    cached = await client.get("/api/v1/calendar", params=params)

    listed = await client.post(
        "/api/v1/listings",
        json={
            "game_id": game.id,
            "seat_area": "infield_1b",
            "quantity": 2,
            "face_value": 400,
            "price": 321,
            "delivery_method": "mail",
        },
        headers=headers,
    )
    after = await client.get("/api/v1/calendar", params=params)

    assert cached.headers["x-cache"] == "hit"
    assert listed.status_code == 201
    assert "x-cache" not in after.headers
    day = next(d for d in after.json()["days"] if d["date"] == "2099-04-02")
    assert (day["games"][0]["listing_count"], day["games"][0]["lowest_price"]) == (1, 321)


@pytest.mark.parametrize("bound", ["date_from", "date_to"])
async def test_a_date_beyond_the_calendar_is_a_validation_error(
    client: httpx.AsyncClient, bound: str
) -> None:
    # Found by the schemathesis bench: 9999-12-31 plus one day is no date at all (was a 500).
    response = await client.get("/api/v1/games", params={bound: "9999-12-31"})

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
