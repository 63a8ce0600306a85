"""Delivery details: asked by the listing's method when paying, readable by the buyer, by the
seller once paid, by operators only during a dispute, by nobody else; masked 30 days after
the order ends."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts.models import User
from pitchaseat.listings.models import DeliveryMethod
from pitchaseat.orders import delivery as delivery_service
from pitchaseat.orders.models import Order, OrderDelivery
from pitchaseat.orders.workflows.masking import mask_ended_deliveries
from pitchaseat.payments.models import Payment
from pitchaseat.runtime import AppServices
from pitchaseat.timeutil import utcnow
from tests.factories import login_headers, make_user
from tests.support.handoff import (
    ETICKET,
    MAIL,
    MEETUP,
    Held,
    hold,
    paid,
    pay,
    ship_and_confirm,
)


async def _written(db_session: AsyncSession, order_id: int) -> tuple[str, int, int]:
    status = await db_session.scalar(select(Order.status).where(Order.id == order_id))
    payments = await db_session.scalar(
        select(func.count(Payment.id)).where(Payment.order_id == order_id)
    )
    details = await db_session.scalar(
        select(func.count()).select_from(OrderDelivery).where(OrderDelivery.order_id == order_id)
    )
    assert status is not None
    return status.value, int(payments or 0), int(details or 0)


@pytest.mark.parametrize(
    ("method", "given", "missing"),
    [
        (DeliveryMethod.mail, None, ["recipient_name", "phone", "address"]),
        (DeliveryMethod.mail, {"recipient_name": "王小明"}, ["phone", "address"]),
        (DeliveryMethod.e_ticket, {"phone": "0912345678"}, ["ticket_account"]),
        (DeliveryMethod.meet_up, {"ticket_account": "x"}, ["phone"]),
    ],
)
async def test_a_payment_without_the_methods_fields_is_refused_and_nothing_is_written(
    client: httpx.AsyncClient,
    db_session: AsyncSession,
    method: DeliveryMethod,
    given: dict[str, str] | None,
    missing: list[str],
) -> None:
    held = await hold(client, db_session, method=method)

    response = await pay(client, held, given)

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "delivery_details_required"
    assert error["details"]["missing"] == missing
    # No payment attempt recorded means the gateway was never asked.
    assert await _written(db_session, held.id) == ("pending_payment", 0, 0)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("phone", "12345"),
        ("phone", "0912-34"),
        ("phone", "+1 415 555 0100"),
        ("address", "臺北市中正區重慶南路一段"),
        ("recipient_name", "王\u202e小明"),
    ],
)
async def test_malformed_delivery_details_are_refused_and_nothing_is_written(
    client: httpx.AsyncClient, db_session: AsyncSession, field: str, value: str
) -> None:
    held = await hold(client, db_session, method=DeliveryMethod.mail)

    response = await pay(client, held, {**MAIL, field: value})

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
    locations = [item["loc"] for item in response.json()["error"]["details"]["fields"]]
    assert ["body", "delivery", field] in locations
    assert await _written(db_session, held.id) == ("pending_payment", 0, 0)


@pytest.mark.parametrize(
    ("phone", "stored"),
    [
        ("0912-345-678", "0912345678"),
        ("+886 912 345 678", "0912345678"),
        ("(02) 2345-6789", "0223456789"),
        ("037-123456", "037123456"),
        ("+886-4-2345-6789", "0423456789"),
    ],
)
async def test_taiwanese_phone_numbers_are_taken_in_their_usual_forms(
    client: httpx.AsyncClient, db_session: AsyncSession, phone: str, stored: str
) -> None:
    held = await hold(client, db_session, method=DeliveryMethod.meet_up)

    response = await pay(client, held, {"phone": phone})
    order = await client.get(held.url, headers=held.buyer)

    assert response.json()["status"] == "paid", response.text
    assert order.json()["delivery"]["phone"] == stored


async def test_the_seller_sees_the_details_only_once_the_order_is_paid(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    held = await hold(client, db_session, method=DeliveryMethod.mail)
    given = await client.put(f"{held.url}/delivery", json=MAIL, headers=held.buyer)

    before = await client.get(held.url, headers=held.seller)
    buyer_before = await client.get(held.url, headers=held.buyer)
    await pay(client, held, None)  # the details given earlier are enough
    after = await client.get(held.url, headers=held.seller)

    assert given.status_code == 200, given.text
    assert before.status_code == 200 and before.json()["delivery"] is None
    assert buyer_before.json()["delivery"]["address"] == MAIL["address"]
    assert after.json()["status"] == "paid"
    assert after.json()["delivery"] == {
        "recipient_name": "王小明",
        "phone": "0912345678",
        "address": MAIL["address"],
        "ticket_account": None,
        "meetup_note": None,
        "masked": False,
    }


async def test_a_third_user_never_sees_the_order(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    held = await paid(client, db_session, DeliveryMethod.e_ticket)
    stranger = await make_user(db_session)
    headers = await login_headers(client, stranger.email)

    read = await client.get(held.url, headers=headers)
    change = await client.put(f"{held.url}/delivery", json=ETICKET, headers=headers)

    assert read.status_code == change.status_code == 404
    assert read.json()["error"]["code"] == "not_found"


async def test_an_operator_sees_the_details_only_while_the_order_is_disputed(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    held = await paid(client, db_session, DeliveryMethod.meet_up)
    operator = await make_user(db_session)
    await db_session.execute(update(User).where(User.id == operator.id).values(is_operator=True))
    await db_session.commit()
    headers = await login_headers(client, operator.email)

    before = await client.get(held.url, headers=headers)
    await client.post(f"{held.url}/dispute", json={"reason": "沒收到票"}, headers=held.buyer)
    during = await client.get(held.url, headers=headers)
    messages = await client.get(f"{held.url}/messages", headers=headers)
    writes = await client.post(f"{held.url}/messages", json={"body": "hi"}, headers=headers)

    assert before.status_code == 404
    assert during.status_code == 200
    assert during.json()["delivery"]["phone"] == "0912345678"
    assert during.json()["fee"] is None  # the seller's money is the seller's
    assert messages.status_code == 200
    assert writes.status_code == 404  # operators read; only the parties write


async def test_the_seller_sees_fee_and_payout_and_the_buyer_the_listing_note(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    held = await paid(client, db_session, DeliveryMethod.e_ticket, note="票會在賽前一天轉讓")
    await db_session.execute(update(Order).where(Order.id == held.id).values(seller_fee_bps=500))
    await db_session.commit()

    seller = (await client.get(held.url, headers=held.seller)).json()
    buyer = (await client.get(held.url, headers=held.buyer)).json()

    assert seller["amount"] == 450
    assert (seller["fee"], seller["payout"]) == (23, 427)  # 5 % of 450, rounded half up
    assert buyer["fee"] is None and buyer["payout"] is None
    assert buyer["seller_note"] == "票會在賽前一天轉讓"
    assert buyer["delivery_method"] == "e_ticket"


async def test_the_buyer_corrects_the_details_until_the_tickets_are_sent(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    held = await paid(client, db_session, DeliveryMethod.meet_up)

    corrected = await client.put(
        f"{held.url}/delivery", json={"phone": "0987654321"}, headers=held.buyer
    )
    by_seller = await client.put(f"{held.url}/delivery", json=MEETUP, headers=held.seller)
    await client.post(
        f"{held.url}/ship",
        json={"method": "meet_up", "meetup_place": "一壘側售票口", "meetup_at": "2099-04-04T17:30"},
        headers=held.seller,
    )
    too_late = await client.put(f"{held.url}/delivery", json=MEETUP, headers=held.buyer)

    assert corrected.json()["delivery"]["phone"] == "0987654321"
    assert by_seller.status_code == 403
    assert too_late.status_code == 409
    assert too_late.json()["error"]["code"] == "delivery_locked"
    stored = await db_session.scalar(
        select(OrderDelivery.phone).where(OrderDelivery.order_id == held.id)
    )
    assert stored == "0987654321"


async def test_the_checkout_remembers_the_buyers_last_answers(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    first = await paid(client, db_session, DeliveryMethod.mail)

    answers = await delivery_service.last_answers(db_session, first.buyer_id)

    assert answers == {
        "recipient_name": "王小明",
        "phone": "0912345678",
        "address": MAIL["address"],
    }


async def _end_order(client: httpx.AsyncClient, db_session: AsyncSession) -> Held:
    held = await paid(client, db_session, DeliveryMethod.mail)
    await ship_and_confirm(client, held)
    return held


async def _details(db_session: AsyncSession, order_id: int) -> OrderDelivery:
    db_session.expire_all()
    row = await db_session.get(OrderDelivery, order_id)
    assert row is not None
    return row


async def test_the_masking_job_masks_the_details_30_days_after_the_order_ended(
    client: httpx.AsyncClient, db_session: AsyncSession, services: AppServices
) -> None:
    ended = await _end_order(client, db_session)
    order_id = ended.id
    held = await hold(client, db_session, method=DeliveryMethod.e_ticket)
    await client.put(f"{held.url}/delivery", json=ETICKET, headers=held.buyer)  # still open

    early = await mask_ended_deliveries(services.session_factory, utcnow() + timedelta(days=29))
    kept = (await _details(db_session, order_id)).address
    later = await mask_ended_deliveries(services.session_factory, utcnow() + timedelta(days=31))
    again = await mask_ended_deliveries(services.session_factory, utcnow() + timedelta(days=32))

    assert early == 0 and kept == MAIL["address"]
    assert later >= 1 and again == 0
    masked = await _details(db_session, order_id)
    assert masked.masked_at is not None
    assert (masked.recipient_name, masked.phone, masked.address) == ("王**", "*******678", "***")
    assert (await _details(db_session, held.id)).masked_at is None  # not ended: kept
    shown = await client.get(ended.url, headers=ended.seller)
    assert shown.json()["delivery"]["masked"] is True
    assert shown.json()["delivery"]["address"] == "***"


async def test_one_order_that_fails_to_mask_does_not_stop_the_others(
    client: httpx.AsyncClient,
    db_session: AsyncSession,
    services: AppServices,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    failing = (await _end_order(client, db_session)).id
    other = (await _end_order(client, db_session)).id
    real = delivery_service.mask_delivery

    async def mask_or_fail(session: AsyncSession, order_id: int, now: object = None) -> bool:
        if order_id == failing:
            raise RuntimeError("disk on fire")
        return await real(session, order_id, now)  # type: ignore[arg-type]

    monkeypatch.setattr("pitchaseat.orders.workflows.masking.mask_delivery", mask_or_fail)

    await mask_ended_deliveries(services.session_factory, utcnow() + timedelta(days=31))

    assert (await _details(db_session, failing)).masked_at is None
    assert (await _details(db_session, other)).masked_at is not None
