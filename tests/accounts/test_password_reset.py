"""Password reset by email: the same answer for every address, a one-time link valid 30
minutes (only its hash stored), every session revoked, and bad links refused with nothing
written."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pitchaseat.accounts.models import AccountToken, User
from pitchaseat.notifications.models import EmailOutbox
from pitchaseat.settings import Settings
from pitchaseat.timeutil import utcnow
from tests.factories import DEFAULT_PASSWORD, login_headers, make_user
from tests.support.mailbox import deliver_outbox, link_in, mails_to, text_of, token_of

RESET = "/api/v1/auth/password-reset"
CONFIRM = "/api/v1/auth/password-reset/confirm"
NEW_PASSWORD = "Bullpen-Lights-42"


async def _reset_token(
    client: httpx.AsyncClient,
    factory: async_sessionmaker[AsyncSession],
    settings: Settings,
    email: str,
) -> str:
    assert (await client.post(RESET, json={"email": email})).status_code == 202
    await deliver_outbox(factory, settings)
    return token_of(link_in(mails_to(settings.mailbox_dir, email)[-1], "/password-reset/confirm"))


async def test_the_answer_is_the_same_whether_or_not_the_address_has_an_account(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    owner = await make_user(db_session)

    known = await client.post(RESET, json={"email": owner.email})
    unknown = await client.post(RESET, json={"email": "nobody@example.com"})

    assert (known.status_code, unknown.status_code) == (202, 202)
    assert known.json() == unknown.json()
    outbox = list(await db_session.scalars(select(EmailOutbox.to_address)))
    assert outbox == [owner.email]


async def test_the_reset_email_is_in_traditional_chinese_by_default_and_its_link_works(
    client: httpx.AsyncClient,
    db_session: AsyncSession,
    session_factory: async_sessionmaker[AsyncSession],
    settings: Settings,
) -> None:
    owner = await make_user(db_session)
    old_session = await login_headers(client, owner.email)

    token = await _reset_token(client, session_factory, settings, owner.email)
    mail = mails_to(settings.mailbox_dir, owner.email)[-1]
    confirmed = await client.post(CONFIRM, json={"token": token, "password": NEW_PASSWORD})

    assert "重設" in str(mail["Subject"]) and "30" in text_of(mail)
    assert confirmed.status_code == 204
    assert (await client.get("/api/v1/users/me", headers=old_session)).status_code == 401
    await login_headers(client, owner.email, NEW_PASSWORD)
    stored = await db_session.scalar(select(AccountToken.token_hash))
    assert stored is not None and token not in stored


async def test_the_reset_email_is_in_english_for_an_english_reader(
    client: httpx.AsyncClient,
    db_session: AsyncSession,
    session_factory: async_sessionmaker[AsyncSession],
    settings: Settings,
) -> None:
    owner = await make_user(db_session)
    owner.locale = "en"
    await db_session.commit()

    await _reset_token(client, session_factory, settings, owner.email)
    mail = mails_to(settings.mailbox_dir, owner.email)[-1]

    assert str(mail["Subject"]) == "Reset your Pitch-A-Seat password"
    assert "within 30 minutes" in text_of(mail)


async def test_a_used_link_is_refused(
    client: httpx.AsyncClient,
    db_session: AsyncSession,
    session_factory: async_sessionmaker[AsyncSession],
    settings: Settings,
) -> None:
    owner = await make_user(db_session)
    token = await _reset_token(client, session_factory, settings, owner.email)
    await client.post(CONFIRM, json={"token": token, "password": NEW_PASSWORD})

    again = await client.post(CONFIRM, json={"token": token, "password": "Another-Pass-77"})

    assert again.status_code == 400
    assert again.json()["error"]["code"] == "invalid_token"
    await login_headers(client, owner.email, NEW_PASSWORD)


async def test_an_expired_link_is_refused_and_nothing_changes(
    client: httpx.AsyncClient,
    db_session: AsyncSession,
    session_factory: async_sessionmaker[AsyncSession],
    settings: Settings,
) -> None:
    owner = await make_user(db_session)
    token = await _reset_token(client, session_factory, settings, owner.email)
    await db_session.execute(
        update(AccountToken).values(expires_at=utcnow() - timedelta(seconds=1))
    )
    await db_session.commit()

    response = await client.post(CONFIRM, json={"token": token, "password": NEW_PASSWORD})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_token"
    await login_headers(client, owner.email, DEFAULT_PASSWORD)
    assert await db_session.scalar(select(AccountToken.used_at)) is None


async def test_a_forged_link_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post(CONFIRM, json={"token": "made-up", "password": NEW_PASSWORD})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_token"


async def test_a_weak_new_password_is_refused_and_the_link_still_works(
    client: httpx.AsyncClient,
    db_session: AsyncSession,
    session_factory: async_sessionmaker[AsyncSession],
    settings: Settings,
) -> None:
    owner = await make_user(db_session)
    token = await _reset_token(client, session_factory, settings, owner.email)
    before = await db_session.scalar(select(User.password_hash).where(User.id == owner.id))

    weak = await client.post(CONFIRM, json={"token": token, "password": "password"})
    after = await db_session.scalar(
        select(User.password_hash)
        .where(User.id == owner.id)
        .execution_options(populate_existing=True)
    )
    good = await client.post(CONFIRM, json={"token": token, "password": NEW_PASSWORD})

    assert weak.status_code == 422
    assert weak.json()["error"]["code"] == "weak_password"
    assert before == after
    assert good.status_code == 204


async def test_a_newer_link_retires_the_older_one(
    client: httpx.AsyncClient,
    db_session: AsyncSession,
    session_factory: async_sessionmaker[AsyncSession],
    settings: Settings,
) -> None:
    owner = await make_user(db_session)
    first = await _reset_token(client, session_factory, settings, owner.email)
    await _reset_token(client, session_factory, settings, owner.email)

    response = await client.post(CONFIRM, json={"token": first, "password": NEW_PASSWORD})

    assert response.status_code == 400


async def test_reset_requests_are_limited_per_address_even_without_an_account(
    client: httpx.AsyncClient,
) -> None:
    statuses = [
        (await client.post(RESET, json={"email": "nobody@example.com"})).status_code
        for _ in range(4)
    ]

    assert statuses == [202, 202, 202, 429]


async def test_reset_requests_are_limited_per_ip_across_addresses(
    client: httpx.AsyncClient,
) -> None:
    statuses = [
        (await client.post(RESET, json={"email": f"fan{n}@example.com"})).status_code
        for n in range(11)
    ]

    assert statuses == [202] * 10 + [429]
