"""Orders for the hand-off tests: a listing with a given delivery method (and note), held by
a fresh buyer, paid with delivery details or not."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts.models import User
from pitchaseat.listings.models import DeliveryMethod, Listing
from tests.factories import login_headers, make_game, make_listing, make_user
from tests.support.orders import CARDHOLDER

MAIL = {
    "recipient_name": "王小明",
    "phone": "0912-345-678",
    "address": "100 臺北市中正區重慶南路一段122號",
}
ETICKET = {"ticket_account": "tixfan-0912"}
MEETUP = {"phone": "+886 912 345 678"}
DETAILS = {
    DeliveryMethod.mail: MAIL,
    DeliveryMethod.e_ticket: ETICKET,
    DeliveryMethod.meet_up: MEETUP,
}


@dataclass(frozen=True)
class Held:
    id: int
    buyer: dict[str, str]
    seller: dict[str, str]
    buyer_id: int
    seller_id: int
    buyer_email: str
    seller_email: str

    @property
    def url(self) -> str:
        return f"/api/v1/orders/{self.id}"


async def hold(
    client: httpx.AsyncClient,
    db_session: AsyncSession,
    *,
    method: DeliveryMethod = DeliveryMethod.mail,
    note: str | None = "我會用掛號寄出",
    seller_locale: str = "zh_TW",
    buyer_locale: str = "zh_TW",
) -> Held:
    seller = await make_user(db_session)
    buyer = await make_user(db_session)
    listing = await make_listing(
        db_session, seller, await make_game(db_session), quantity=2, delivery_method=method
    )
    await db_session.execute(update(Listing).where(Listing.id == listing.id).values(note=note))
    for user, locale in ((seller, seller_locale), (buyer, buyer_locale)):
        await db_session.execute(update(User).where(User.id == user.id).values(locale=locale))
    await db_session.commit()
    buyer_headers = await login_headers(client, buyer.email)
    held = await client.post(
        "/api/v1/orders", json={"listing_id": listing.id, "quantity": 1}, headers=buyer_headers
    )
    assert held.status_code == 201, held.text
    return Held(
        held.json()["id"],
        buyer_headers,
        await login_headers(client, seller.email),
        buyer.id,
        seller.id,
        buyer.email,
        seller.email,
    )


async def pay(
    client: httpx.AsyncClient, held: Held, delivery: dict[str, Any] | None
) -> httpx.Response:
    body: dict[str, Any] = {"prime": "test_prime_ok", "cardholder": CARDHOLDER}
    if delivery is not None:
        body["delivery"] = delivery
    return await client.post(f"{held.url}/pay", json=body, headers=held.buyer)


async def paid(
    client: httpx.AsyncClient,
    db_session: AsyncSession,
    method: DeliveryMethod = DeliveryMethod.mail,
    **options: Any,
) -> Held:
    held = await hold(client, db_session, method=method, **options)
    response = await pay(client, held, DETAILS[method])
    assert response.json()["status"] == "paid", response.text
    return held


async def ship_and_confirm(client: httpx.AsyncClient, held: Held) -> None:
    shipped = await client.post(
        f"{held.url}/ship",
        json={"method": "mail", "tracking_number": "RR123456789TW"},
        headers=held.seller,
    )
    assert shipped.status_code == 200, shipped.text
    confirmed = await client.post(f"{held.url}/confirm", headers=held.buyer)
    assert confirmed.status_code == 200, confirmed.text
