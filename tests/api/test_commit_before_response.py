"""Over real HTTP, a change is committed before its response leaves: a client that acts on a
response never finds the change missing."""

from __future__ import annotations

import httpx

from tests.api.conftest import CREDENTIALS


async def test_a_fresh_token_works_at_once_every_time(
    server_url: str, auth_headers: dict[str, str]
) -> None:
    async with httpx.AsyncClient(base_url=server_url) as client:
        statuses = []
        for _ in range(40):
            login = await client.post("/api/v1/auth/login", json=CREDENTIALS)
            token = login.json()["access_token"]
            me = await client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {token}"})
            statuses.append(me.status_code)

    assert statuses == [200] * 40
