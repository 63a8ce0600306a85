"""The hand-off in the emails, read back from the mailbox folder in both languages: the
seller's "paid" email with the delivery details, the buyer's "shipped" email with the
tracking number and the seller's note, and the message email."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.listings.models import DeliveryMethod
from pitchaseat.orders.contact import CHUNGHWA_TRACKING_PAGE
from pitchaseat.runtime import AppServices
from tests.support.handoff import hold, pay
from tests.support.mailbox import Mail, deliver_and_read

WORDS = {
    "zh_TW": {
        "paid": "已付款",
        "address": "地址",
        "shipped": "已寄出",
        "tracking": "追蹤號碼",
        "note": "賣家的刊登備註",
        "message": "新訊息",
    },
    "en": {
        "paid": "is paid",
        "address": "Address",
        "shipped": "on their way",
        "tracking": "Tracking number",
        "note": "Seller's listing note",
        "message": "New message",
    },
}


def _to(mails: list[Mail], address: str, words: str) -> Mail:
    found = [mail for mail in mails if mail.to == address and words in mail.subject]
    assert len(found) == 1, [(mail.to, mail.subject) for mail in mails]
    return found[0]


@pytest.mark.parametrize("locale", ["zh_TW", "en"])
async def test_the_paid_email_gives_the_seller_the_details_and_the_buyer_nothing_extra(
    client: httpx.AsyncClient, db_session: AsyncSession, services: AppServices, locale: str
) -> None:
    held = await hold(client, db_session, seller_locale=locale, buyer_locale=locale)
    mail_details = {
        "recipient_name": "林小華",
        "phone": "0912345678",
        "address": "806 高雄市前鎮區",
    }
    await pay(client, held, mail_details)

    mails = await deliver_and_read(services)

    words = WORDS[locale]
    to_seller = _to(mails, held.seller_email, words["paid"])
    to_buyer = _to(mails, held.buyer_email, words["paid"])
    assert f"{words['address']}: 806 高雄市前鎮區" in to_seller.text
    assert "林小華" in to_seller.text and "0912345678" in to_seller.text
    assert "806 高雄市前鎮區" in to_seller.html
    assert "806 高雄市前鎮區" not in to_buyer.text


@pytest.mark.parametrize("locale", ["zh_TW", "en"])
async def test_the_shipped_email_gives_the_buyer_the_tracking_number_and_the_sellers_note(
    client: httpx.AsyncClient, db_session: AsyncSession, services: AppServices, locale: str
) -> None:
    held = await hold(client, db_session, note="<票在信封裡>", buyer_locale=locale)
    await pay(
        client, held, {"recipient_name": "林小華", "phone": "0912345678", "address": "806 高雄"}
    )
    await client.post(
        f"{held.url}/ship",
        json={"method": "mail", "tracking_number": "RR123456789TW", "note": "已掛號"},
        headers=held.seller,
    )

    mails = await deliver_and_read(services)

    words = WORDS[locale]
    shipped = _to(mails, held.buyer_email, words["shipped"])
    assert f"{words['tracking']}: RR123456789TW" in shipped.text
    assert CHUNGHWA_TRACKING_PAGE in shipped.text
    assert f"{words['note']}: <票在信封裡>" in shipped.text
    assert "&lt;票在信封裡&gt;" in shipped.html and "<票在信封裡>" not in shipped.html


@pytest.mark.parametrize("locale", ["zh_TW", "en"])
async def test_a_message_is_emailed_to_the_other_side_once_per_burst(
    client: httpx.AsyncClient, db_session: AsyncSession, services: AppServices, locale: str
) -> None:
    held = await hold(client, db_session, method=DeliveryMethod.meet_up, seller_locale=locale)
    await pay(client, held, {"phone": "0912345678"})
    await client.post(f"{held.url}/messages", json={"body": "我穿紅色球衣"}, headers=held.buyer)
    await client.post(f"{held.url}/messages", json={"body": "第二則"}, headers=held.buyer)

    mails = await deliver_and_read(services)

    message = _to(mails, held.seller_email, WORDS[locale]["message"])
    assert "我穿紅色球衣" in message.text
    assert f"/orders/{held.id}#messages" in message.text
