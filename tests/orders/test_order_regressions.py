"""Regressions from using the order core as fans would: 3-D Secure given up, a late charge,
a reused Idempotency-Key, one bad payment in a job run, a game called off twice, the Buy
button in the last half hour."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts.models import User
from pitchaseat.adapters.payments.base import Cardholder, PaymentProvider, TradeRecord
from pitchaseat.catalog.models import Game
from pitchaseat.db import commit
from pitchaseat.jobs import run_tick
from pitchaseat.listings.models import Listing
from pitchaseat.notifications.models import Notification
from pitchaseat.orders.holds import release_expired_holds
from pitchaseat.orders.models import Order
from pitchaseat.orders.schemas import DeliveryIn
from pitchaseat.orders.workflows.game_changes import cancel_game
from pitchaseat.orders.workflows.paying import PaySite, pay_for_order
from pitchaseat.orders.workflows.reconcile import reconcile_payments
from pitchaseat.payments.models import Payment, PaymentStatus
from pitchaseat.runtime import AppServices
from pitchaseat.timeutil import utcnow
from tests.factories import login_headers, make_game, make_listing, make_user
from tests.orders.conftest import Live
from tests.support.orders import CARDHOLDER, DELIVERY, buy
from tests.web.test_pages import csrf_of, log_in_with_form

CARD = Cardholder(**CARDHOLDER)


async def _held(live: Live, *, quantity: int = 1) -> tuple[int, int, int, dict[str, str]]:
    """(order id, buyer id, listing id, buyer headers) of a fresh hold."""
    async with live.factory() as session:
        seller, buyer = await make_user(session), await make_user(session)
        listing = await make_listing(session, seller, await make_game(session), quantity=2)
        await session.commit()
        buyer_id, buyer_email, listing_id = buyer.id, buyer.email, listing.id
    headers = await login_headers(live.client, buyer_email)
    held = await live.client.post(
        "/api/v1/orders", json={"listing_id": listing_id, "quantity": quantity}, headers=headers
    )
    return held.json()["id"], buyer_id, listing_id, headers


async def test_abandoned_3ds_returns_the_tickets_and_a_late_approval_is_refunded(
    live: Live,
) -> None:
    order_id, buyer_id, listing_id, headers = await _held(live)
    payment = await pay_for_order(
        live.factory,
        live.services.payments,
        PaySite("http://testserver", three_domain_secure=True),
        order_id,
        buyer_id,
        prime="prime_ok",
        cardholder=CARD,
        delivery=DeliveryIn(**DELIVERY),
    )
    assert payment.status is PaymentStatus.pending and payment.payment_url
    async with live.factory() as session:  # the buyer closed the bank's page: time passes
        await session.execute(
            update(Order)
            .where(Order.id == order_id)
            .values(hold_expires_at=utcnow() - timedelta(minutes=10))
        )
        await session.commit()

    await reconcile_payments(live.factory, live.services.payments, older_than_seconds=0)
    async with live.factory() as session:
        released = await release_expired_holds(session)
        await session.commit()
        listing = await session.get(Listing, listing_id)
        assert listing is not None
        tickets_back = listing.available_quantity
    live.gateway.complete_3ds(str(payment.rec_trade_id), approved=True)  # the bank, late
    notified = await live.client.post(
        "/api/v1/payments/tappay/notify", json={"rec_trade_id": payment.rec_trade_id}
    )
    order = (await live.client.get(f"/api/v1/orders/{order_id}", headers=headers)).json()

    assert (released, tickets_back) == (1, 2)
    assert notified.status_code == 200
    assert order["status"] == "cancelled"
    assert [step["action"] for step in order["history"]][-2:] == [
        "orders.hold.expired",
        "payments.charge.late_refunded",
    ]
    assert live.gateway.refunded[str(payment.rec_trade_id)] == payment.amount
    assert (await live.books(order_id))[1] == set()  # no money booked for a cancelled order


class RecordsDownFor:
    """The real provider, except that its records cannot be read for one order number."""

    def __init__(self, provider: PaymentProvider, broken_order_number: str) -> None:
        self.provider = provider
        self.name = provider.name
        self.broken = broken_order_number

    async def pay_by_prime(self, request):  # type: ignore[no-untyped-def]
        return await self.provider.pay_by_prime(request)

    async def refund(self, rec_trade_id: str, amount: int) -> bool:
        return await self.provider.refund(rec_trade_id, amount)

    async def find_record(
        self, *, order_number: str | None = None, rec_trade_id: str | None = None
    ) -> TradeRecord | None:
        if order_number == self.broken:
            raise RuntimeError("a record the provider cannot read")
        return await self.provider.find_record(order_number=order_number, rec_trade_id=rec_trade_id)


async def test_one_bad_payment_never_stops_a_job_run(live: Live) -> None:
    lost = []
    for _ in range(2):
        order_id, _, _, headers = await _held(live)
        answer = await live.client.post(
            f"/api/v1/orders/{order_id}/pay",
            json={"prime": "prime_lost", "cardholder": CARDHOLDER, "delivery": DELIVERY},
            headers=headers,
        )
        assert answer.status_code == 200
        lost.append(order_id)
    async with live.factory() as session:
        numbers = {
            payment.order_id: payment.order_number
            for payment in await session.scalars(select(Payment).where(Payment.order_id.in_(lost)))
        }
        await session.execute(update(Payment).values(updated_at=utcnow() - timedelta(minutes=5)))
        await session.commit()
    live.services.payments = RecordsDownFor(live.services.payments, numbers[lost[0]])

    report = await run_tick(live.services)

    async with live.factory() as session:
        statuses = {
            order.id: order.status.value
            for order in await session.scalars(select(Order).where(Order.id.in_(lost)))
        }
    assert statuses == {lost[0]: "pending_payment", lost[1]: "paid"}
    assert report.failed_jobs == ()
    assert report.payments_reconciled >= 2


async def test_a_reused_idempotency_key_with_another_body_is_refused(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    seller, buyer = await make_user(db_session), await make_user(db_session)
    listing = await make_listing(db_session, seller, await make_game(db_session), quantity=4)
    headers = {**await login_headers(client, buyer.email), "Idempotency-Key": "k-1"}

    first = await client.post(
        "/api/v1/orders", json={"listing_id": listing.id, "quantity": 1}, headers=headers
    )
    same = await client.post(
        "/api/v1/orders", json={"listing_id": listing.id, "quantity": 1}, headers=headers
    )
    other = await client.post(
        "/api/v1/orders", json={"listing_id": listing.id, "quantity": 2}, headers=headers
    )
    pay_url = f"/api/v1/orders/{first.json()['id']}/pay"
    paid = await client.post(
        pay_url,
        json={"prime": "test_prime_ok", "cardholder": CARDHOLDER, "delivery": DELIVERY},
        headers=headers,
    )
    other_card = await client.post(
        pay_url,
        json={"prime": "test_prime_declined", "cardholder": CARDHOLDER, "delivery": DELIVERY},
        headers=headers,
    )

    assert same.json()["id"] == first.json()["id"]
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert paid.json()["status"] == "paid"
    assert other_card.status_code == 422
    assert other_card.json()["error"]["code"] == "idempotency_key_reused"
    held = await db_session.scalar(select(func.count(Order.id)).where(Order.buyer_id == buyer.id))
    assert held == 1


async def test_calling_a_game_off_twice_tells_each_fan_once(
    client: httpx.AsyncClient, db_session: AsyncSession, services: AppServices
) -> None:
    game = await make_game(db_session)
    paid = await buy(client, db_session, game=game)

    first = await cancel_game(services.session_factory, services.payments, game.id)
    told = await db_session.scalar(
        select(func.count(Notification.id)).where(Notification.kind == "game_cancelled")
    )
    second = await cancel_game(services.session_factory, services.payments, game.id)
    told_again = await db_session.scalar(
        select(func.count(Notification.id)).where(Notification.kind == "game_cancelled")
    )

    assert first.refunded == [paid.id]
    assert second.refunded == []
    assert told == told_again == 2  # the buyer and the seller, once each


async def test_the_game_page_offers_no_buy_button_once_sales_close(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    seller, buyer = await make_user(db_session), await make_user(db_session)
    game = await make_game(db_session, starts_at=utcnow() + timedelta(hours=3))
    await make_listing(db_session, seller, game)
    token = (await login_headers(client, buyer.email))["Authorization"].removeprefix("Bearer ")
    client.cookies.set("pas_session", token)
    before = await client.get(f"/games/{game.id}")
    await db_session.execute(
        update(Game).where(Game.id == game.id).values(starts_at=utcnow() + timedelta(minutes=20))
    )
    await commit(db_session)

    after = await client.get(f"/games/{game.id}")

    assert "buy-form" in before.text
    assert "buy-form" not in after.text


async def _lost_answer(live: Live) -> tuple[int, int, dict[str, str], httpx.Response]:
    order_id, buyer_id, _, headers = await _held(live)
    answer = await live.client.post(
        f"/api/v1/orders/{order_id}/pay",
        json={"prime": "prime_lost", "cardholder": CARDHOLDER, "delivery": DELIVERY},
        headers=headers,
    )
    async with live.factory() as session:  # the reconcile waits a minute before it asks
        await session.execute(
            update(Payment)
            .where(Payment.order_id == order_id)
            .values(updated_at=utcnow() - timedelta(minutes=5))
        )
        await session.commit()
    return order_id, buyer_id, headers, answer


async def _kinds_told(live: Live, user_id: int) -> list[str]:
    async with live.factory() as session:
        return list(
            await session.scalars(
                select(Notification.kind)
                .where(Notification.user_id == user_id)
                .order_by(Notification.id)
            )
        )


async def test_an_unanswered_charge_is_being_confirmed_then_paid(live: Live) -> None:
    order_id, buyer_id, headers, answer = await _lost_answer(live)
    cancel_meanwhile = await live.client.post(f"/api/v1/orders/{order_id}/cancel", headers=headers)

    await reconcile_payments(live.factory, live.services.payments)
    order = (await live.client.get(f"/api/v1/orders/{order_id}", headers=headers)).json()

    assert answer.status_code == 200
    assert (answer.json()["status"], answer.json()["payment_status"]) == (
        "pending_payment",
        "unknown",
    )
    assert cancel_meanwhile.json()["error"]["code"] == "payment_in_progress"
    assert order["status"] == "paid"
    assert "order_paid" in await _kinds_told(live, buyer_id)


async def test_an_unanswered_charge_never_made_is_told_to_the_buyer(live: Live) -> None:
    order_id, buyer_id, headers, answer = await _lost_answer(live)
    live.gateway.records.clear()  # the bank has no such charge

    await reconcile_payments(live.factory, live.services.payments)
    order = (await live.client.get(f"/api/v1/orders/{order_id}", headers=headers)).json()
    told = await _kinds_told(live, buyer_id)
    retried = await live.client.post(
        f"/api/v1/orders/{order_id}/pay",
        json={"prime": "prime_ok", "cardholder": CARDHOLDER, "delivery": DELIVERY},
        headers=headers,
    )

    assert answer.json()["payment_status"] == "unknown"
    assert order["status"] == "pending_payment"
    assert told == ["payment_not_taken"]
    assert retried.json()["status"] == "paid"


async def test_the_checkout_page_says_being_confirmed_for_an_unanswered_charge(
    live: Live,
) -> None:
    order_id, _, _, _ = await _held(live)
    async with live.factory() as session:
        order = await session.get(Order, order_id)
        assert order is not None
        buyer = await session.get(User, order.buyer_id)
        assert buyer is not None
        email = buyer.email
    await log_in_with_form(live.client, email)
    checkout = await live.client.get(f"/orders/{order_id}")

    paying = await live.client.post(
        f"/orders/{order_id}/pay",
        data={
            "csrf_token": csrf_of(checkout.text),
            "prime": "prime_lost",
            "name": "王小明",
            "email": "fan@example.com",
            "phone": "0912345678",
            "ticket_account": "fan-0912345678",
        },
    )
    shown = await live.client.get(paying.headers["location"])

    assert paying.status_code == 303
    assert 'id="pay-confirming"' in shown.text
    assert 'id="payment-in-flight"' in shown.text
    assert "declined" not in shown.text.lower()
