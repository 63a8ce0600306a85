"""The notifications page and the email choices on the profile page."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.notifications.kinds import Kind
from pitchaseat.notifications.service import email_choices
from tests.factories import make_user
from tests.support.orders import buy
from tests.web.test_pages import csrf_of, log_in_with_form


async def test_the_profile_form_turns_email_kinds_off_and_sets_the_language(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    user = await make_user(db_session)
    await log_in_with_form(client, user.email)
    profile = await client.get("/profile")
    assert 'name="email_kinds" value="order_paid" checked' in profile.text

    saved = await client.post(
        "/notifications/preferences",
        data={
            "csrf_token": csrf_of(profile.text),
            "email_kinds": ["order_paid", "order_shipped"],
            "email_locale": "en",
        },
    )

    assert saved.status_code == 303
    choices = await email_choices(db_session, user.id)
    assert {kind for kind, on in choices.items() if on} == {Kind.order_paid, Kind.order_shipped}
    again = await client.get("/profile")
    assert 'value="payout_paid">' in again.text
    assert '<option value="en" selected>' in again.text


async def test_the_notifications_page_lists_them_and_marks_all_read(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    order = await buy(client, db_session)
    buyer_email = (await client.get("/api/v1/users/me", headers=order.buyer)).json()["email"]
    await log_in_with_form(client, buyer_email)

    page = await client.get("/notifications")
    assert page.status_code == 200
    assert f"訂單 {order.id} 已付款" in page.text
    read = await client.post("/notifications/read-all", data={"csrf_token": csrf_of(page.text)})

    assert read.status_code == 303
    count = await client.get("/api/v1/notifications/unread-count", headers=order.buyer)
    assert count.json() == {"count": 0}
