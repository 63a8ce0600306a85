"""The seller's money page and the sell form's fee line, without script."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.ledger.models import PayoutAccount
from pitchaseat.ledger.service import mark_payout_paid, seller_fee
from tests.factories import give_payout_account, make_game, make_user
from tests.ledger.test_payouts import earn
from tests.web.test_pages import csrf_of, log_in_with_form


async def test_the_money_page_shows_the_sums_and_the_payout_history(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    seller = await make_user(db_session)
    await give_payout_account(db_session, seller.id)
    earn(db_session, seller.id, 1500)
    await db_session.flush()
    await mark_payout_paid(db_session, seller.id, reference="TX-77", amount=1000)
    await db_session.commit()
    await log_in_with_form(client, seller.email)

    page = await client.get("/me/money")

    assert page.status_code == 200
    assert 'id="sum-available">NT$500<' in page.text
    assert 'id="sum-paid-out">NT$1,000<' in page.text
    assert "TX-77" in page.text
    assert 'href="/me/money"' in page.text  # the header links to it


async def test_a_bad_account_number_comes_back_beside_its_box_and_nothing_is_stored(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    seller = await make_user(db_session)
    await log_in_with_form(client, seller.email)
    page = await client.get("/me/money")

    response = await client.post(
        "/me/money/account",
        data={
            "csrf_token": csrf_of(page.text),
            "bank_code": "822",
            "account_number": "12345",
            "account_name": "王小明",
        },
    )

    assert response.status_code == 422
    assert 'id="account_number-error"' in response.text
    assert 'value="王小明"' in response.text
    assert await db_session.scalar(select(func.count()).select_from(PayoutAccount)) == 0


async def test_a_saved_account_shows_only_its_last_four_digits(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    seller = await make_user(db_session)
    await log_in_with_form(client, seller.email)
    page = await client.get("/me/money")

    saved = await client.post(
        "/me/money/account",
        data={
            "csrf_token": csrf_of(page.text),
            "bank_code": "822",
            "account_number": "1234567890123",
            "account_name": "王小明",
        },
    )
    shown = await client.get(saved.headers["location"])

    assert saved.status_code == 303
    assert "0123" in shown.text and "1234567890123" not in shown.text


async def test_the_sell_form_shows_the_fee_and_payout_the_ledger_would_book(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    seller = await make_user(db_session)
    game = await make_game(db_session)
    await log_in_with_form(client, seller.email)
    page = await client.get(f"/sell?game_id={game.id}")
    form = {
        "csrf_token": csrf_of(page.text),
        "game_id": str(game.id),
        "rows": "1",
        "seat_area": "no-such-area",
        "quantity": "3",
        "face_value": "999",
        "price": "989",
        "delivery_method": "e_ticket",
    }

    refused = await client.post("/sell", data=form)

    fee = seller_fee(989 * 3, 500)
    assert 'data-fee-bps="500"' in page.text
    assert f"NT${fee:,}" in refused.text and f"NT${989 * 3 - fee:,}" in refused.text


async def test_an_unconfirmed_seller_is_told_and_offered_the_link_again(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    seller = await make_user(db_session, verified=False)
    game = await make_game(db_session)
    await log_in_with_form(client, seller.email)

    page = await client.get(f"/sell?game_id={game.id}")

    assert 'id="verify-first"' in page.text
    assert 'action="/verify-email/resend"' in page.text
