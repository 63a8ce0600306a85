from __future__ import annotations

from datetime import timedelta

import httpx
import jwt
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts.models import AuthSession
from pitchaseat.accounts.tokens import issue_token
from pitchaseat.settings import Settings
from pitchaseat.timeutil import utcnow
from tests.factories import DEFAULT_PASSWORD, login_headers, make_user


async def test_login_returns_a_bearer_token(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    user = await make_user(db_session)

    response = await client.post(
        "/api/v1/auth/login", json={"email": user.email.upper(), "password": DEFAULT_PASSWORD}
    )

    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] > 0
    me = await client.get(
        "/api/v1/users/me", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert me.json()["id"] == user.id


async def test_wrong_password_and_unknown_email_get_the_same_answer(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    user = await make_user(db_session)

    wrong = await client.post(
        "/api/v1/auth/login", json={"email": user.email, "password": "Not-The-Password-1"}
    )
    unknown = await client.post(
        "/api/v1/auth/login", json={"email": "nobody@example.com", "password": DEFAULT_PASSWORD}
    )

    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.json()["error"]["code"] == "invalid_credentials"


async def test_login_is_rate_limited_per_ip(client: httpx.AsyncClient) -> None:
    statuses = [
        (
            await client.post(
                "/api/v1/auth/login", json={"email": f"guess{n}@example.com", "password": "x"}
            )
        ).status_code
        for n in range(31)
    ]

    assert statuses[:30] == [401] * 30
    assert statuses[30] == 429


async def test_logout_revokes_the_token(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    user = await make_user(db_session)
    headers = await login_headers(client, user.email)

    response = await client.post("/api/v1/auth/logout", headers=headers)

    assert response.status_code == 204
    after = await client.get("/api/v1/users/me", headers=headers)
    assert after.status_code == 401
    assert after.json()["error"]["code"] == "invalid_token"
    revoked = await db_session.scalar(select(AuthSession.revoked_at))
    assert revoked is not None


async def test_tampered_token_is_refused(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    user = await make_user(db_session)
    token = (await login_headers(client, user.email))["Authorization"].split()[1]
    header, payload, signature = token.split(".")
    forged = jwt.encode(
        {"sub": "1", "jti": "x", "exp": 9999999999, "aud": "pitchaseat"}, "a-guessed-secret-" * 3
    )

    for bad in (f"{header}.{payload}.{signature[::-1]}", forged, "not-a-jwt", ""):
        response = await client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {bad}"})
        assert response.status_code == 401, bad
        assert response.json()["error"]["code"] in {"invalid_token", "not_authenticated"}


async def test_expired_token_is_refused(
    client: httpx.AsyncClient, db_session: AsyncSession, settings: Settings
) -> None:
    user = await make_user(db_session)
    issued = issue_token(user.id, secret_key=settings.secret_key, ttl_seconds=-60)
    db_session.add(
        AuthSession(id=issued.session_id, user_id=user.id, expires_at=utcnow() + timedelta(days=1))
    )
    await db_session.commit()

    response = await client.get(
        "/api/v1/users/me", headers={"Authorization": f"Bearer {issued.token}"}
    )

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_token"


async def test_token_of_an_unknown_session_is_refused(
    client: httpx.AsyncClient, db_session: AsyncSession, settings: Settings
) -> None:
    user = await make_user(db_session)
    issued = issue_token(user.id, secret_key=settings.secret_key, ttl_seconds=600)

    response = await client.get(
        "/api/v1/users/me", headers={"Authorization": f"Bearer {issued.token}"}
    )

    assert response.status_code == 401


async def test_protected_route_without_credentials_is_401(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/users/me")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
