"""Email verification at sign-up (selling needs it, buying does not), change of password
(current one asked, other sessions revoked) and change of email (proven before it counts)."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pitchaseat.accounts.models import AuthSession, User
from pitchaseat.listings.models import Listing
from pitchaseat.settings import Settings
from tests.factories import (
    DEFAULT_PASSWORD,
    listing_body,
    login_headers,
    make_game,
    make_user,
)
from tests.support.mailbox import deliver_outbox, link_in, mails_to, text_of, token_of

VERIFY = "/api/v1/auth/verify-email"
NEW_PASSWORD = "Bullpen-Lights-42"


async def _sign_up(client: httpx.AsyncClient, email: str) -> dict[str, str]:
    body = {"email": email, "password": DEFAULT_PASSWORD, "display_name": "Ming"}
    registered = await client.post("/api/v1/auth/register", json=body)
    assert registered.status_code == 201
    assert registered.json()["email_verified"] is False
    return await login_headers(client, email)


async def _link(
    factory: async_sessionmaker[AsyncSession], settings: Settings, to: str, path: str
) -> str:
    await deliver_outbox(factory, settings)
    return token_of(link_in(mails_to(settings.mailbox_dir, to)[-1], path))


async def test_a_new_fan_may_not_sell_until_the_emailed_link_is_opened(
    client: httpx.AsyncClient,
    db_session: AsyncSession,
    session_factory: async_sessionmaker[AsyncSession],
    settings: Settings,
) -> None:
    game = await make_game(db_session)
    headers = await _sign_up(client, "new@example.com")

    refused = await client.post("/api/v1/listings", json=listing_body(game.id), headers=headers)
    token = await _link(session_factory, settings, "new@example.com", "/verify-email")
    verified = await client.post(VERIFY, json={"token": token})
    allowed = await client.post("/api/v1/listings", json=listing_body(game.id), headers=headers)

    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "email_not_verified"
    assert verified.status_code == 204
    assert allowed.status_code == 201
    me = await client.get("/api/v1/users/me", headers=headers)
    assert me.json()["email_verified"] is True
    assert await db_session.scalar(select(func.count(Listing.id))) == 1


async def test_the_sign_up_email_is_in_chinese_and_in_english(
    client: httpx.AsyncClient,
    db_session: AsyncSession,
    session_factory: async_sessionmaker[AsyncSession],
    settings: Settings,
) -> None:
    await _sign_up(client, "zh@example.com")
    headers = await _sign_up(client, "en@example.com")
    user = await db_session.scalar(select(User).where(User.email == "en@example.com"))
    assert user is not None
    user.locale = "en"
    await db_session.commit()
    await client.post("/api/v1/auth/verify-email/resend", headers=headers)
    await deliver_outbox(session_factory, settings)

    chinese = mails_to(settings.mailbox_dir, "zh@example.com")[-1]
    english = mails_to(settings.mailbox_dir, "en@example.com")[-1]

    assert "確認" in str(chinese["Subject"]) and "/verify-email?token=" in text_of(chinese)
    assert str(english["Subject"]) == "Confirm your email address for Pitch-A-Seat"
    assert "selling tickets and receiving payouts need a confirmed address" in text_of(english)


async def test_a_used_or_forged_verification_link_is_refused(
    client: httpx.AsyncClient,
    session_factory: async_sessionmaker[AsyncSession],
    settings: Settings,
) -> None:
    await _sign_up(client, "new@example.com")
    token = await _link(session_factory, settings, "new@example.com", "/verify-email")
    await client.post(VERIFY, json={"token": token})

    again = await client.post(VERIFY, json={"token": token})
    forged = await client.post(VERIFY, json={"token": "x" * 43})

    assert (again.status_code, forged.status_code) == (400, 400)
    assert again.json()["error"]["code"] == forged.json()["error"]["code"] == "invalid_token"


async def test_a_wrong_current_password_changes_nothing(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    fan = await make_user(db_session)
    headers = await login_headers(client, fan.email)
    other = await login_headers(client, fan.email)

    response = await client.post(
        "/api/v1/users/me/password",
        json={"current_password": "Not-My-Password-1", "new_password": NEW_PASSWORD},
        headers=headers,
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "wrong_password"
    assert (await client.get("/api/v1/users/me", headers=other)).status_code == 200
    await login_headers(client, fan.email, DEFAULT_PASSWORD)


async def test_a_password_change_keeps_this_session_and_ends_the_others(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    fan = await make_user(db_session)
    headers = await login_headers(client, fan.email)
    other = await login_headers(client, fan.email)

    response = await client.post(
        "/api/v1/users/me/password",
        json={"current_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD},
        headers=headers,
    )

    assert response.status_code == 204
    assert (await client.get("/api/v1/users/me", headers=headers)).status_code == 200
    assert (await client.get("/api/v1/users/me", headers=other)).status_code == 401
    await login_headers(client, fan.email, NEW_PASSWORD)
    live = await db_session.scalar(
        select(func.count(AuthSession.id)).where(
            AuthSession.user_id == fan.id, AuthSession.revoked_at.is_(None)
        )
    )
    assert live == 2  # this one and the log-in just above


async def test_a_new_email_counts_only_once_its_link_is_opened(
    client: httpx.AsyncClient,
    db_session: AsyncSession,
    session_factory: async_sessionmaker[AsyncSession],
    settings: Settings,
) -> None:
    fan = await make_user(db_session)
    headers = await login_headers(client, fan.email)

    asked = await client.post(
        "/api/v1/users/me/email",
        json={"new_email": "Moved@Example.com", "current_password": DEFAULT_PASSWORD},
        headers=headers,
    )
    before = (await client.get("/api/v1/users/me", headers=headers)).json()["email"]
    token = await _link(session_factory, settings, "moved@example.com", "/verify-email")
    opened = await client.post(VERIFY, json={"token": token})
    after = (await client.get("/api/v1/users/me", headers=headers)).json()

    assert asked.status_code == 202
    assert before == fan.email
    assert opened.status_code == 204
    assert (after["email"], after["email_verified"]) == ("moved@example.com", True)
    assert mails_to(settings.mailbox_dir, fan.email) == []


async def test_an_email_change_is_refused_for_a_taken_address_or_a_wrong_password(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    fan = await make_user(db_session)
    other = await make_user(db_session)
    headers = await login_headers(client, fan.email)

    taken = await client.post(
        "/api/v1/users/me/email",
        json={"new_email": other.email, "current_password": DEFAULT_PASSWORD},
        headers=headers,
    )
    wrong = await client.post(
        "/api/v1/users/me/email",
        json={"new_email": "free@example.com", "current_password": "Not-My-Password-1"},
        headers=headers,
    )

    assert (taken.status_code, taken.json()["error"]["code"]) == (409, "email_taken")
    assert (wrong.status_code, wrong.json()["error"]["code"]) == (400, "wrong_password")
