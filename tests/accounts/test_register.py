from __future__ import annotations

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts.models import User

GOOD = {"email": "Fan@Example.com", "password": "Outfield-9-Seats", "display_name": "Ming"}


async def user_count(session: AsyncSession) -> int:
    return await session.scalar(select(func.count(User.id))) or 0


async def test_register_creates_a_user(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/auth/register", json=GOOD)

    assert response.status_code == 201
    body = response.json()
    assert body["email"] == "fan@example.com"
    assert body["display_name"] == "Ming"
    assert body["favorite_team_ids"] == []
    assert "password" not in response.text and "hash" not in response.text


async def test_password_is_stored_as_argon2id_at_owasp_parameters(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    await client.post("/api/v1/auth/register", json=GOOD)

    stored = await db_session.scalar(select(User.password_hash))
    assert stored is not None
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")


async def test_duplicate_email_is_a_conflict_whatever_its_case(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    await client.post("/api/v1/auth/register", json=GOOD)

    response = await client.post("/api/v1/auth/register", json={**GOOD, "email": "FAN@example.COM"})

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "email_taken"
    assert await user_count(db_session) == 1


@pytest.mark.parametrize(
    "password",
    ["short1", "onlyletterslong", "12345678901234", "password123", "aaaaaaaa11", "ming-rules-42"],
)
async def test_weak_password_is_refused_with_reasons(
    client: httpx.AsyncClient, db_session: AsyncSession, password: str
) -> None:
    body = {**GOOD, "email": "fan@example.com", "password": password}

    response = await client.post("/api/v1/auth/register", json=body)

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "weak_password"
    assert error["details"]["problems"]
    assert await user_count(db_session) == 0


@pytest.mark.parametrize(
    "change",
    [
        {"email": "not-an-email"},
        {"email": "a" * 250 + "@example.com"},
        {"display_name": ""},
        {"display_name": "x" * 41},
        {"display_name": 12345},
        {"password": "p" * 129 + "1"},
        {"phone": "12345"},
        {"unexpected": "field"},
    ],
)
async def test_invalid_fields_are_a_validation_error(
    client: httpx.AsyncClient, db_session: AsyncSession, change: dict[str, object]
) -> None:
    response = await client.post("/api/v1/auth/register", json={**GOOD, **change})

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["details"]["fields"]
    assert await user_count(db_session) == 0


async def test_malformed_json_is_a_validation_error(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    response = await client.post(
        "/api/v1/auth/register",
        content=b'{"email": "a@b.tw", ',
        headers={"Content-Type": "application/json"},
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
    assert await user_count(db_session) == 0


async def test_registrations_are_rate_limited_per_ip(client: httpx.AsyncClient) -> None:
    statuses = []
    for n in range(22):
        body = {**GOOD, "email": f"bot{n}@example.com", "password": "x"}
        statuses.append((await client.post("/api/v1/auth/register", json=body)).status_code)

    assert statuses[:20] == [422] * 20
    assert statuses[20:] == [429, 429]
