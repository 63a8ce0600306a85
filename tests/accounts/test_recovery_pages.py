"""The recovery pages without script: forgot password, the emailed link's form, the profile's
password and email forms; a refused form comes back with the message beside its field."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pitchaseat.settings import Settings
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.support.mailbox import deliver_outbox, link_in, mails_to
from tests.web.test_pages import csrf_of, log_in_with_form

NEW_PASSWORD = "Bullpen-Lights-42"


async def test_a_forgotten_password_is_reset_through_the_pages(
    client: httpx.AsyncClient,
    db_session: AsyncSession,
    session_factory: async_sessionmaker[AsyncSession],
    settings: Settings,
) -> None:
    fan = await make_user(db_session)
    login = await client.get("/login")
    form = await client.get("/password-reset")

    sent = await client.post(
        "/password-reset", data={"csrf_token": csrf_of(form.text), "email": fan.email}
    )
    await deliver_outbox(session_factory, settings)
    url = link_in(mails_to(settings.mailbox_dir, fan.email)[-1], "/password-reset/confirm")
    page = await client.get(url.removeprefix(settings.base_url))
    weak = await client.post(
        "/password-reset/confirm",
        data={"csrf_token": csrf_of(page.text), "token": url.split("token=")[1], "password": "a"},
    )
    done = await client.post(
        "/password-reset/confirm",
        data={
            "csrf_token": csrf_of(page.text),
            "token": url.split("token=")[1],
            "password": NEW_PASSWORD,
        },
    )
    back = await client.get(done.headers["location"])

    assert 'href="/password-reset"' in login.text
    assert sent.status_code == 200 and 'id="reset-sent"' in sent.text
    assert weak.status_code == 422 and 'id="password-error"' in weak.text
    assert done.status_code == 303 and done.headers["location"] == "/login?reset=1"
    assert "Log in with the new one" in back.text or "請用新密碼登入" in back.text


async def test_a_used_reset_link_says_so_and_offers_a_new_one(client: httpx.AsyncClient) -> None:
    page = await client.get("/password-reset/confirm?token=made-up")

    response = await client.post(
        "/password-reset/confirm",
        data={"csrf_token": csrf_of(page.text), "token": "made-up", "password": NEW_PASSWORD},
    )

    assert response.status_code == 400
    assert 'href="/password-reset"' in response.text and 'role="alert"' in response.text


async def test_a_wrong_current_password_comes_back_beside_its_field(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    fan = await make_user(db_session)
    await log_in_with_form(client, fan.email)
    profile = await client.get("/profile")

    response = await client.post(
        "/profile/password",
        data={
            "csrf_token": csrf_of(profile.text),
            "current_password": "Not-My-Password-1",
            "new_password": NEW_PASSWORD,
        },
    )

    assert response.status_code == 400
    assert 'id="current_password-error"' in response.text
    assert (await client.get("/profile")).status_code == 200  # still signed in


async def test_a_password_change_from_the_profile_keeps_this_browser_signed_in(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    fan = await make_user(db_session)
    await log_in_with_form(client, fan.email)
    profile = await client.get("/profile")

    response = await client.post(
        "/profile/password",
        data={
            "csrf_token": csrf_of(profile.text),
            "current_password": DEFAULT_PASSWORD,
            "new_password": NEW_PASSWORD,
        },
    )
    after = await client.get(response.headers["location"])

    assert response.status_code == 303
    assert after.status_code == 200 and 'id="profile-notice"' in after.text


async def test_an_email_change_to_a_taken_address_keeps_the_input(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    fan = await make_user(db_session)
    other = await make_user(db_session)
    await log_in_with_form(client, fan.email)
    profile = await client.get("/profile")

    response = await client.post(
        "/profile/email",
        data={
            "csrf_token": csrf_of(profile.text),
            "new_email": other.email,
            "email_password": DEFAULT_PASSWORD,
        },
    )

    assert response.status_code == 409
    assert 'id="new_email-error"' in response.text
    assert f'value="{other.email}"' in response.text


async def test_an_unconfirmed_fan_sees_the_send_again_action(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    fan = await make_user(db_session, verified=False)
    await log_in_with_form(client, fan.email)
    profile = await client.get("/profile")

    resent = await client.post("/verify-email/resend", data={"csrf_token": csrf_of(profile.text)})

    assert 'id="resend-form"' in profile.text
    assert resent.status_code == 303 and "link_sent=1" in resent.headers["location"]
