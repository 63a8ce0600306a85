"""The checkout's SQL stays lean: a hold and a payment send at most so many statements
(counted on the wire, savepoints of the test's rolled-back transaction left out), and the
answers are unchanged by what is no longer read back."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from tests.factories import login_headers, make_game, make_listing, make_user
from tests.support.orders import CARDHOLDER, DELIVERY

# (hold, payment), sign-in lookups, the payment's ownership check and the sandbox gateway's
# own insert included; before the lean checkout they were 19 and 33 on PostgreSQL. MariaDB
# adds a statement for each row lock PostgreSQL takes with FOR UPDATE OF, and refreshes the
# game figures after every take (it cannot say in the take whether the listing sold out);
# SQLite sends a multi-row insert with RETURNING one row at a time.
BUDGET = {"postgresql": (9, 18), "mysql": (11, 19), "mariadb": (11, 19), "sqlite": (9, 21)}
_TEST_PLUMBING = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


@contextmanager
def counted(engine: AsyncEngine) -> Iterator[list[str]]:
    sent: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if not statement.lstrip().upper().startswith(_TEST_PLUMBING):
            sent.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)


async def _hold(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> tuple[dict[str, str], int, dict[str, Any]]:
    seller, buyer = await make_user(db_session), await make_user(db_session)
    listing = await make_listing(db_session, seller, await make_game(db_session), quantity=3)
    headers = await login_headers(client, buyer.email)
    return headers, listing.id, {"listing_id": listing.id, "quantity": 1}


async def test_a_hold_sends_few_statements(
    client: httpx.AsyncClient, db_session: AsyncSession, engine: AsyncEngine
) -> None:
    headers, _listing_id, body = await _hold(client, db_session)

    with counted(engine) as sent:
        held = await client.post("/api/v1/orders", json=body, headers=headers)

    assert held.status_code == 201, held.text
    assert len(sent) <= BUDGET[engine.dialect.name][0], "\n".join(sent)


async def test_a_payment_sends_few_statements(
    client: httpx.AsyncClient, db_session: AsyncSession, engine: AsyncEngine
) -> None:
    headers, _listing_id, body = await _hold(client, db_session)
    held = await client.post("/api/v1/orders", json=body, headers=headers)
    pay = {"prime": "test_prime_ok", "cardholder": CARDHOLDER, "delivery": DELIVERY}

    with counted(engine) as sent:
        paid = await client.post(
            f"/api/v1/orders/{held.json()['id']}/pay", json=pay, headers=headers
        )

    assert paid.status_code == 200, paid.text
    assert len(sent) <= BUDGET[engine.dialect.name][1], "\n".join(sent)


async def test_the_hold_answer_matches_the_order_read_back(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    headers, _listing_id, body = await _hold(client, db_session)

    held = await client.post("/api/v1/orders", json=body, headers=headers)
    read = await client.get(f"/api/v1/orders/{held.json()['id']}", headers=headers)

    shown = {key: read.json()[key] for key in held.json()}
    assert held.json() == shown


async def test_the_payment_answer_matches_the_order_read_back(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    headers, _listing_id, body = await _hold(client, db_session)
    held = await client.post("/api/v1/orders", json=body, headers=headers)
    pay = {"prime": "test_prime_ok", "cardholder": CARDHOLDER, "delivery": DELIVERY}

    paid = await client.post(f"/api/v1/orders/{held.json()['id']}/pay", json=pay, headers=headers)
    read = await client.get(f"/api/v1/orders/{held.json()['id']}", headers=headers)

    order_fields = {key: value for key, value in paid.json().items() if key in read.json()}
    assert order_fields == {key: read.json()[key] for key in order_fields}
    assert [step["action"] for step in paid.json()["history"]] == [
        "orders.hold.created",
        "payments.charge.succeeded",
    ]
