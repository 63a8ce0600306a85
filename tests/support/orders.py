"""Orders bought and paid through the API, for tests that start after the payment."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.catalog.models import Game
from tests.factories import login_headers, make_game, make_listing, make_user

CARDHOLDER = {"name": "王小明", "email": "fan@example.com", "phone_number": "0912345678"}
# Every method's hand-off fields at once (each listing's method keeps what it needs).
DELIVERY = {
    "recipient_name": "王小明",
    "phone": "0912345678",
    "address": "100 臺北市中正區重慶南路一段122號",
    "ticket_account": "fan-0912345678",
}


@dataclass(frozen=True)
class PaidOrder:
    id: int
    listing_id: int
    game_id: int
    seller_id: int
    amount: int
    buyer: dict[str, str]
    seller: dict[str, str]
    buyer_email: str = ""
    seller_email: str = ""

    @property
    def url(self) -> str:
        return f"/api/v1/orders/{self.id}"


async def buy(
    client: httpx.AsyncClient,
    db_session: AsyncSession,
    *,
    game: Game | None = None,
    quantity: int = 1,
    price: int = 800,
) -> PaidOrder:
    """A fresh seller's listing, bought and paid (sandbox) by a fresh buyer."""
    seller = await make_user(db_session)
    buyer = await make_user(db_session)
    game = game or await make_game(db_session)
    listing = await make_listing(db_session, seller, game, quantity=quantity + 1, price=price)
    buyer_headers = await login_headers(client, buyer.email)
    held = await client.post(
        "/api/v1/orders",
        json={"listing_id": listing.id, "quantity": quantity},
        headers=buyer_headers,
    )
    assert held.status_code == 201, held.text
    order = held.json()
    paid = await client.post(
        f"/api/v1/orders/{order['id']}/pay",
        json={"prime": "test_prime_ok", "cardholder": CARDHOLDER, "delivery": DELIVERY},
        headers=buyer_headers,
    )
    assert paid.json()["status"] == "paid", paid.text
    return PaidOrder(
        id=order["id"],
        listing_id=listing.id,
        game_id=game.id,
        seller_id=seller.id,
        amount=order["amount"],
        buyer=buyer_headers,
        seller=await login_headers(client, seller.email),
        buyer_email=buyer.email,
        seller_email=seller.email,
    )
