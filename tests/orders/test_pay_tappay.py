"""TapPay against a local fake that follows TapPay's documented request and response shapes."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.adapters.payments.tappay import TapPayPayments
from pitchaseat.orders.workflows.reconcile import reconcile_payments
from pitchaseat.payments.models import Payment
from pitchaseat.runtime import AppServices
from pitchaseat.settings import Settings
from tests.factories import login_headers, make_game, make_listing, make_user
from tests.support.fake_tappay import MERCHANT_ID, PARTNER_KEY, FakeTapPay
from tests.support.live_server import serve_asgi
from tests.support.orders import DELIVERY

CARDHOLDER = {"name": "王小明", "email": "fan@example.com", "phone_number": "0912345678"}


@pytest.fixture(scope="module")
def fake() -> Iterator[tuple[FakeTapPay, str]]:
    tappay = FakeTapPay()
    with serve_asgi(tappay.app()) as url:
        yield tappay, url


@pytest.fixture
async def tappay(fake: tuple[FakeTapPay, str], services: AppServices) -> AsyncIterator[FakeTapPay]:
    provider = TapPayPayments(
        partner_key=PARTNER_KEY, merchant_id=MERCHANT_ID, host=fake[1], timeout_seconds=0.5
    )
    services.payments = provider
    yield fake[0]
    await provider.close()


@pytest.fixture
async def held(client: httpx.AsyncClient, db_session: AsyncSession) -> dict[str, object]:
    seller, buyer = await make_user(db_session), await make_user(db_session)
    listing = await make_listing(db_session, seller, await make_game(db_session), price=480)
    headers = await login_headers(client, buyer.email)
    order = (
        await client.post(
            "/api/v1/orders", json={"listing_id": listing.id, "quantity": 2}, headers=headers
        )
    ).json()
    return {"id": order["id"], "headers": headers}


async def pay(client: httpx.AsyncClient, held: dict[str, object], prime: str) -> httpx.Response:
    return await client.post(
        f"/api/v1/orders/{held['id']}/pay",
        json={"prime": prime, "cardholder": CARDHOLDER, "delivery": DELIVERY},
        headers=held["headers"],  # type: ignore[arg-type]
    )


async def order_of(client: httpx.AsyncClient, held: dict[str, object]) -> dict[str, object]:
    response = await client.get(f"/api/v1/orders/{held['id']}", headers=held["headers"])  # type: ignore[arg-type]
    return response.json()  # type: ignore[no-any-return]


async def test_charge_goes_through_with_our_order_number(
    client: httpx.AsyncClient, tappay: FakeTapPay, held: dict[str, object], db_session: AsyncSession
) -> None:
    response = await pay(client, held, "prime_ok")

    assert response.json()["status"] == "paid"
    payment = await db_session.scalar(select(Payment))
    assert payment is not None
    record = next(r for r in tappay.records.values() if r["order_number"] == payment.order_number)
    assert (record["amount"], payment.rec_trade_id) == (960, record["rec_trade_id"])


@pytest.mark.parametrize(
    ("prime", "code"),
    [
        ("prime_declined", "card_declined"),
        ("prime_expired", "prime_expired"),
        ("prime_invalid", "invalid_prime"),
    ],
)
async def test_refusals_are_clear_402s(
    client: httpx.AsyncClient,
    tappay: FakeTapPay,
    held: dict[str, object],
    prime: str,
    code: str,
) -> None:
    response = await pay(client, held, prime)

    assert response.status_code == 402
    assert response.json()["error"]["details"]["error_code"] == code
    assert (await order_of(client, held))["status"] == "pending_payment"


@pytest.mark.parametrize("prime", ["prime_slow", "prime_lost"])
async def test_a_charge_whose_answer_never_came_is_settled_by_the_record_query(
    client: httpx.AsyncClient,
    tappay: FakeTapPay,
    held: dict[str, object],
    services: AppServices,
    prime: str,
) -> None:
    answered = await pay(client, held, prime)
    before = (await order_of(client, held))["status"]

    settled = await reconcile_payments(
        services.session_factory, services.payments, older_than_seconds=0
    )

    assert answered.status_code == 200
    assert before == "pending_payment"
    assert settled == 1
    assert (await order_of(client, held))["status"] == "paid"
    assert tappay.calls.count("pay-by-prime") >= 1


async def test_three_d_secure_is_settled_once_however_often_notified(
    client: httpx.AsyncClient,
    tappay: FakeTapPay,
    held: dict[str, object],
    services: AppServices,
    settings: Settings,
) -> None:
    services.settings = settings.model_copy(update={"tappay_three_domain_secure": True})
    started = (await pay(client, held, "prime_ok")).json()
    trade = started["payment_url"].rsplit("/", 1)[1]
    notify = {"rec_trade_id": trade, "status": 0, "msg": "Success"}

    early = await client.post("/api/v1/payments/tappay/notify", json=notify)
    tappay.complete_3ds(trade)
    answers = [
        (await client.post("/api/v1/payments/tappay/notify", json=notify)).json()["status"]
        for _ in range(5)
    ]

    assert started["status"] == "pending_payment"
    assert early.json()["status"] == "pending"
    assert answers == ["paid"] * 5
    history = (await order_of(client, held))["history"]
    assert [e["action"] for e in history].count("payments.charge.succeeded") == 1  # type: ignore[union-attr]


async def test_notify_for_an_unknown_trade_changes_nothing(
    client: httpx.AsyncClient, tappay: FakeTapPay
) -> None:
    forged = await client.post(
        "/api/v1/payments/tappay/notify", json={"rec_trade_id": "D999", "status": 0}
    )
    garbage = await client.post(
        "/api/v1/payments/tappay/notify",
        content=b"not json",
        headers={"Content-Type": "application/json"},
    )

    assert forged.status_code == garbage.status_code == 200
    assert forged.json()["status"] == "ignored"
