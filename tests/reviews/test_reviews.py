"""Rating rules: only the buyer, only completed orders, once; the smoothed score."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.reviews.score import RatingPrior, smoothed_score
from tests.factories import login_headers, make_user
from tests.support.orders import PaidOrder


def test_smoothed_score_on_a_worked_example() -> None:
    prior = RatingPrior(mean=4.0, weight=5)

    one_five_star = smoothed_score(5, 1, prior)  # (4*5 + 5) / (5 + 1)
    fifty_at_4_8 = smoothed_score(240, 50, prior)  # (4*5 + 240) / (5 + 50)

    assert one_five_star == pytest.approx(4.167)
    assert fifty_at_4_8 == pytest.approx(4.727)
    assert fifty_at_4_8 > one_five_star
    assert smoothed_score(0, 0, prior) is None


async def complete(client: httpx.AsyncClient, order: PaidOrder) -> None:
    await client.post(f"{order.url}/ship", json={"method": "e_ticket"}, headers=order.seller)
    await client.post(f"{order.url}/confirm", headers=order.buyer)


async def test_buyer_rates_a_completed_order_once_and_the_score_follows(
    client: httpx.AsyncClient, paid: PaidOrder
) -> None:
    await complete(client, paid)

    first = await client.post(
        f"{paid.url}/review", json={"rating": 5, "comment": "準時、票沒問題"}, headers=paid.buyer
    )
    again = await client.post(f"{paid.url}/review", json={"rating": 1}, headers=paid.buyer)

    assert first.status_code == 201
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_reviewed"
    profile = (await client.get(f"/api/v1/users/{paid.seller_id}")).json()
    assert profile["rating_count"] == 1
    reviews = (await client.get(f"/api/v1/users/{paid.seller_id}/reviews")).json()
    assert reviews["total"] == 1
    assert reviews["items"][0]["comment"] == "準時、票沒問題"
    listing = (await client.get(f"/api/v1/listings/{paid.listing_id}")).json()
    assert listing["seller"]["seller_score"] == pytest.approx(4.167)


async def test_only_a_completed_order_can_be_rated(
    client: httpx.AsyncClient, paid: PaidOrder
) -> None:
    response = await client.post(f"{paid.url}/review", json={"rating": 4}, headers=paid.buyer)

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_reviewable"


async def test_the_seller_cannot_rate_and_strangers_see_nothing(
    client: httpx.AsyncClient, db_session: AsyncSession, paid: PaidOrder
) -> None:
    await complete(client, paid)
    stranger = await login_headers(client, (await make_user(db_session)).email)

    by_seller = await client.post(f"{paid.url}/review", json={"rating": 5}, headers=paid.seller)
    by_stranger = await client.post(f"{paid.url}/review", json={"rating": 5}, headers=stranger)

    assert by_seller.status_code == 403
    assert by_stranger.status_code == 404


async def test_seller_replies_once_and_no_one_else_can(
    client: httpx.AsyncClient, db_session: AsyncSession, paid: PaidOrder
) -> None:
    await complete(client, paid)
    review = (
        await client.post(f"{paid.url}/review", json={"rating": 3}, headers=paid.buyer)
    ).json()
    url = f"/api/v1/reviews/{review['id']}/reply"

    by_buyer = await client.post(url, json={"reply": "hi"}, headers=paid.buyer)
    replied = await client.post(url, json={"reply": "謝謝指教"}, headers=paid.seller)
    twice = await client.post(url, json={"reply": "again"}, headers=paid.seller)

    assert by_buyer.status_code == 404
    assert replied.status_code == 200 and replied.json()["reply"] == "謝謝指教"
    assert twice.status_code == 409


async def test_the_seller_is_told_about_a_new_rating(
    client: httpx.AsyncClient, paid: PaidOrder
) -> None:
    await complete(client, paid)

    await client.post(f"{paid.url}/review", json={"rating": 5}, headers=paid.buyer)

    notes = (await client.get("/api/v1/notifications", headers=paid.seller)).json()["items"]
    assert any(note["kind"] == "rating_received" for note in notes)
