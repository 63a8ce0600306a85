"""Right by default in production: Secure cookies, a CSRF token bound to the session and
new at every log-in, a real list of guessable passwords, no control characters in text."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.settings import Settings
from tests.factories import DEFAULT_PASSWORD, listing_body, login_headers, make_game, make_user
from tests.web.test_pages import csrf_of

PRODUCTION_SECRET = "s" * 40


def test_cookies_are_secure_by_default_in_production_only() -> None:
    production = Settings(environment="production", secret_key=PRODUCTION_SECRET, _env_file=None)  # type: ignore[call-arg]
    development = Settings(_env_file=None)  # type: ignore[call-arg]
    opted_out = Settings(  # type: ignore[call-arg]
        environment="production",
        secret_key=PRODUCTION_SECRET,
        session_cookie_secure=False,
        _env_file=None,
    )

    assert production.cookies_secure
    assert not development.cookies_secure
    assert not opted_out.cookies_secure


async def test_the_csrf_token_changes_at_log_in_and_the_old_one_stops_working(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    user = await make_user(db_session)
    before = csrf_of((await client.get("/login")).text)

    logged_in = await client.post(
        "/login", data={"csrf_token": before, "email": user.email, "password": DEFAULT_PASSWORD}
    )
    after = csrf_of((await client.get("/profile")).text)
    stale = await client.post("/profile", data={"csrf_token": before, "display_name": "Stale"})
    fresh = await client.post("/profile", data={"csrf_token": after, "display_name": "Fresh"})

    assert logged_in.status_code == 303
    assert "httponly" in logged_in.headers.get("set-cookie", "").lower()
    assert after != before
    assert stale.status_code == 403
    assert fresh.status_code == 303


async def test_a_csrf_token_is_bound_to_its_session(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    first, second = await make_user(db_session), await make_user(db_session)
    page = await client.get("/login")
    await client.post(
        "/login",
        data={"csrf_token": csrf_of(page.text), "email": first.email, "password": DEFAULT_PASSWORD},
    )
    first_token = csrf_of((await client.get("/profile")).text)
    second_session = (await login_headers(client, second.email))["Authorization"].split()[1]
    client.cookies.set("pas_session", second_session)  # same browser nonce, another session

    refused = await client.post("/profile", data={"csrf_token": first_token, "display_name": "X"})

    assert refused.status_code == 403


@pytest.mark.parametrize(
    "password", ["Password123456", "Baseball2027", "Qwerty123456", "Iloveyou2026", "Taipei101101"]
)
async def test_common_passwords_are_refused(client: httpx.AsyncClient, password: str) -> None:
    response = await client.post(
        "/api/v1/auth/register",
        json={"email": "fan@example.com", "password": password, "display_name": "Ming"},
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "weak_password"


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (
            "/api/v1/auth/register",
            {"email": "a@example.com", "password": DEFAULT_PASSWORD, "display_name": "Ming\x00"},
        ),
        (
            "/api/v1/auth/register",
            {
                "email": "b@example.com",
                "password": DEFAULT_PASSWORD,
                "display_name": "Ming\u202eevil",
            },
        ),
        ("/api/v1/auth/login", {"email": "c@example.com\x1b[2J", "password": "x"}),
    ],
)
async def test_control_characters_in_text_are_refused(
    client: httpx.AsyncClient, path: str, body: dict[str, str]
) -> None:
    response = await client.post(path, json=body)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
    assert "control" in str(response.json()["error"]["details"])


async def test_line_breaks_stay_allowed_in_a_listing_note(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    seller = await make_user(db_session)
    game = await make_game(db_session)
    headers = await login_headers(client, seller.email)

    kept = await client.post(
        "/api/v1/listings",
        json=listing_body(game.id, note="Row 3\nnear the aisle"),
        headers=headers,
    )
    refused = await client.post(
        "/api/v1/listings", json=listing_body(game.id, note="bell\x07"), headers=headers
    )

    assert kept.status_code == 201
    assert kept.json()["note"] == "Row 3\nnear the aisle"
    assert refused.status_code == 422
