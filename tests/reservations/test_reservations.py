"""Reservations: the right fans, once each; price drops and returned holds; never one's own
listing or an ended reservation; the API's rules."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.catalog.models import Game
from pitchaseat.notifications.models import EmailOutbox, Notification
from pitchaseat.reservations.jobs import run_matching
from pitchaseat.runtime import AppServices
from pitchaseat.timeutil import utcnow
from tests.factories import login_headers, make_game, make_listing, make_user


async def reserve(
    client: httpx.AsyncClient, headers: dict[str, str], **body: object
) -> httpx.Response:
    return await client.post("/api/v1/reservations", json=body, headers=headers)


async def alerted(db_session: AsyncSession, user_id: int) -> int:
    return int(
        await db_session.scalar(
            select(func.count(Notification.id)).where(
                Notification.user_id == user_id, Notification.kind == "reservation_match"
            )
        )
        or 0
    )


async def test_a_new_listing_tells_each_matching_fan_once(
    client: httpx.AsyncClient, db_session: AsyncSession, services: AppServices
) -> None:
    game = await make_game(db_session)
    seller = await make_user(db_session)
    any_area, first_base, too_cheap, seller_self = [await make_user(db_session) for _ in range(4)]
    heads = {
        u.id: await login_headers(client, u.email)
        for u in (any_area, first_base, too_cheap, seller)
    }
    await reserve(client, heads[any_area.id], game_id=game.id, max_price=500)
    await reserve(client, heads[any_area.id], game_id=game.id)  # a second one: still one alert
    await reserve(
        client, heads[first_base.id], game_id=game.id, seat_areas=["infield_1b"], quantity=2
    )
    await reserve(client, heads[too_cheap.id], game_id=game.id, max_price=300)
    await reserve(client, heads[seller.id], game_id=game.id)

    await make_listing(db_session, seller, game, price=450, quantity=2, seat_area="infield_1b")
    first = await run_matching(services.session_factory)
    again = await run_matching(services.session_factory)

    assert sorted(first[0].notified_user_ids) == sorted([any_area.id, first_base.id])
    assert again == []
    assert [await alerted(db_session, u.id) for u in (any_area, first_base, too_cheap, seller)] == [
        1,
        1,
        0,
        0,
    ]
    emails = await db_session.scalar(
        select(func.count(EmailOutbox.id)).where(EmailOutbox.kind == "reservation_match")
    )
    assert emails == 2
    _ = seller_self


async def test_a_price_drop_and_returned_tickets_alert(
    client: httpx.AsyncClient, db_session: AsyncSession, services: AppServices
) -> None:
    game = await make_game(db_session)
    seller = await make_user(db_session)
    fan = await make_user(db_session)
    other_buyer = await make_user(db_session)
    fan_headers = await login_headers(client, fan.email)
    await reserve(client, fan_headers, game_id=game.id, max_price=500)
    listing = await make_listing(db_session, seller, game, price=600, face_value=800, quantity=1)
    await run_matching(services.session_factory)
    before_drop = await alerted(db_session, fan.id)

    seller_headers = await login_headers(client, seller.email)
    await client.patch(
        f"/api/v1/listings/{listing.id}", json={"price": 450}, headers=seller_headers
    )
    await run_matching(services.session_factory)
    after_drop = await alerted(db_session, fan.id)

    # A second fan waits for the same game; the only ticket is held, then let go.
    late_fan = await make_user(db_session)
    await reserve(client, await login_headers(client, late_fan.email), game_id=game.id)
    buyer_headers = await login_headers(client, other_buyer.email)
    held = await client.post(
        "/api/v1/orders", json={"listing_id": listing.id, "quantity": 1}, headers=buyer_headers
    )
    await client.post(f"/api/v1/orders/{held.json()['id']}/cancel", headers=buyer_headers)
    await run_matching(services.session_factory)

    assert (before_drop, after_drop) == (0, 1)
    assert await alerted(db_session, late_fan.id) == 1
    assert await alerted(db_session, fan.id) == 1  # once per listing, however it comes back


async def test_reservations_of_a_started_game_never_alert(
    client: httpx.AsyncClient, db_session: AsyncSession, services: AppServices
) -> None:
    game = await make_game(db_session)
    seller = await make_user(db_session)
    fan = await make_user(db_session)
    await reserve(client, await login_headers(client, fan.email), game_id=game.id)
    listing = await make_listing(db_session, seller, game)
    await db_session.execute(
        update(Game).where(Game.id == game.id).values(starts_at=utcnow() - timedelta(minutes=1))
    )
    await db_session.commit()

    await run_matching(services.session_factory)

    assert await alerted(db_session, fan.id) == 0
    _ = listing


async def test_reservation_api_rules(client: httpx.AsyncClient, db_session: AsyncSession) -> None:
    game = await make_game(db_session)
    fan = await login_headers(client, (await make_user(db_session)).email)
    stranger = await login_headers(client, (await make_user(db_session)).email)

    made = await reserve(
        client, fan, game_id=game.id, seat_areas=["infield_1b", "outfield_left"], max_price=900
    )
    bad_range = await reserve(client, fan, game_id=game.id, min_price=500, max_price=100)
    bad_area = await reserve(client, fan, game_id=game.id, seat_areas=["nowhere"])
    no_game = await reserve(client, fan, game_id=999999)
    listed = await client.get("/api/v1/reservations", headers=fan)
    foreign = await client.delete(f"/api/v1/reservations/{made.json()['id']}", headers=stranger)
    deleted = await client.delete(f"/api/v1/reservations/{made.json()['id']}", headers=fan)

    assert made.status_code == 201, made.text
    assert made.json()["seat_areas"] == ["infield_1b", "outfield_left"] and made.json()["active"]
    assert bad_range.status_code == 422 and bad_range.json()["error"]["code"] == "bad_price_range"
    assert bad_area.status_code == 422
    assert no_game.status_code == 404
    assert listed.json()["total"] == 1
    assert foreign.status_code == 404
    assert deleted.status_code == 204
    assert (await client.get("/api/v1/reservations", headers=fan)).json()["total"] == 0
