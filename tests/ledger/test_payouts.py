"""Payouts: never more than the available balance, and two recorded at once for one seller
(two operators, a retried command) never pay twice. The race runs on a committed database,
each payout in its own connection and transaction, released together by a barrier."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from pitchaseat.db import commit, create_session_factory, rollback
from pitchaseat.errors import DomainError
from pitchaseat.ledger.errors import NothingToPay, PayoutAboveBalance, PayoutNotPositive
from pitchaseat.ledger.models import Account, EntryKind, LedgerEntry, Payout
from pitchaseat.ledger.service import mark_payout_paid, seller_balance
from tests.factories import give_payout_account, make_user
from tests.support.databases import DatabasePlan, committed_engine

RACERS = 8


def earn(session: AsyncSession, seller_id: int, amount: int) -> None:
    """Books money as earned by the seller (escrow released to them), as a completion does."""
    movement = uuid.uuid4().hex
    session.add_all(
        [
            LedgerEntry(
                movement=movement,
                kind=EntryKind.payout_due,
                account=Account.escrow,
                amount=-amount,
                seller_id=seller_id,
            ),
            LedgerEntry(
                movement=movement,
                kind=EntryKind.payout_due,
                account=Account.seller_payable,
                amount=amount,
                seller_id=seller_id,
            ),
        ]
    )


async def test_a_payout_may_be_part_of_the_balance_but_never_more(
    db_session: AsyncSession,
) -> None:
    seller = await make_user(db_session)
    await give_payout_account(db_session, seller.id)
    earn(db_session, seller.id, 1000)
    await db_session.flush()

    first = await mark_payout_paid(db_session, seller.id, reference="TX-A", amount=400)
    with pytest.raises(PayoutAboveBalance):
        await mark_payout_paid(db_session, seller.id, reference="TX-B", amount=601)
    with pytest.raises(PayoutNotPositive):
        await mark_payout_paid(db_session, seller.id, reference="TX-C", amount=0)
    rest = await mark_payout_paid(db_session, seller.id, reference="TX-D")
    with pytest.raises(NothingToPay):
        await mark_payout_paid(db_session, seller.id, reference="TX-E", amount=1)

    balance = await seller_balance(db_session, seller.id)
    assert (first.amount, rest.amount) == (400, 600)
    assert (balance.available, balance.paid_out) == (0, 1000)


@pytest.fixture(scope="module")
async def payout_engine(
    database: DatabasePlan, worker_name: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[AsyncEngine]:
    async with committed_engine(
        database.backend,
        f"pas_payout_{worker_name}",
        tmp_path_factory.mktemp("payout"),
        pool_size=RACERS,
    ) as engine:
        yield engine


async def pay_out(
    factory: async_sessionmaker[AsyncSession],
    seller_id: int,
    reference: str,
    barrier: asyncio.Barrier,
) -> str:
    await barrier.wait()
    async with factory() as session:
        try:
            await mark_payout_paid(session, seller_id, reference=reference)
        except DomainError as error:
            await rollback(session)
            return error.code
        await commit(session)
    return "paid"


@pytest.mark.parametrize("earned", [1200, 35, 999])
async def test_payouts_recorded_at_once_pay_the_balance_once(
    payout_engine: AsyncEngine, earned: int
) -> None:
    factory = create_session_factory(payout_engine)
    async with factory() as session:
        seller = await make_user(session)
        await give_payout_account(session, seller.id)
        earn(session, seller.id, earned)
        await session.commit()
    barrier = asyncio.Barrier(RACERS)

    outcomes = await asyncio.gather(
        *(pay_out(factory, seller.id, f"TX-{n}", barrier) for n in range(RACERS))
    )

    async with factory() as session:
        balance = await seller_balance(session, seller.id)
        recorded = await session.scalar(
            select(func.coalesce(func.sum(Payout.amount), 0)).where(Payout.seller_id == seller.id)
        )
    assert sorted(outcomes) == ["nothing_to_pay"] * (RACERS - 1) + ["paid"]
    assert (balance.available, balance.paid_out, int(recorded or 0)) == (0, earned, earned)
