"""Trending: exact ranking, moved by payments and refunds. Recommendations: reasons, cold
start, and never a past game or one without tickets."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.catalog.models import Game, GameStatus
from pitchaseat.discovery.variants import parse_split, variant_for
from pitchaseat.orders.game_changes import postpone_game
from pitchaseat.settings import Settings
from pitchaseat.timeutil import utcnow
from tests.factories import login_headers, make_game, make_listing, make_user
from tests.support.orders import buy


async def test_trending_ranks_games_by_tickets_paid_and_follows_refunds(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    quiet = await make_game(db_session)
    busy = await make_game(db_session)
    await buy(client, db_session, game=quiet, quantity=2)
    await buy(client, db_session, game=busy, quantity=2)
    refunded_later = await buy(client, db_session, game=busy, quantity=1)

    before = (await client.get("/api/v1/trending")).json()
    await client.post(f"{refunded_later.url}/cancel", headers=refunded_later.seller)
    after = (await client.get("/api/v1/trending")).json()

    assert [(e["game"]["id"], e["trade_count"], e["rank"]) for e in before][:2] == [
        (busy.id, 3, 1),
        (quiet.id, 2, 2),
    ]
    # 2 and 2 after the refund: the tie goes to the sooner game (the one made first).
    assert [(e["game"]["id"], e["trade_count"]) for e in after][:2] == [(quiet.id, 2), (busy.id, 2)]


async def called_off_and_rained_out(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> tuple[Game, Game, Game]:
    """Three games with tickets sold and more on sale: one still on, one called off whose
    refunds have not gone through (its orders are still paid), one postponed without a date."""
    on, called_off, rained_out = [await make_game(db_session) for _ in range(3)]
    seller = await make_user(db_session)
    for game, sold in ((on, 1), (called_off, 3), (rained_out, 2)):
        await buy(client, db_session, game=game, quantity=sold)
        await make_listing(db_session, seller, game, price=300)
    await db_session.execute(
        update(Game).where(Game.id == called_off.id).values(status=GameStatus.cancelled)
    )
    await postpone_game(db_session, rained_out.id, makeup_starts_at=None)
    await db_session.commit()
    return on, called_off, rained_out


@pytest.mark.parametrize(
    ("path", "entries"), [("/api/v1/trending", None), ("/api/v1/recommendations", "items")]
)
async def test_trending_and_picks_never_show_a_cancelled_or_postponed_game(
    client: httpx.AsyncClient, db_session: AsyncSession, path: str, entries: str | None
) -> None:
    on, called_off, rained_out = await called_off_and_rained_out(client, db_session)

    body = (await client.get(path, params={"limit": 20})).json()

    shown = [entry["game"]["id"] for entry in (body[entries] if entries else body)]
    assert on.id in shown
    assert called_off.id not in shown
    assert rained_out.id not in shown


async def test_anonymous_visitors_get_popular_games_with_tickets_and_a_preview(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    seller = await make_user(db_session)
    popular = await make_game(db_session)
    await buy(client, db_session, game=popular, quantity=1, price=700)
    await make_listing(db_session, seller, popular, price=300)
    empty = await make_game(db_session)
    past = await make_game(db_session, starts_at=utcnow() - timedelta(days=1))
    await make_listing(db_session, seller, empty, price=400)  # withdrawn below

    response = await client.get("/api/v1/recommendations", params={"limit": 20})
    body = response.json()
    ids = [item["game"]["id"] for item in body["items"]]

    assert response.status_code == 200
    assert ids[0] == popular.id
    assert past.id not in ids
    first = body["items"][0]
    assert first["reasons"][0]["code"] == "popular"
    assert first["listings_preview"][0]["price"] == 300
    assert body["variant"] == "A"


async def test_a_fan_is_told_why_a_game_was_picked(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    fan = await make_user(db_session)
    seller = await make_user(db_session)
    game = await make_game(db_session, home="UL", away="FG")
    await make_listing(db_session, seller, game)
    headers = await login_headers(client, fan.email)
    teams = {t["code"]: t["id"] for t in (await client.get("/api/v1/teams")).json()}
    await client.patch(
        "/api/v1/users/me", json={"favorite_team_ids": [teams["UL"]]}, headers=headers
    )

    body = (await client.get("/api/v1/recommendations", headers=headers)).json()

    picked = next(item for item in body["items"] if item["game"]["id"] == game.id)
    codes = [reason["code"] for reason in picked["reasons"]]
    assert "favourite_team" in codes
    assert all(reason["text"] for reason in picked["reasons"])


async def test_impressions_and_clicks_are_logged_and_unknown_games_refused(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    fan = await login_headers(client, (await make_user(db_session)).email)
    game = await make_game(db_session)

    logged = await client.post(
        "/api/v1/recommendations/events",
        json={"kind": "click", "game_id": game.id, "request_id": "abcdef0123456789"},
        headers=fan,
    )
    unknown = await client.post(
        "/api/v1/recommendations/events",
        json={"kind": "impression", "game_id": 999999, "request_id": "abcdef0123456789"},
        headers=fan,
    )

    assert logged.status_code == 202
    assert unknown.status_code == 404


def test_variants_are_assigned_deterministically_by_the_configured_split() -> None:
    settings = Settings(recs_variant_split="A=50,B=50", _env_file=None)  # type: ignore[call-arg]
    everyone_b = Settings(recs_variant_split="B=1", _env_file=None)  # type: ignore[call-arg]

    first = [variant_for(user_id, settings) for user_id in range(1, 2001)]
    second = [variant_for(user_id, settings) for user_id in range(1, 2001)]

    assert first == second
    assert 900 < first.count("A") < 1100
    assert {variant_for(user_id, everyone_b) for user_id in range(1, 50)} == {"B"}
    assert parse_split("A=3,B=1") == (("A", 3.0), ("B", 1.0))
