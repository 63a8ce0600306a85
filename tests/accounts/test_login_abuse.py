"""Guessing is slowed, never a lock-out: limits per account and address, growing delays,
the owner's way in by a one-time email link, and X-Forwarded-For believed only from the
configured proxies."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.notifications.models import EmailOutbox
from pitchaseat.settings import Settings
from pitchaseat.web.deps import client_address
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.web.test_pages import csrf_of

LOGIN = "/api/v1/auth/login"


def _client(app: FastAPI, ip: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(ip, 50000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


@pytest.fixture
async def stranger(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with _client(app, "198.51.100.66") as client:
        yield client


async def _guess(client: httpx.AsyncClient, email: str, times: int) -> list[int]:
    return [
        (await client.post(LOGIN, json={"email": email, "password": "Wrong-Guess-77"})).status_code
        for _ in range(times)
    ]


async def test_a_guesser_is_slowed_but_the_owner_elsewhere_still_logs_in(
    client: httpx.AsyncClient, stranger: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    owner = await make_user(db_session)

    guesses = await _guess(stranger, owner.email, 6)
    own = await client.post(LOGIN, json={"email": owner.email, "password": DEFAULT_PASSWORD})

    assert guesses == [401] * 5 + [429]
    assert own.status_code == 200


async def test_a_throttled_attempt_says_how_long_and_offers_the_email_link(
    stranger: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    owner = await make_user(db_session)
    await _guess(stranger, owner.email, 5)

    throttled = await stranger.post(
        LOGIN, json={"email": owner.email, "password": DEFAULT_PASSWORD}
    )

    assert throttled.status_code == 429
    assert throttled.json()["error"]["code"] == "login_throttled"
    assert "sign-in link" in throttled.json()["error"]["message"]
    assert 1 <= int(throttled.headers["Retry-After"]) <= 60


async def test_the_delays_grow_with_more_windows_than_one(settings: Settings) -> None:
    windows = settings.login_attempts_per_account_ip.split(";")

    assert len(windows) >= 2  # e.g. a minute after 5 guesses, longer after more


async def test_the_owner_signs_in_once_with_the_emailed_link(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    owner = await make_user(db_session)

    asked = await client.post("/api/v1/auth/login-link", json={"email": owner.email.upper()})
    unknown = await client.post("/api/v1/auth/login-link", json={"email": "nobody@example.com"})
    mail = await db_session.scalar(select(EmailOutbox).where(EmailOutbox.user_id == owner.id))
    assert mail is not None
    token = re.search(r"token=([^\s\"<]+)", mail.body_text)
    assert token is not None
    first = await client.post("/api/v1/auth/login-link/redeem", json={"token": token.group(1)})
    again = await client.post("/api/v1/auth/login-link/redeem", json={"token": token.group(1)})

    assert asked.status_code == unknown.status_code == 202
    assert asked.json() == unknown.json()  # nothing tells who has an account
    assert mail.kind == "sign_in_link" and mail.to_address == owner.email
    assert first.status_code == 200
    me = await client.get(
        "/api/v1/users/me", headers={"Authorization": f"Bearer {first.json()['access_token']}"}
    )
    assert me.json()["id"] == owner.id
    assert again.status_code == 401
    assert again.json()["error"]["code"] == "invalid_sign_in_link"


async def test_a_forged_link_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/auth/login-link/redeem", json={"token": "x.y.z"})

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_sign_in_link"


async def test_sign_in_links_cannot_flood_a_mailbox(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    owner = await make_user(db_session)

    statuses = [
        (await client.post("/api/v1/auth/login-link", json={"email": owner.email})).status_code
        for _ in range(4)
    ]

    assert statuses == [202, 202, 202, 429]


async def test_a_spoofed_forwarded_for_does_not_escape_the_per_address_limit(
    app: FastAPI, db_session: AsyncSession
) -> None:
    owner = await make_user(db_session)
    statuses = []
    async with _client(app, "127.0.0.1") as local:  # no proxy is trusted by default
        for n in range(6):
            response = await local.post(
                LOGIN,
                json={"email": owner.email, "password": "Wrong-Guess-77"},
                headers={"X-Forwarded-For": f"203.0.113.{n}"},
            )
            statuses.append(response.status_code)

    assert statuses == [401] * 5 + [429]


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [
        ("10.0.0.2", "198.51.100.7", "198.51.100.7"),  # from our proxy: believed
        ("10.0.0.2", "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # the client's own claim: not
        ("10.0.0.2", "198.51.100.7, 10.0.0.9", "198.51.100.7"),  # two of our proxies
        ("203.0.113.5", "198.51.100.7", "203.0.113.5"),  # not a proxy of ours: ignored
        ("10.0.0.2", "not-an-address", "10.0.0.2"),
        ("10.0.0.2", None, "10.0.0.2"),
    ],
)
def test_forwarded_for_is_believed_only_from_trusted_proxies(
    peer: str, forwarded: str | None, expected: str
) -> None:
    trusted = Settings(trusted_proxies="10.0.0.0/8", _env_file=None).trusted_proxy_networks  # type: ignore[call-arg]

    assert client_address(peer, forwarded, trusted) == expected


def test_a_bad_trusted_proxy_setting_is_refused() -> None:
    with pytest.raises(ValueError, match="TRUSTED_PROXIES"):
        Settings(trusted_proxies="10.0.0.0/8,nonsense", _env_file=None)  # type: ignore[call-arg]


async def test_on_the_pages_a_throttled_owner_gets_in_by_the_email_link(
    stranger: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    owner = await make_user(db_session)
    token = csrf_of((await stranger.get("/login")).text)
    for _ in range(6):
        throttled = await stranger.post(
            "/login", data={"csrf_token": token, "email": owner.email, "password": "Wrong-7-x"}
        )
    asked = await stranger.post(
        "/login/email-link", data={"csrf_token": token, "email": owner.email}
    )
    mail = await db_session.scalar(select(EmailOutbox).where(EmailOutbox.user_id == owner.id))
    assert mail is not None
    link = re.search(r"(/login/link\?token=[^\s\"<]+)", mail.body_text)
    assert link is not None
    landing = await stranger.get(link.group(1))
    signed_in = await stranger.post(
        "/login/link",
        data={"csrf_token": csrf_of(landing.text), "token": link.group(1).split("token=")[1]},
    )
    profile = await stranger.get("/profile")

    assert throttled.status_code == 429
    assert 'action="/login/email-link"' in throttled.text
    assert asked.status_code == 200
    assert signed_in.status_code == 303
    assert profile.status_code == 200
    assert owner.email in profile.text or owner.display_name in profile.text
