"""Redis stopped under a running app: what users see, and that nothing is oversold.

Users see: every page and API answer as before (uncached, so slower), log-in and holds keep
working with rate limits counted per process, the bell stops updating live; /readyz says
"degraded" with HTTP 200. When Redis returns, all of it comes back by itself.
"""

from __future__ import annotations

import asyncio
import logging

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.adapters.breaker import CircuitBreaker
from pitchaseat.listings.models import Listing
from pitchaseat.orders.models import Order
from pitchaseat.runtime import AppServices
from tests.factories import listing_body, login_headers, make_game, make_listing, make_user
from tests.faults.conftest import BREAKER_RESET_SECONDS
from tests.support.redis_server import RedisServer


async def _wait_until_ready(client: httpx.AsyncClient) -> dict[str, object]:
    for _ in range(50):
        body: dict[str, object] = (await client.get("/readyz")).json()
        if body["status"] == "ok":
            return body
        await asyncio.sleep(BREAKER_RESET_SECONDS / 2)
    raise AssertionError(f"still not ready: {body}")


async def test_killed_redis_costs_only_speed_and_the_site_keeps_selling(
    client: httpx.AsyncClient,
    db_session: AsyncSession,
    redis_server: RedisServer,
    redis_breaker: CircuitBreaker,
) -> None:
    seller, first, second = [await make_user(db_session) for _ in range(3)]
    game = await make_game(db_session)
    listing = await make_listing(db_session, seller, game, quantity=3)
    assert (await client.get(f"/api/v1/games/{game.id}/listings")).status_code == 200

    redis_server.kill()

    browse = await client.get(f"/api/v1/games/{game.id}/listings")
    page = await client.get(f"/games/{game.id}", headers={"accept": "text/html"})
    first_headers = await login_headers(client, first.email)
    second_headers = await login_headers(client, second.email)
    held = await client.post(
        "/api/v1/orders", json={"listing_id": listing.id, "quantity": 2}, headers=first_headers
    )
    too_many = await client.post(
        "/api/v1/orders", json={"listing_id": listing.id, "quantity": 2}, headers=second_headers
    )
    ready = await client.get("/readyz")

    assert browse.status_code == 200
    assert [item["id"] for item in browse.json()["items"]] == [listing.id]
    assert page.status_code == 200
    assert held.status_code == 201, held.text
    assert too_many.status_code == 409, too_many.text
    assert redis_breaker.state == "open"  # later requests no longer wait for Redis
    assert ready.status_code == 200
    assert ready.json()["status"] == "degraded"
    assert str(ready.json()["checks"]["redis"]).startswith("degraded")
    held_tickets = await db_session.scalar(
        select(func.coalesce(func.sum(Order.quantity), 0)).where(Order.listing_id == listing.id)
    )
    remaining = await db_session.scalar(
        select(Listing.available_quantity).where(Listing.id == listing.id)
    )
    assert (held_tickets, remaining) == (2, 1)

    redis_server.start()  # the same port: what a restarted Redis looks like

    assert (await _wait_until_ready(client))["checks"] == {"database": "ok", "redis": "ok"}
    assert redis_breaker.state == "closed"


async def test_a_change_made_while_redis_hangs_is_never_hidden_by_a_stale_page(
    client: httpx.AsyncClient, db_session: AsyncSession, redis_server: RedisServer
) -> None:
    seller = await make_user(db_session)
    game = await make_game(db_session)
    await make_listing(db_session, seller, game, quantity=2)
    headers = await login_headers(client, seller.email)
    url = f"/api/v1/games/{game.id}/listings"
    before = (await client.get(url)).json()["items"]
    assert (await client.get(url)).json()["items"] == before  # now served from Redis

    redis_server.freeze()
    created = await client.post(
        "/api/v1/listings",
        json=listing_body(game.id),
        headers=headers,
    )
    while_hung = await client.get(url)
    redis_server.thaw()
    await _wait_until_ready(client)
    after = await client.get(url)

    assert created.status_code == 201, created.text
    assert len(while_hung.json()["items"]) == 2
    assert len(after.json()["items"]) == 2  # the invalidation was replayed, not lost


async def test_rate_limits_fall_back_to_this_process_with_a_warning(
    client: httpx.AsyncClient,
    services: AppServices,
    redis_server: RedisServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    redis_server.kill()
    rule = services.settings.registrations_per_ip
    allowed = int(rule.split("/")[0])

    with caplog.at_level(logging.WARNING, logger="pitchaseat.adapters.ratelimit"):
        checks = [
            await services.rate_limiter.hit(rule, "reg", "198.51.100.9") for _ in range(allowed + 1)
        ]

    assert [check.allowed for check in checks] == [True] * allowed + [False]
    assert "counting in this process" in caplog.text


async def test_live_updates_pause_while_redis_is_away_and_resume_after(
    services: AppServices, redis_server: RedisServer
) -> None:
    fanout = services.fanout
    assert fanout is not None
    async with fanout.subscribe(42) as subscription:
        redis_server.kill()
        await fanout.publish(42, {"id": 1})  # dropped, not raised
        paused = await subscription.next(0.2)
        redis_server.start()
        await asyncio.sleep(BREAKER_RESET_SECONDS * 2)
        for _ in range(20):  # the stream re-subscribes on its next turns
            if await subscription.next(0.1) is None and getattr(subscription, "pubsub", None):
                break
        await fanout.publish(42, {"id": 2})
        resumed = await subscription.next(2.0)

    assert paused is None
    assert resumed == {"id": 2}
