"""The sandbox provider keeps its charges in the database, as a real gateway keeps them on its
side: another process (here another engine) finds and refunds what this one charged."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine

from pitchaseat.adapters.payments.base import Cardholder, ChargeOutcome, ChargeRequest
from pitchaseat.adapters.payments.sandbox import SandboxCharge, SandboxPayments
from pitchaseat.db import create_engine, create_session_factory
from tests.support.databases import DatabasePlan

CARDHOLDER = Cardholder(name="王小明", email="fan@example.com", phone_number="0912345678")


def charge(prime: str, amount: int = 900) -> ChargeRequest:
    return ChargeRequest(
        prime=prime,
        amount=amount,
        order_number=f"T{uuid.uuid4().hex[:20]}",
        details="test",
        cardholder=CARDHOLDER,
        frontend_redirect_url="http://127.0.0.1:8000/orders/1",
    )


@pytest.fixture
async def two_processes(database: DatabasePlan) -> AsyncIterator[tuple[AsyncEngine, AsyncEngine]]:
    """Two engines of their own on the test database: what two processes would have. What
    they commit is removed afterwards."""
    engines = (create_engine(database.url, pool_size=1), create_engine(database.url, pool_size=1))
    try:
        yield engines
    finally:
        async with engines[0].begin() as connection:
            await connection.execute(delete(SandboxCharge))
        for engine in engines:
            await engine.dispose()


async def test_a_charge_made_by_one_process_is_found_and_refunded_by_another(
    two_processes: tuple[AsyncEngine, AsyncEngine],
) -> None:
    web, cli = (SandboxPayments(create_session_factory(engine)) for engine in two_processes)
    request = charge("test_prime_ok")

    paid = await web.pay_by_prime(request)
    assert paid.rec_trade_id is not None
    found = await cli.find_record(order_number=request.order_number)
    refunded = await cli.refund(paid.rec_trade_id, request.amount)
    refunded_again = await web.refund(paid.rec_trade_id, request.amount)

    assert paid.outcome is ChargeOutcome.paid
    assert found is not None
    assert (found.rec_trade_id, found.amount, found.paid) == (paid.rec_trade_id, 900, True)
    assert refunded is True
    assert refunded_again is False  # the money went back once; there is nothing left to refund


async def test_the_documented_test_primes_still_behave(
    two_processes: tuple[AsyncEngine, AsyncEngine],
) -> None:
    sandbox = SandboxPayments(create_session_factory(two_processes[0]))
    other = SandboxPayments(create_session_factory(two_processes[1]))

    declined = await sandbox.pay_by_prime(charge("test_prime_declined"))
    expired = await sandbox.pay_by_prime(charge("test_prime_expired"))
    three_ds_request = charge("test_prime_3ds")
    three_ds = await sandbox.pay_by_prime(three_ds_request)
    any_prime = await sandbox.pay_by_prime(charge("whatever-the-demo-form-sent"))
    unfinished = await other.find_record(rec_trade_id=three_ds.rec_trade_id)

    assert (declined.outcome, declined.error_code) == (ChargeOutcome.declined, "card_declined")
    assert (expired.outcome, expired.error_code) == (ChargeOutcome.declined, "prime_expired")
    assert three_ds.outcome is ChargeOutcome.needs_3ds
    assert three_ds.payment_url == (
        f"http://127.0.0.1:8000/orders/1?sandbox_trade={three_ds.rec_trade_id}"
    )
    assert unfinished is not None and unfinished.paid is False
    assert unfinished.order_number == three_ds_request.order_number
    assert await other.refund(str(three_ds.rec_trade_id), 900) is False  # never paid
    assert any_prime.outcome is ChargeOutcome.paid
    assert await other.find_record(order_number="no-such-order") is None
