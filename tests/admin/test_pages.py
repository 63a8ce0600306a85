"""The console's pages: forms that act, and refusals shown beside the field with input kept."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.admin.audit import Action
from tests.admin.support import audit_count, make_operator
from tests.admin.test_money_and_games import BROKEN_CSV
from tests.factories import make_game, make_listing, make_user
from tests.support.orders import PaidOrder
from tests.web.test_pages import csrf_of, log_in_with_form


async def _as_operator(client: httpx.AsyncClient, session: AsyncSession) -> None:
    operator = await make_operator(session)
    await log_in_with_form(client, operator.email)


async def test_every_console_page_renders_for_an_operator(
    client: httpx.AsyncClient, db_session: AsyncSession, paid: PaidOrder
) -> None:
    await _as_operator(client, db_session)
    pages = [
        "/admin",
        "/admin/listings",
        "/admin/listings?reported=1",
        "/admin/users",
        f"/admin/users/{paid.seller_id}",
        "/admin/disputes",
        f"/admin/disputes/{paid.id}",
        "/admin/payouts",
        "/admin/games",
        "/admin/emails",
        "/admin/audit",
        "/admin/charges",
    ]

    for path in pages:
        response = await client.get(path)
        assert response.status_code == 200, (path, response.text[:300])
        assert 'class="console-nav"' in response.text


async def test_a_fan_reports_from_the_game_page_and_the_operator_takes_it_down(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    seller, fan = await make_user(db_session), await make_user(db_session)
    game = await make_game(db_session)
    listing = await make_listing(db_session, seller, game)
    await log_in_with_form(client, fan.email)
    game_page = await client.get(f"/games/{game.id}")
    assert f'action="/listings/{listing.id}/report"' in game_page.text

    no_reason = await client.post(
        f"/listings/{listing.id}/report",
        data={"csrf_token": csrf_of(game_page.text), "reason": "", "note": "keep me"},
    )
    sent = await client.post(
        f"/listings/{listing.id}/report",
        data={"csrf_token": csrf_of(game_page.text), "reason": "fraud", "note": "fake seats"},
    )
    assert no_reason.status_code == 422 and "keep me" in no_reason.text
    assert 'id="report-reason-' in no_reason.text and "field-error" in no_reason.text
    assert sent.status_code == 303

    client.cookies.clear()
    await _as_operator(client, db_session)
    queue = await client.get("/admin/listings?reported=1")
    assert "fake seats" in queue.text
    empty = await client.post(
        f"/admin/listings/{listing.id}/take-down",
        data={"csrf_token": csrf_of(queue.text), "reason": "  "},
    )
    down = await client.post(
        f"/admin/listings/{listing.id}/take-down",
        data={"csrf_token": csrf_of(queue.text), "reason": "Seats do not exist"},
    )

    assert empty.status_code == 422 and f'id="reason-down-{listing.id}-error"' in empty.text
    assert down.status_code == 303
    assert await audit_count(db_session, Action.listing_taken_down, listing.id) == 1


async def test_a_broken_season_file_lists_its_rows_on_the_games_page(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    await _as_operator(client, db_session)
    page = await client.get("/admin/games")

    response = await client.post(
        "/admin/games/import",
        data={"csrf_token": csrf_of(page.text)},
        files={"file": ("season.csv", BROKEN_CSV.encode(), "text/csv")},
    )

    assert response.status_code == 422
    assert 'id="import-row-errors"' in response.text
    assert response.text.count("<li>") >= 2


async def test_evidence_that_is_not_a_photo_comes_back_beside_the_field(
    client: httpx.AsyncClient, db_session: AsyncSession, paid: PaidOrder
) -> None:
    await client.post(f"{paid.url}/dispute", json={"reason": "No tickets"}, headers=paid.buyer)
    await log_in_with_form(client, paid.buyer_email)
    page = await client.get(f"/orders/{paid.id}/dispute")

    response = await client.post(
        f"/orders/{paid.id}/dispute/evidence",
        data={"csrf_token": csrf_of(page.text), "note": "my words stay"},
        files={"file": ("x.png", b"not a picture", "image/png")},
    )

    assert response.status_code == 415
    assert 'id="file-error"' in response.text and "my words stay" in response.text


async def test_an_empty_suspension_reason_is_refused_beside_the_field(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    target = await make_user(db_session)
    await _as_operator(client, db_session)
    page = await client.get(f"/admin/users/{target.id}")

    response = await client.post(
        f"/admin/users/{target.id}/suspend", data={"csrf_token": csrf_of(page.text), "reason": ""}
    )

    assert response.status_code == 422 and 'id="reason-suspend-error"' in response.text
    assert await audit_count(db_session, Action.user_suspended, target.id) == 0
