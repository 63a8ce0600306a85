"""Every allowed move works; every other one is 409 invalid_order_state; the wrong party is
refused; strangers see nothing."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.orders.models import OrderStatus
from pitchaseat.orders.states import TRANSITIONS, can_move
from pitchaseat.runtime import AppServices
from tests.factories import login_headers, make_user
from tests.support.orders import PaidOrder


def test_the_transition_table_matches_api_md() -> None:
    s = OrderStatus
    assert can_move(s.pending_payment, s.paid) and can_move(s.pending_payment, s.cancelled)
    assert can_move(s.paid, s.shipped) and can_move(s.shipped, s.completed)
    assert all(can_move(x, s.refunded) for x in (s.paid, s.shipped, s.disputed))
    assert all(can_move(x, s.disputed) for x in (s.paid, s.shipped))
    assert can_move(s.disputed, s.completed)
    assert not any(TRANSITIONS[x] for x in (s.completed, s.cancelled, s.refunded))
    assert not can_move(s.pending_payment, s.shipped)


async def test_seller_ships_and_buyer_confirms(client: httpx.AsyncClient, paid: PaidOrder) -> None:
    order_url = f"/api/v1/orders/{paid.id}"

    shipped = await client.post(
        f"{order_url}/ship",
        json={"method": "mail", "tracking_number": "EE123456789TW"},
        headers=paid.seller,
    )
    confirmed = await client.post(f"{order_url}/confirm", headers=paid.buyer)

    assert shipped.json()["status"] == "shipped"
    assert shipped.json()["history"][-1]["data"]["tracking_number"] == "EE123456789TW"
    assert confirmed.json()["status"] == "completed"
    actions = [event["action"] for event in confirmed.json()["history"]]
    assert actions == [
        "orders.hold.created",
        "payments.charge.succeeded",
        "orders.shipped",
        "orders.completed",
    ]


async def test_wrong_party_is_refused(client: httpx.AsyncClient, paid: PaidOrder) -> None:
    order_url = f"/api/v1/orders/{paid.id}"

    buyer_ships = await client.post(
        f"{order_url}/ship",
        json={"method": "mail"},
        headers=paid.buyer,
    )
    seller_disputes = await client.post(
        f"{order_url}/dispute",
        json={"reason": "x"},
        headers=paid.seller,
    )

    assert buyer_ships.status_code == seller_disputes.status_code == 403


async def test_moves_out_of_order_are_refused(client: httpx.AsyncClient, paid: PaidOrder) -> None:
    order_url = f"/api/v1/orders/{paid.id}"

    confirm_unshipped = await client.post(f"{order_url}/confirm", headers=paid.buyer)
    cancel_paid = await client.post(f"{order_url}/cancel", headers=paid.buyer)
    await client.post(f"{order_url}/dispute", json={"reason": "No tickets yet"}, headers=paid.buyer)
    ship_disputed = await client.post(
        f"{order_url}/ship",
        json={"method": "mail"},
        headers=paid.seller,
    )

    for response in (confirm_unshipped, ship_disputed):
        assert response.status_code == 409
        assert response.json()["error"]["code"] == "invalid_order_state"
    # A paid order is the seller's to cancel (with a refund); the buyer disputes instead.
    assert cancel_paid.status_code == 403


async def test_strangers_cannot_act_on_an_order(
    client: httpx.AsyncClient, db_session: AsyncSession, paid: PaidOrder
) -> None:
    stranger = await login_headers(client, (await make_user(db_session)).email)

    response = await client.post(
        f"/api/v1/orders/{paid.id}/ship", json={"method": "mail"}, headers=stranger
    )

    assert response.status_code == 404


async def test_seller_cancelling_a_paid_order_refunds_it_and_frees_the_tickets(
    client: httpx.AsyncClient, paid: PaidOrder
) -> None:
    order_url = f"/api/v1/orders/{paid.id}"
    listing_id = (await client.get(order_url, headers=paid.buyer)).json()["listing_id"]

    refunded = await client.post(
        f"{order_url}/cancel",
        json={"reason": "Lost the tickets"},
        headers=paid.seller,
    )
    again = await client.post(f"{order_url}/cancel", headers=paid.seller)

    assert refunded.status_code == 200
    assert refunded.json()["status"] == "refunded"
    assert refunded.json()["history"][-1]["action"] == "payments.refund.seller_cancelled"
    assert again.status_code == 409
    listing = (await client.get(f"/api/v1/listings/{listing_id}")).json()
    assert listing["available_quantity"] == listing["quantity"]


class RefusingRefunds:
    name = "refusing"

    async def refund(self, rec_trade_id: str, amount: int) -> bool:
        return False


async def test_a_refused_refund_changes_nothing(
    client: httpx.AsyncClient, paid: PaidOrder, services: AppServices
) -> None:
    real = services.payments
    services.payments = RefusingRefunds()  # type: ignore[assignment]
    try:
        response = await client.post(
            f"/api/v1/orders/{paid.id}/cancel",
            headers=paid.seller,
        )
    finally:
        services.payments = real

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "refund_failed"
    order = (await client.get(f"/api/v1/orders/{paid.id}", headers=paid.buyer)).json()
    assert order["status"] == "paid"
