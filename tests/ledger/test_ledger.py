"""The money book: fees, balances, payouts, and every sum balancing after a random run."""

from __future__ import annotations

import random
from collections import defaultdict

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.ledger.errors import NothingToPay
from pitchaseat.ledger.models import Account, LedgerEntry
from pitchaseat.ledger.service import account_totals, mark_payout_paid, payouts_due, seller_fee
from pitchaseat.orders.models import Order, OrderStatus
from pitchaseat.orders.workflows.disputes import DisputeOutcome, resolve_dispute
from pitchaseat.runtime import AppServices
from tests.factories import give_payout_account, login_headers, make_game, make_listing, make_user
from tests.support.orders import CARDHOLDER, DELIVERY, PaidOrder

FEE_BPS = 500


@pytest.mark.parametrize(
    ("amount", "fee_bps", "fee"),
    [(1000, 500, 50), (999, 500, 50), (989, 500, 49), (30, 250, 1), (10, 250, 0), (800, 0, 0)],
)
def test_seller_fee_rounds_half_up_to_a_whole_dollar(amount: int, fee_bps: int, fee: int) -> None:
    assert seller_fee(amount, fee_bps) == fee


async def balance(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, float]:
    response = await client.get("/api/v1/me/balance", headers=headers)
    assert response.status_code == 200
    body: dict[str, float] = response.json()
    return body


async def test_seller_balance_follows_the_order_from_escrow_to_payout(
    client: httpx.AsyncClient, db_session: AsyncSession, paid: PaidOrder
) -> None:
    in_escrow = await balance(client, paid.seller)
    await client.post(f"{paid.url}/ship", json={"method": "e_ticket"}, headers=paid.seller)
    await client.post(f"{paid.url}/confirm", headers=paid.buyer)
    earned = await balance(client, paid.seller)
    due = await payouts_due(db_session)
    await give_payout_account(db_session, paid.seller_id)
    payout = await mark_payout_paid(db_session, paid.seller_id, reference="TX-1")
    await db_session.commit()
    settled = await balance(client, paid.seller)

    net = paid.amount - seller_fee(paid.amount, FEE_BPS)
    assert in_escrow == {
        "pending": paid.amount,
        "available": 0,
        "paid_out": 0,
        "seller_fee_percent": 5.0,
    }
    assert (earned["pending"], earned["available"]) == (0, net)
    assert (paid.seller_id, net) in due
    assert payout.amount == net
    assert (settled["available"], settled["paid_out"]) == (0, net)
    with pytest.raises(NothingToPay):
        await mark_payout_paid(db_session, paid.seller_id, reference="TX-2")


async def test_a_refund_empties_escrow_and_owes_the_seller_nothing(
    client: httpx.AsyncClient, paid: PaidOrder
) -> None:
    await client.post(f"{paid.url}/cancel", headers=paid.seller)

    assert await balance(client, paid.seller) == {
        "pending": 0,
        "available": 0,
        "paid_out": 0,
        "seller_fee_percent": 5.0,
    }


async def test_every_sum_balances_after_a_random_run(
    client: httpx.AsyncClient, db_session: AsyncSession, services: AppServices
) -> None:
    rng = random.Random(20261125)
    game = await make_game(db_session)
    sellers = [await make_user(db_session) for _ in range(3)]
    for seller in sellers:
        await give_payout_account(db_session, seller.id)
    buyers = [await make_user(db_session) for _ in range(3)]
    seller_headers = {s.id: await login_headers(client, s.email) for s in sellers}
    buyer_headers = [await login_headers(client, b.email) for b in buyers]
    listings = [
        await make_listing(db_session, s, game, quantity=10, price=rng.randrange(300, 2000))
        for s in sellers + sellers
    ]
    open_orders: list[tuple[int, dict[str, str], dict[str, str]]] = []
    for _ in range(36):
        step = rng.choice(["buy", "buy", "finish", "refund", "dispute", "payout"])
        if step == "buy" or not open_orders:
            listing = rng.choice(listings)
            headers = rng.choice(buyer_headers)
            order = (
                await client.post(
                    "/api/v1/orders",
                    json={"listing_id": listing.id, "quantity": rng.randint(1, 2)},
                    headers=headers,
                )
            ).json()
            pay = await client.post(
                f"/api/v1/orders/{order['id']}/pay",
                json={"prime": "test_prime_ok", "cardholder": CARDHOLDER, "delivery": DELIVERY},
                headers=headers,
            )
            assert pay.json()["status"] == "paid"
            open_orders.append((order["id"], headers, seller_headers[listing.seller_id]))
            continue
        if step == "payout":
            due = await payouts_due(db_session)
            if due:
                await mark_payout_paid(db_session, rng.choice(due)[0], reference="random")
                await db_session.commit()
            continue
        order_id, buyer, seller = open_orders.pop(rng.randrange(len(open_orders)))
        url = f"/api/v1/orders/{order_id}"
        if step == "finish":
            await client.post(f"{url}/ship", json={"method": "e_ticket"}, headers=seller)
            assert (await client.post(f"{url}/confirm", headers=buyer)).status_code == 200
        elif step == "refund":
            assert (await client.post(f"{url}/cancel", headers=seller)).status_code == 200
        else:
            await client.post(f"{url}/dispute", json={"reason": "late"}, headers=buyer)
            outcome = rng.choice(list(DisputeOutcome))
            await resolve_dispute(
                services.session_factory, services.payments, order_id, outcome, note="checked"
            )

    totals = await account_totals(db_session)
    orders = list(await db_session.scalars(select(Order).where(Order.game_id == game.id)))
    by_status: dict[OrderStatus, list[Order]] = defaultdict(list)
    for order in orders:
        by_status[order.status].append(order)
    completed, refunded = by_status[OrderStatus.completed], by_status[OrderStatus.refunded]
    in_escrow = by_status[OrderStatus.paid] + by_status[OrderStatus.disputed]
    fees = sum(seller_fee(o.amount, o.seller_fee_bps) for o in completed)
    paid_out = totals.get(Account.seller_bank, 0)

    assert sum(totals.values()) == 0
    unbalanced = await db_session.scalar(
        select(func.count()).select_from(
            select(LedgerEntry.movement)
            .group_by(LedgerEntry.movement)
            .having(func.sum(LedgerEntry.amount) != 0)
            .subquery()
        )
    )
    assert unbalanced == 0
    assert totals.get(Account.escrow, 0) == sum(o.amount for o in in_escrow)
    assert totals.get(Account.platform_fees, 0) == fees
    assert -totals.get(Account.buyer_cards, 0) == sum(o.amount for o in completed + in_escrow)
    assert (
        totals.get(Account.seller_payable, 0) == sum(o.amount for o in completed) - fees - paid_out
    )
    assert len(completed) > 0 and len(refunded) > 0 and paid_out > 0
