"""Money races: while the gateway is being asked about an order (a charge or a refund in
flight) no other move of that order may win. Each race runs many times with the gateway
answering a little late on purpose; every time the order's status, the ledger and the
gateway's own record must tell the same story."""

from __future__ import annotations

import asyncio
import random

import httpx

from pitchaseat.accounts.models import User
from pitchaseat.catalog.models import Game
from pitchaseat.ledger.models import EntryKind
from tests.factories import login_headers, make_game, make_listing, make_user
from tests.orders.conftest import Live
from tests.support.orders import CARDHOLDER, DELIVERY

ROUNDS = 8


async def _parties(live: Live) -> tuple[dict[str, str], dict[str, str], int]:
    async with live.factory() as session:
        seller, buyer = await make_user(session), await make_user(session)
        game = await make_game(session)
        await session.commit()
        seller_email, buyer_email, game_id = seller.email, buyer.email, game.id
    seller_headers = await login_headers(live.client, seller_email)
    buyer_headers = await login_headers(live.client, buyer_email)
    return seller_headers, buyer_headers, game_id


async def _hold(live: Live, seller: dict[str, str], buyer: dict[str, str], game_id: int) -> int:
    """A one-ticket listing of the seller's, held by the buyer."""
    seller_id = (await live.client.get("/api/v1/users/me", headers=seller)).json()["id"]
    async with live.factory() as session:
        seller_user = await session.get(User, seller_id)
        game = await session.get(Game, game_id)
        assert seller_user is not None and game is not None
        listing = await make_listing(session, seller_user, game, quantity=1, price=600)
        await session.commit()
        listing_id = listing.id
    held = await live.client.post(
        "/api/v1/orders", json={"listing_id": listing_id, "quantity": 1}, headers=buyer
    )
    assert held.status_code == 201, held.text
    return int(held.json()["id"])


async def _paid(
    live: Live, seller: dict[str, str], buyer: dict[str, str], game_id: int, *, ship: bool
) -> int:
    order_id = await _hold(live, seller, buyer, game_id)
    paid = await _pay(live.client, order_id, buyer)
    assert paid.json()["status"] == "paid", paid.text
    if ship:
        shipped = await live.client.post(
            f"/api/v1/orders/{order_id}/ship", json={"method": "e_ticket"}, headers=seller
        )
        assert shipped.status_code == 200, shipped.text
    return order_id


async def _pay(client: httpx.AsyncClient, order_id: int, buyer: dict[str, str]) -> httpx.Response:
    return await client.post(
        f"/api/v1/orders/{order_id}/pay",
        json={"prime": "prime_ok", "cardholder": CARDHOLDER, "delivery": DELIVERY},
        headers=buyer,
    )


async def _after(delay: float, call: object) -> httpx.Response:
    await asyncio.sleep(delay)
    return await call  # type: ignore[misc,no-any-return]


async def _gateway_asked(live: Live, call: str, before: int) -> None:
    """Waits until the gateway has been asked (the order is claimed by then)."""
    for _ in range(500):
        if live.gateway.calls.count(call) > before:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"the gateway was never asked to {call}")


async def test_a_confirm_during_the_sellers_refund_waits_for_the_gateway(live: Live) -> None:
    seller, buyer, game_id = await _parties(live)
    order_id = await _paid(live, seller, buyer, game_id, ship=True)
    live.gateway.refund_delay_seconds = 1.0
    refunds_before = live.gateway.calls.count("refund")

    refund = asyncio.create_task(
        live.client.post(f"/api/v1/orders/{order_id}/cancel", headers=seller)
    )
    await _gateway_asked(live, "refund", refunds_before)
    confirm = await live.client.post(f"/api/v1/orders/{order_id}/confirm", headers=buyer)
    refunded = await refund

    assert confirm.status_code == 409
    assert confirm.json()["error"]["code"] == "payment_in_progress"
    assert refunded.status_code == 200
    assert await live.books(order_id) == ("refunded", {EntryKind.charge, EntryKind.refund}, 600)


async def test_seller_refund_racing_buyer_confirm_never_pays_twice(live: Live) -> None:
    seller, buyer, game_id = await _parties(live)
    for _ in range(ROUNDS):
        order_id = await _paid(live, seller, buyer, game_id, ship=True)
        live.gateway.refund_delay_seconds = random.choice((0.0, 0.01, 0.03))

        refund, confirm = await asyncio.gather(
            live.client.post(f"/api/v1/orders/{order_id}/cancel", headers=seller),
            _after(
                random.uniform(0, 0.03),
                live.client.post(f"/api/v1/orders/{order_id}/confirm", headers=buyer),
            ),
        )

        status, kinds, refunded = await live.books(order_id)
        assert sorted((refund.status_code, confirm.status_code)) == [200, 409]
        if status == "refunded":
            assert refund.status_code == 200
            assert (kinds, refunded) == ({EntryKind.charge, EntryKind.refund}, 600)
        else:
            assert status == "completed"
            assert confirm.status_code == 200
            assert EntryKind.payout_due in kinds and EntryKind.refund not in kinds
            assert refunded == 0


async def test_buyer_cancel_during_a_slow_charge_leaves_the_order_paid(live: Live) -> None:
    seller, buyer, game_id = await _parties(live)
    order_id = await _hold(live, seller, buyer, game_id)
    live.gateway.charge_delay_seconds = 1.0
    charges_before = live.gateway.calls.count("pay-by-prime")

    paying = asyncio.create_task(_pay(live.client, order_id, buyer))
    await _gateway_asked(live, "pay-by-prime", charges_before)
    cancel = await live.client.post(f"/api/v1/orders/{order_id}/cancel", headers=buyer)
    paid = await paying

    assert cancel.status_code == 409
    assert cancel.json()["error"]["code"] == "payment_in_progress"
    assert paid.json()["status"] == "paid"
    assert await live.books(order_id) == ("paid", {EntryKind.charge}, 0)


async def test_buyer_cancel_racing_a_late_charge_ends_one_way_only(live: Live) -> None:
    seller, buyer, game_id = await _parties(live)
    for _ in range(ROUNDS):
        order_id = await _hold(live, seller, buyer, game_id)
        live.gateway.charge_delay_seconds = random.choice((0.0, 0.02, 0.05))
        charges_before = len(live.gateway.records)

        paid, cancel = await asyncio.gather(
            _pay(live.client, order_id, buyer),
            _after(
                random.uniform(0, 0.05),
                live.client.post(f"/api/v1/orders/{order_id}/cancel", headers=buyer),
            ),
        )

        status, kinds, _ = await live.books(order_id)
        charged = len(live.gateway.records) - charges_before
        if status == "paid":
            # Cancelled while the charge was out (409), or after it was paid (403: a paid
            # order is not the buyer's to cancel).
            assert (paid.status_code, charged) == (200, 1)
            assert cancel.status_code in (403, 409)
            assert kinds == {EntryKind.charge}
        else:
            assert status == "cancelled"
            assert (cancel.status_code, paid.status_code, charged) == (200, 409, 0)
            assert kinds == set()


async def test_refund_racing_a_dispute_refunds_once(live: Live) -> None:
    seller, buyer, game_id = await _parties(live)
    for _ in range(ROUNDS):
        order_id = await _paid(live, seller, buyer, game_id, ship=False)
        live.gateway.refund_delay_seconds = random.choice((0.0, 0.01, 0.03))

        refund, dispute = await asyncio.gather(
            live.client.post(f"/api/v1/orders/{order_id}/cancel", headers=seller),
            _after(
                random.uniform(0, 0.03),
                live.client.post(
                    f"/api/v1/orders/{order_id}/dispute",
                    json={"reason": "The seller stopped answering"},
                    headers=buyer,
                ),
            ),
        )

        # The seller may refund a disputed order too: whichever order the two land in, the
        # buyer gets the money back exactly once and the seller is owed nothing.
        assert refund.status_code == 200
        assert dispute.status_code in (200, 409)
        assert await live.books(order_id) == ("refunded", {EntryKind.charge, EntryKind.refund}, 600)
