"""Every operator path is 404 for anyone who is not an operator: no existence leak."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts.models import AuthSession
from pitchaseat.timeutil import utcnow
from tests.admin.support import make_operator, operator_headers
from tests.factories import DEFAULT_PASSWORD, login_headers, make_user
from tests.support.orders import PaidOrder

ADMIN_ROUTES = [
    ("GET", "/api/v1/admin/reports"),
    ("POST", "/api/v1/admin/listings/1/take-down"),
    ("POST", "/api/v1/admin/listings/1/restore"),
    ("POST", "/api/v1/admin/users/1/suspend"),
    ("POST", "/api/v1/admin/users/1/reinstate"),
    ("GET", "/api/v1/admin/users/1"),
    ("GET", "/api/v1/admin/disputes"),
    ("POST", "/api/v1/admin/orders/1/resolve"),
    ("GET", "/api/v1/admin/payouts"),
    ("GET", "/api/v1/admin/payouts.csv"),
    ("POST", "/api/v1/admin/payouts"),
    ("POST", "/api/v1/admin/games/1/postpone"),
    ("POST", "/api/v1/admin/games/1/cancel"),
    ("POST", "/api/v1/admin/games/import"),
    ("POST", "/api/v1/admin/emails/1/resend"),
    ("GET", "/api/v1/admin/audit"),
    ("GET", "/admin"),
    ("GET", "/admin/listings"),
    ("GET", "/admin/users"),
    ("GET", "/admin/users/1"),
    ("GET", "/admin/disputes"),
    ("GET", "/admin/payouts"),
    ("GET", "/admin/games"),
    ("GET", "/admin/emails"),
    ("GET", "/admin/audit"),
    ("GET", "/admin/charges"),
    ("POST", "/admin/listings/1/take-down"),
]


async def test_every_operator_path_is_missing_for_everyone_else(
    client: httpx.AsyncClient, db_session: AsyncSession, paid: PaidOrder
) -> None:
    stranger = await make_user(db_session)
    callers = {
        "anonymous": {},
        "buyer": paid.buyer,
        "seller": paid.seller,
        "fan": await login_headers(client, stranger.email),
    }
    for who, headers in callers.items():
        for method, path in ADMIN_ROUTES:
            response = await client.request(method, path, headers=headers, json={})
            assert response.status_code == 404, (who, method, path, response.text)
            if path.startswith("/api/"):
                assert response.json()["error"]["code"] == "not_found"


async def test_an_operator_reaches_the_console(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    headers = await operator_headers(client, db_session)

    assert (await client.get("/api/v1/admin/reports", headers=headers)).status_code == 200
    assert (await client.get("/api/v1/admin/audit", headers=headers)).status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/admin/audit", "/admin"])
async def test_an_operator_session_older_than_its_limit_is_refused(
    client: httpx.AsyncClient, db_session: AsyncSession, path: str
) -> None:
    headers = await operator_headers(client, db_session)
    await db_session.execute(
        update(AuthSession).values(created_at=utcnow() - timedelta(hours=8, minutes=1))
    )
    await db_session.commit()

    assert (await client.get(path, headers=headers)).status_code == 404


async def test_an_operator_logs_in_for_a_shorter_session(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    operator = await make_operator(db_session)
    fan = await make_user(db_session)

    answers = [
        await client.post("/api/v1/auth/login", json={"email": email, "password": DEFAULT_PASSWORD})
        for email in (operator.email, fan.email)
    ]

    operator_ttl, fan_ttl = (answer.json()["expires_in"] for answer in answers)
    assert operator_ttl <= 8 * 3600 < fan_ttl
