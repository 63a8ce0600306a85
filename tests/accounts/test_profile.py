from __future__ import annotations

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts.models import UserFavoriteTeam
from tests.factories import login_headers, make_user
from tests.web.test_pages import csrf_of


async def test_profile_update_sets_favourite_teams(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    user = await make_user(db_session)
    headers = await login_headers(client, user.email)

    response = await client.patch(
        "/api/v1/users/me",
        json={"display_name": "  Lin  ", "phone": "0912345678", "favorite_team_ids": [3, 1, 3]},
        headers=headers,
    )

    assert response.status_code == 200
    body = response.json()
    assert body["display_name"] == "Lin"
    assert body["phone"] == "0912345678"
    assert body["favorite_team_ids"] == [1, 3]
    again = await client.get("/api/v1/users/me", headers=headers)
    assert again.json()["favorite_team_ids"] == [1, 3]


async def test_unknown_favourite_team_changes_nothing(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    user = await make_user(db_session)
    headers = await login_headers(client, user.email)

    response = await client.patch(
        "/api/v1/users/me",
        json={"display_name": "New", "favorite_team_ids": [1, 99]},
        headers=headers,
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "unknown_team"
    me = (await client.get("/api/v1/users/me", headers=headers)).json()
    assert me["display_name"] == user.display_name
    assert await db_session.scalar(select(func.count()).select_from(UserFavoriteTeam)) == 0


async def test_a_team_id_beyond_32_bits_is_422_not_a_crash(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    user = await make_user(db_session)
    headers = await login_headers(client, user.email)

    response = await client.patch(
        "/api/v1/users/me", json={"favorite_team_ids": [1, 2_448_835_799]}, headers=headers
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


async def test_public_profile_shows_no_private_fields(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    user = await make_user(db_session)

    response = await client.get(f"/api/v1/users/{user.id}")

    assert response.status_code == 200
    body = response.json()
    assert body["display_name"] == user.display_name
    assert body["rating_count"] == 0
    assert body["completed_sales"] == 0
    assert "email" not in body and "phone" not in body


async def test_unknown_user_is_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/users/424242")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


async def test_cookie_session_needs_csrf_for_writes(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    user = await make_user(db_session)
    token = (await login_headers(client, user.email))["Authorization"].split()[1]
    client.cookies.set("pas_session", token)
    csrf = csrf_of((await client.get("/profile")).text)

    refused = await client.patch("/api/v1/users/me", json={"display_name": "Hacked"})
    accepted = await client.patch(
        "/api/v1/users/me", json={"display_name": "Mine"}, headers={"X-CSRF-Token": csrf}
    )

    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "csrf_failed"
    assert accepted.status_code == 200
    assert accepted.json()["display_name"] == "Mine"
