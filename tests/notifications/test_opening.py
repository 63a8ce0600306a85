"""Notifications lead to their object, and opening one marks it read."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.notifications.kinds import Kind
from pitchaseat.notifications.models import Notification
from pitchaseat.notifications.service import notify
from pitchaseat.orders.game_changes import postpone_game
from pitchaseat.reservations.jobs import run_matching
from pitchaseat.runtime import AppServices
from tests.factories import login_headers, make_game, make_listing, make_user
from tests.reservations.test_reservations import reserve
from tests.reviews.test_reviews import complete
from tests.support.orders import PaidOrder
from tests.web.test_pages import log_in_with_form

PAYOUT = {"amount": 500, "reference": "TX"}


async def test_opening_a_notification_marks_it_read_and_goes_to_its_object(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    fan = await make_user(db_session)
    note = await notify(
        db_session, user_id=fan.id, kind=Kind.payout_paid, params=PAYOUT, link="/me/money"
    )
    await db_session.commit()
    await log_in_with_form(client, fan.email)

    listed = await client.get("/notifications")
    opened = await client.get(f"/notifications/{note.id}/open")
    await db_session.refresh(note)

    assert f'href="/notifications/{note.id}/open"' in listed.text
    assert opened.status_code == 303 and opened.headers["location"] == "/me/money"
    assert note.read_at is not None


async def test_someone_elses_notification_is_not_found(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    owner = await make_user(db_session)
    stranger = await make_user(db_session)
    note = await notify(db_session, user_id=owner.id, kind=Kind.payout_paid, params=PAYOUT)
    await db_session.commit()
    await log_in_with_form(client, stranger.email)

    response = await client.get(f"/notifications/{note.id}/open")
    await db_session.refresh(note)

    assert response.status_code == 404
    assert note.read_at is None


async def test_order_and_rating_notifications_link_to_the_order_and_the_seller_page(
    client: httpx.AsyncClient, paid: PaidOrder
) -> None:
    await complete(client, paid)
    await client.post(f"{paid.url}/review", json={"rating": 5}, headers=paid.buyer)

    buyer_notes = (await client.get("/api/v1/notifications", headers=paid.buyer)).json()
    seller_notes = (await client.get("/api/v1/notifications", headers=paid.seller)).json()

    order_links = {
        note["link"]
        for note in buyer_notes["items"] + seller_notes["items"]
        if note["kind"].startswith("order_")
    }
    ratings = [note for note in seller_notes["items"] if note["kind"] == "rating_received"]
    assert order_links == {f"/orders/{paid.id}"}
    assert ratings[0]["link"] == f"/users/{paid.seller_id}"


async def test_a_reservation_match_links_to_the_listing_on_its_game_page(
    client: httpx.AsyncClient, db_session: AsyncSession, services: AppServices
) -> None:
    game = await make_game(db_session)
    seller, fan = await make_user(db_session), await make_user(db_session)
    await reserve(client, await login_headers(client, fan.email), game_id=game.id)
    listing = await make_listing(db_session, seller, game, price=450)
    await run_matching(services.session_factory)

    link = await db_session.scalar(
        select(Notification.link).where(Notification.kind == Kind.reservation_match.value)
    )
    page = await client.get(str(link).split("#")[0])

    assert link == f"/games/{game.id}?sort=newest#listing-{listing.id}"
    assert f'id="listing-{listing.id}"' in page.text


async def test_a_postponement_links_each_fan_to_their_order_of_that_game(
    client: httpx.AsyncClient, db_session: AsyncSession, paid: PaidOrder
) -> None:
    await postpone_game(db_session, paid.game_id, makeup_starts_at=None)
    await db_session.commit()

    links = {
        (user_id, link)
        for user_id, link in await db_session.execute(
            select(Notification.user_id, Notification.link).where(
                Notification.kind == Kind.game_postponed.value
            )
        )
    }

    buyer_id = (await client.get("/api/v1/users/me", headers=paid.buyer)).json()["id"]
    assert links == {(buyer_id, f"/orders/{paid.id}"), (paid.seller_id, f"/orders/{paid.id}")}
