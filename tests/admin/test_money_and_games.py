"""Payouts, game changes, the season import and the audit log through the operators' API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from pitchaseat.admin import money
from pitchaseat.admin.audit import Action
from pitchaseat.catalog.models import Game
from pitchaseat.db import commit, create_session_factory, rollback
from pitchaseat.errors import DomainError
from pitchaseat.ledger.models import Payout
from pitchaseat.ledger.service import seller_balance
from tests.admin.support import audit_count, make_operator, operator_headers
from tests.factories import give_payout_account, make_game, make_user
from tests.ledger.test_payouts import earn
from tests.support.databases import DatabasePlan, committed_engine
from tests.support.orders import PaidOrder, buy

RACERS = 4


async def test_a_payout_above_the_available_balance_is_refused(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    seller = await make_user(db_session)
    unbanked = await make_user(db_session)
    await give_payout_account(db_session, seller.id)
    earn(db_session, seller.id, 1000)
    earn(db_session, unbanked.id, 500)
    await db_session.commit()
    operator = await operator_headers(client, db_session)

    due = await client.get("/api/v1/admin/payouts", headers=operator)
    above = await client.post(
        "/api/v1/admin/payouts",
        json={"seller_id": seller.id, "amount": 1001, "reference": "TX-1"},
        headers=operator,
    )
    part = await client.post(
        "/api/v1/admin/payouts",
        json={"seller_id": seller.id, "amount": 600, "reference": "TX-2"},
        headers=operator,
    )
    same_reference = await client.post(
        "/api/v1/admin/payouts",
        json={"seller_id": seller.id, "amount": 100, "reference": "TX-2"},
        headers=operator,
    )
    no_account = await client.post(
        "/api/v1/admin/payouts",
        json={"seller_id": unbanked.id, "amount": 100, "reference": "TX-3"},
        headers=operator,
    )
    sheet = await client.get("/api/v1/admin/payouts.csv", headers=operator)

    [row] = [item for item in due.json() if item["seller_id"] == seller.id]
    [bare] = [item for item in due.json() if item["seller_id"] == unbanked.id]
    assert row["available"] == 1000
    assert row["masked_payout_account"] == f"004 ···{seller.id % 10_000:04d} Test Seller"
    assert f"{seller.id:012d}" not in due.text and f"{seller.id:012d}" not in sheet.text
    assert bare["masked_payout_account"] is None
    assert no_account.status_code == 409
    assert no_account.json()["error"]["code"] == "payout_account_missing"
    assert above.status_code == 409 and above.json()["error"]["code"] == "payout_above_balance"
    assert part.status_code == 201 and part.json()["amount"] == 600
    assert same_reference.status_code == 409
    assert f"\r\n{seller.id}," in sheet.text and ",400," in sheet.text
    assert (await seller_balance(db_session, seller.id)).available == 400
    assert await audit_count(db_session, Action.payout_recorded) == 1


@pytest.fixture(scope="module")
async def race_engine(
    database: DatabasePlan, worker_name: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[AsyncEngine]:
    async with committed_engine(
        database.backend,
        f"pas_adminpay_{worker_name}",
        tmp_path_factory.mktemp("adminpay"),
        pool_size=RACERS,
    ) as engine:
        yield engine


async def _pay(
    factory: async_sessionmaker[AsyncSession],
    operator_id: int,
    seller_id: int,
    reference: str,
    barrier: asyncio.Barrier,
) -> str:
    await barrier.wait()
    async with factory() as session:
        try:
            operator = await session.get(money.User, operator_id)
            assert operator is not None
            await money.record_payout(
                session, operator, seller_id=seller_id, amount=700, reference=reference
            )
        except DomainError as error:
            await rollback(session)
            return error.code
        await commit(session)
    return "paid"


async def test_two_payouts_recorded_at_once_never_pay_more_than_is_available(
    race_engine: AsyncEngine,
) -> None:
    factory = create_session_factory(race_engine)
    async with factory() as session:
        operator = await make_operator(session)
        seller = await make_user(session)
        await give_payout_account(session, seller.id)
        earn(session, seller.id, 1000)
        await session.commit()
    barrier = asyncio.Barrier(RACERS)

    outcomes = await asyncio.gather(
        *(_pay(factory, operator.id, seller.id, f"TX-{n}", barrier) for n in range(RACERS))
    )

    async with factory() as session:
        paid = await session.scalar(
            select(func.coalesce(func.sum(Payout.amount), 0)).where(Payout.seller_id == seller.id)
        )
        entries = await audit_count(session, Action.payout_recorded)
    assert sorted(outcomes) == ["paid"] + ["payout_above_balance"] * (RACERS - 1)
    assert (int(paid or 0), entries) == (700, 1)


async def test_an_operator_cancels_a_game_through_the_workflow(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    order: PaidOrder = await buy(client, db_session)
    operator = await operator_headers(client, db_session)

    cancelled = await client.post(
        f"/api/v1/admin/games/{order.game_id}/cancel", json={"reason": "Typhoon"}, headers=operator
    )

    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["refunded"] == [order.id]
    status = (await client.get(order.url, headers=order.buyer)).json()["status"]
    assert status == "refunded"
    assert await audit_count(db_session, Action.game_cancelled, order.game_id) == 1


async def test_an_operator_postpones_a_game_and_a_bad_one_writes_nothing(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    game = await make_game(db_session)
    operator = await operator_headers(client, db_session)

    postponed = await client.post(
        f"/api/v1/admin/games/{game.id}/postpone", json={"reason": "Rain"}, headers=operator
    )
    missing = await client.post(
        "/api/v1/admin/games/999999/postpone", json={"reason": "Rain"}, headers=operator
    )
    no_reason = await client.post(
        f"/api/v1/admin/games/{game.id}/postpone", json={"reason": ""}, headers=operator
    )

    assert postponed.json()["status"] == "postponed"
    assert (missing.status_code, no_reason.status_code) == (404, 422)
    assert await audit_count(db_session, Action.game_postponed) == 1


GOOD_CSV = (
    "season,game_number,date,time,home_team,away_team,stadium\n2031,1,2031-03-02,18:35,CTBC,TSG,\n"
)
BROKEN_CSV = (
    "season,game_number,date,time,home_team,away_team,stadium\n"
    "2031,1,2031-03-02,18:35,CTBC,TSG,\n"
    "2031,2,2031-02-30,18:35,UL,WD,\n"
    "2031,3,2031-03-02,18:35,XXX,FG,\n"
)


async def _games_in(session: AsyncSession, season: int) -> int:
    return int(await session.scalar(select(func.count(Game.id)).where(Game.season == season)) or 0)


async def test_a_season_file_with_broken_rows_lists_every_error_and_imports_nothing(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    operator = await operator_headers(client, db_session)

    response = await client.post(
        "/api/v1/admin/games/import",
        files={"file": ("season.csv", BROKEN_CSV.encode(), "text/csv")},
        headers=operator,
    )

    assert response.status_code == 422
    assert [error["line"] for error in response.json()["error"]["details"]["errors"]] == [3, 4]
    assert await _games_in(db_session, 2031) == 0
    assert await audit_count(db_session, Action.schedule_imported) == 0


async def test_a_preview_writes_nothing_and_the_import_writes_the_games(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    operator = await operator_headers(client, db_session)
    upload = {"file": ("season.csv", GOOD_CSV.encode(), "text/csv")}

    preview = await client.post(
        "/api/v1/admin/games/import?dry_run=true", files=upload, headers=operator
    )
    after_preview = await _games_in(db_session, 2031)
    imported = await client.post("/api/v1/admin/games/import", files=upload, headers=operator)

    assert preview.json() == {"created": 1, "dry_run": True}
    assert after_preview == 0
    assert imported.json() == {"created": 1, "dry_run": False}
    assert await _games_in(db_session, 2031) == 1
    assert await audit_count(db_session, Action.schedule_imported) == 1


async def test_the_audit_log_filters_by_actor_and_action(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    game = await make_game(db_session)
    operator = await operator_headers(client, db_session)
    await client.post(
        f"/api/v1/admin/games/{game.id}/postpone", json={"reason": "Rain"}, headers=operator
    )
    me = (await client.get("/api/v1/users/me", headers=operator)).json()["id"]

    mine = await client.get(
        "/api/v1/admin/audit", params={"actor_id": me, "action": "game.postpone"}, headers=operator
    )
    others = await client.get(
        "/api/v1/admin/audit", params={"action": "listing.take_down"}, headers=operator
    )

    [entry] = mine.json()["items"]
    assert entry["target"] == {"type": "game", "id": game.id} and entry["reason"] == "Rain"
    assert others.json()["total"] == 0
