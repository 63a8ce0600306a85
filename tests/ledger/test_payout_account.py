"""The seller's payout bank account: checked fields, stored encrypted, shown as the last four
digits only; payouts need it and a proven email address; the payout history."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.accounts.errors import EmailNotVerified
from pitchaseat.ledger.errors import NoPayoutAccount
from pitchaseat.ledger.models import Payout, PayoutAccount
from pitchaseat.ledger.payout_accounts import decrypt_account_number
from pitchaseat.ledger.service import mark_payout_paid
from pitchaseat.settings import Settings
from tests.factories import give_payout_account, login_headers, make_user
from tests.ledger.test_payouts import earn

ACCOUNT = "/api/v1/me/payout-account"
GOOD = {"bank_code": "822", "account_number": "0123-4567-8901", "account_name": "王小明"}


async def test_the_account_is_stored_encrypted_and_shown_by_its_last_four_digits(
    client: httpx.AsyncClient, db_session: AsyncSession, settings: Settings
) -> None:
    seller = await make_user(db_session)
    headers = await login_headers(client, seller.email)

    before = await client.get(ACCOUNT, headers=headers)
    saved = await client.put(ACCOUNT, json=GOOD, headers=headers)
    shown = await client.get(ACCOUNT, headers=headers)

    expected = {"bank_code": "822", "account_number_last4": "8901", "account_name": "王小明"}
    assert (before.status_code, before.json()) == (200, None)
    assert (saved.status_code, saved.json()) == (200, expected)
    assert shown.json() == expected
    assert "012345678901" not in saved.text + shown.text
    stored = await db_session.scalar(select(PayoutAccount.account_number_encrypted))
    assert stored is not None and "012345678901" not in stored
    assert decrypt_account_number(stored, secret_key=settings.secret_key) == "012345678901"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("bank_code", "82"),
        ("bank_code", "8a2"),
        ("account_number", "123456789"),
        ("account_number", "12345678901234567"),
        ("account_number", "12345abc901"),
        ("account_name", ""),
    ],
)
async def test_a_malformed_account_is_refused_and_nothing_is_stored(
    client: httpx.AsyncClient, db_session: AsyncSession, field: str, value: str
) -> None:
    seller = await make_user(db_session)
    headers = await login_headers(client, seller.email)

    response = await client.put(ACCOUNT, json={**GOOD, field: value}, headers=headers)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
    assert field in str(response.json()["error"]["details"])
    assert await db_session.scalar(select(func.count()).select_from(PayoutAccount)) == 0


async def test_a_seller_without_an_account_is_not_paid(db_session: AsyncSession) -> None:
    seller = await make_user(db_session)
    earn(db_session, seller.id, 1000)
    await db_session.flush()

    with pytest.raises(NoPayoutAccount) as refused:
        await mark_payout_paid(db_session, seller.id, reference="TX-1")

    assert refused.value.code == "payout_account_missing"
    assert await db_session.scalar(select(func.count(Payout.id))) == 0


async def test_a_seller_without_a_proven_email_is_not_paid(db_session: AsyncSession) -> None:
    seller = await make_user(db_session, verified=False)
    await give_payout_account(db_session, seller.id)
    earn(db_session, seller.id, 1000)
    await db_session.flush()

    with pytest.raises(EmailNotVerified):
        await mark_payout_paid(db_session, seller.id, reference="TX-1")

    assert await db_session.scalar(select(func.count(Payout.id))) == 0


async def test_the_payout_history_lists_the_sellers_payouts_newest_first(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    seller = await make_user(db_session)
    other = await make_user(db_session)
    for user in (seller, other):
        await give_payout_account(db_session, user.id)
        earn(db_session, user.id, 1000)
    await db_session.flush()
    await mark_payout_paid(db_session, seller.id, reference="TX-A", amount=300)
    await mark_payout_paid(db_session, seller.id, reference="TX-B")
    await mark_payout_paid(db_session, other.id, reference="TX-OTHER")
    await db_session.commit()

    page = (
        await client.get("/api/v1/me/payouts", headers=await login_headers(client, seller.email))
    ).json()

    assert [(p["amount"], p["reference"]) for p in page["items"]] == [(700, "TX-B"), (300, "TX-A")]
    assert (page["total"], page["page"]) == (2, 1)
    assert set(page["items"][0]) == {"id", "amount", "reference", "paid_at"}
