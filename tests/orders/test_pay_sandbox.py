from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts.models import User
from pitchaseat.adapters.payments.base import ChargeRequest, ChargeResult, PaymentUnavailable
from pitchaseat.orders.holds import release_expired_holds
from pitchaseat.orders.models import Order
from pitchaseat.payments.models import Payment
from pitchaseat.runtime import AppServices
from pitchaseat.timeutil import utcnow
from tests.factories import login_headers, make_game, make_listing, make_user
from tests.support.orders import DELIVERY

CARDHOLDER = {"name": "王小明", "email": "fan@example.com", "phone_number": "0912345678"}


@pytest.fixture
async def held(client: httpx.AsyncClient, db_session: AsyncSession) -> dict[str, object]:
    seller = await make_user(db_session)
    buyer = await make_user(db_session)
    listing = await make_listing(db_session, seller, await make_game(db_session), price=450)
    headers = await login_headers(client, buyer.email)
    order = (
        await client.post(
            "/api/v1/orders", json={"listing_id": listing.id, "quantity": 2}, headers=headers
        )
    ).json()
    return {"order": order, "headers": headers}


async def pay(
    client: httpx.AsyncClient, held: dict[str, object], prime: str, key: str | None = None
) -> httpx.Response:
    headers = dict(held["headers"])  # type: ignore[call-overload]
    if key:
        headers["Idempotency-Key"] = key
    return await client.post(
        f"/api/v1/orders/{held['order']['id']}/pay",  # type: ignore[index]
        json={"prime": prime, "cardholder": CARDHOLDER, "delivery": DELIVERY},
        headers=headers,
    )


async def payment_count(session: AsyncSession) -> int:
    return await session.scalar(select(func.count(Payment.id))) or 0


async def test_paying_moves_the_order_to_paid(
    client: httpx.AsyncClient, held: dict[str, object]
) -> None:
    response = await pay(client, held, "test_prime_ok")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "paid"
    assert body["history"][-1]["action"] == "payments.charge.succeeded"


async def test_declined_card_is_402_and_the_buyer_may_retry(
    client: httpx.AsyncClient, held: dict[str, object]
) -> None:
    declined = await pay(client, held, "test_prime_declined")
    retried = await pay(client, held, "test_prime_ok")

    assert declined.status_code == 402
    assert declined.json()["error"]["code"] == "payment_failed"
    assert declined.json()["error"]["details"]["error_code"] == "card_declined"
    assert retried.json()["status"] == "paid"


async def test_three_d_secure_returns_the_payment_url(
    client: httpx.AsyncClient, held: dict[str, object]
) -> None:
    response = await pay(client, held, "test_prime_3ds")

    assert response.status_code == 200
    assert response.json()["status"] == "pending_payment"
    assert "sandbox_trade=SBX" in response.json()["payment_url"]


async def test_a_retried_request_never_charges_twice(
    client: httpx.AsyncClient, held: dict[str, object], db_session: AsyncSession
) -> None:
    first = await pay(client, held, "test_prime_ok", key="pay-once")
    again = await pay(client, held, "test_prime_ok", key="pay-once")
    other_key = await pay(client, held, "test_prime_ok", key="pay-twice")

    assert first.json()["status"] == again.json()["status"] == "paid"
    assert other_key.status_code == 409
    assert await payment_count(db_session) == 1


async def test_an_expired_hold_cannot_be_paid(
    client: httpx.AsyncClient, held: dict[str, object], db_session: AsyncSession
) -> None:
    await db_session.execute(
        update(Order)
        .where(Order.id == held["order"]["id"])  # type: ignore[index]
        .values(hold_expires_at=utcnow() - timedelta(seconds=1))
    )
    await db_session.commit()

    response = await pay(client, held, "test_prime_ok")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "hold_expired"


async def test_someone_elses_order_cannot_be_paid(
    client: httpx.AsyncClient, held: dict[str, object], db_session: AsyncSession
) -> None:
    stranger = await make_user(db_session)

    response = await pay(
        client, {**held, "headers": await login_headers(client, stranger.email)}, "test_prime_ok"
    )

    assert response.status_code == 404


class SilentProvider:
    name = "silent"

    async def pay_by_prime(self, request: ChargeRequest) -> ChargeResult:
        raise PaymentUnavailable("timed out")


async def test_an_unanswered_charge_is_not_failed_blindly_nor_expired(
    client: httpx.AsyncClient,
    held: dict[str, object],
    services: AppServices,
    db_session: AsyncSession,
) -> None:
    services.payments = SilentProvider()

    response = await pay(client, held, "test_prime_ok")
    released = await release_expired_holds(db_session, now=utcnow() + timedelta(hours=1))

    assert response.status_code == 200
    assert response.json()["status"] == "pending_payment"
    assert released == 0
    status = await db_session.scalar(select(Payment.status))
    assert status is not None and status.value == "unknown"


async def test_only_the_buyer_can_pay_others_get_404_and_nothing_is_charged(
    client: httpx.AsyncClient, held: dict[str, object], db_session: AsyncSession
) -> None:
    order = held["order"]
    seller_id = order["seller_id"]  # type: ignore[index]
    stranger = await make_user(db_session)
    seller_email = await db_session.scalar(select(User.email).where(User.id == seller_id))
    assert seller_email is not None

    for email in (stranger.email, seller_email):
        response = await pay(
            client, {**held, "headers": await login_headers(client, email)}, "test_prime_ok"
        )
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"

    assert await payment_count(db_session) == 0
    assert (await pay(client, held, "test_prime_ok")).json()["status"] == "paid"
