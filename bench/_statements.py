"""The SQL one checkout sends, captured from the real app, and a bare asyncpg replay of it.

``python bench/_statements.py URL OUT`` (run with the app source tree under test first on
PYTHONPATH) runs the app in that process, no HTTP server, against the bench's database: the
capture buyer logs in, holds one ticket and pays for it, and every statement the app sent for
the hold and the payment (sign-in lookups, the sandbox gateway's own insert and every BEGIN
and COMMIT included) is written to OUT with its parameters and what came back.

The replay sends those very statements from a plain asyncpg loop for other buyers and
listings. Values that differ per checkout are put in their place: the buyer, their session
and the listing; ids and figures the capture got back from an earlier statement come from
the same place in the replay's answers (the order inserted is the order paid); timestamps
move with the clock; unique strings (payment numbers, trade ids, ledger movements) are new.
"""

from __future__ import annotations

import asyncio
import logging
import os
import pickle
import random
import re
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

CAPTURE_EMAIL = "capture@bench.pitchaseat.tw"
PASSWORD = "Bench-Buyer-2099"
PAY_BODY = {
    "prime": "test_prime_ok",
    "cardholder": {
        "name": "Bench Buyer",
        "email": "buyer@example.com",
        "phone_number": "0912345678",
    },
    "delivery": {
        "recipient_name": "Bench Buyer",
        "phone": "0912345678",
        "address": "100 Taipei City",
        "ticket_account": "bench-buyer",
    },
}
_UNIQUE = re.compile(r"^(PAS\d+-|SBX)|^[0-9a-f]{32}$")


@dataclass
class Statement:
    sql: str
    params: tuple[Any, ...]
    rows: list[tuple[Any, ...]]
    rowcount: int


@dataclass
class Transaction:
    statements: list[Statement] = field(default_factory=list)
    committed: bool = True
    autocommit: bool = False  # a read-engine statement: no BEGIN or COMMIT is sent


@dataclass
class Captured:
    hold: list[Transaction]
    pay: list[Transaction]
    roles: dict[Any, str]
    at: datetime


def statements(request: list[Transaction]) -> int:
    return sum(len(transaction.statements) for transaction in request)


def round_trips(request: list[Transaction]) -> int:
    """Statements plus the BEGIN and COMMIT (or ROLLBACK) of each real transaction."""
    return statements(request) + 2 * sum(1 for t in request if not t.autocommit and t.statements)


# --- capture (runs in a process that imports the app under test) ---------------------------


class _Recorder:
    def __init__(self) -> None:
        self.transactions: list[Transaction] = []
        self._open: dict[int, Transaction] = {}

    def begin(self, connection: Any, autocommit: bool) -> Transaction:
        transaction = Transaction(autocommit=autocommit)
        self._open[id(connection)] = transaction
        self.transactions.append(transaction)
        return transaction

    def end(self, connection: Any, *, committed: bool) -> None:
        transaction = self._open.pop(id(connection), None)
        if transaction is not None:
            transaction.committed = committed

    def executed(
        self, connection: Any, cursor: Any, sql: str, params: Any, autocommit: bool
    ) -> None:
        transaction = self._open.get(id(connection)) or self.begin(connection, autocommit)
        # The asyncpg adapter has fetched every row already; peeking leaves them for the app.
        rows = [tuple(row) for row in getattr(cursor, "_rows", ())]
        statement = Statement(sql, tuple(params or ()), rows, cursor.rowcount)
        transaction.statements.append(statement)


@contextmanager
def _recording(engines: list[tuple[Any, bool]]) -> Iterator[_Recorder]:
    from sqlalchemy import event

    recorder = _Recorder()
    added = []
    for engine, autocommit in engines:

        def begin(conn: Any, autocommit: bool = autocommit) -> None:
            recorder.begin(conn, autocommit)

        def executed(
            conn: Any, cursor: Any, sql: str, params: Any, *_: Any, a: bool = autocommit
        ) -> None:
            recorder.executed(conn, cursor, sql, params, a)

        for name, listener in (
            ("begin", begin),
            ("commit", lambda conn: recorder.end(conn, committed=True)),
            ("rollback", lambda conn: recorder.end(conn, committed=False)),
            ("after_cursor_execute", executed),
        ):
            event.listen(engine.sync_engine, name, listener)
            added.append((engine.sync_engine, name, listener))
    try:
        yield recorder
    finally:
        for target, name, listener in added:
            event.remove(target, name, listener)


async def _capture(url: str) -> Captured:
    import httpx

    from pitchaseat.app import create_app
    from pitchaseat.runtime import AppServices
    from pitchaseat.settings import Settings

    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    services = AppServices.from_settings(settings)
    app = create_app(settings, services)
    connection = await asyncpg.connect(asyncpg_dsn(url))
    buyer_id = await connection.fetchval("SELECT id FROM users WHERE email = $1", CAPTURE_EMAIL)
    # A plain listing whose ids are all distinct from small numbers the statements also carry.
    listing_id = await connection.fetchval(
        "SELECT id FROM listings WHERE status = 'active' AND NOT sell_together"
        " AND available_quantity >= 2 AND game_id > 20 AND seller_id > 20 ORDER BY id DESC LIMIT 1"
    )
    await _spread_ids(connection)
    await connection.close()
    engines = [(services.engine, False)]
    if services.read_engine is not None:
        engines.append((services.read_engine, True))
    transport = httpx.ASGITransport(app=app)
    # No lifespan: its jobs (email delivery) would run in this process and mix their SQL
    # into the checkout's. The hand-over that finds no job logs a warning; not wanted here.
    logging.disable(logging.WARNING)
    async with httpx.AsyncClient(transport=transport, base_url="http://capture") as http:
        login = await http.post(
            "/api/v1/auth/login", json={"email": CAPTURE_EMAIL, "password": PASSWORD}
        )
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        at = datetime.now().astimezone()
        with _recording(engines) as hold:
            held = await http.post(
                "/api/v1/orders", json={"listing_id": listing_id, "quantity": 1}, headers=headers
            )
        assert held.status_code == 201, held.text
        with _recording(engines) as pay:
            paid = await http.post(
                f"/api/v1/orders/{held.json()['id']}/pay", json=PAY_BODY, headers=headers
            )
        assert paid.status_code == 200, paid.text
    await services.close()
    session_id = hold.transactions[0].statements[0].params
    roles: dict[Any, str] = {buyer_id: "buyer", listing_id: "listing"}
    roles.update({value: "session" for value in session_id if isinstance(value, str)})
    return Captured(hold.transactions, pay.transactions, roles, at)


async def _spread_ids(connection: asyncpg.Connection) -> None:
    """Each table's next ids in a range of its own, so that an id in the capture names one
    row of one table (an order and its payment would otherwise both be number 300)."""
    sequences = await connection.fetch(
        "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1"
    )
    for number, row in enumerate(sequences, start=1):
        await connection.execute("SELECT setval($1, $2)", row[0], number * 10_000_000)


# --- replay ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    buyer_id: int
    session_id: str


class Replay:
    """One checkout's statements, sent again for another buyer and listing."""

    def __init__(self, captured: Captured) -> None:
        self.captured = captured

    async def run(
        self, pool: asyncpg.Pool, actor: Actor, listing_id: int
    ) -> tuple[float, float, bool]:
        """(hold seconds, pay seconds, paid). A hold whose stock take matches no row ends
        there, rolled back, as the app's 409 does."""
        state = _ReplayState(self.captured, actor, listing_id)
        started = time.perf_counter()
        held = await _send(pool, self.captured.hold, state)
        hold_seconds = time.perf_counter() - started
        if not held:
            return hold_seconds, 0.0, False
        paying = time.perf_counter()
        await _send(pool, self.captured.pay, state)
        return hold_seconds, time.perf_counter() - paying, True


class _ReplayState:
    def __init__(self, captured: Captured, actor: Actor, listing_id: int) -> None:
        self.roles = {
            value: {"buyer": actor.buyer_id, "session": actor.session_id, "listing": listing_id}[
                role
            ]
            for value, role in captured.roles.items()
        }
        self.shift = datetime.now().astimezone() - captured.at
        self.answers: dict[Any, Any] = {}

    def value(self, captured: Any) -> Any:
        if isinstance(captured, bool) or captured is None:
            return captured
        if captured in self.roles:
            return self.roles[captured]
        if isinstance(captured, datetime):
            return captured + self.shift
        if captured in self.answers:
            return self.answers[captured]
        if isinstance(captured, str) and _UNIQUE.match(captured):
            fresh = (
                f"{captured.split('-')[0]}-{uuid.uuid4().hex[:8]}"
                if "-" in captured
                else uuid.uuid4().hex[: len(captured)]
            )
            self.answers[captured] = fresh
            return fresh
        return captured

    def learn(self, captured_rows: list[tuple[Any, ...]], rows: list[Any]) -> None:
        for captured_row, row in zip(captured_rows, rows, strict=False):
            for captured, value in zip(captured_row, tuple(row), strict=False):
                if isinstance(captured, int) and not isinstance(captured, bool) and captured > 9:
                    self.answers.setdefault(captured, value)


async def _send(pool: asyncpg.Pool, request: list[Transaction], state: _ReplayState) -> bool:
    for transaction in request:
        async with pool.acquire() as connection:
            if transaction.autocommit:
                for statement in transaction.statements:
                    await _statement(connection, statement, state)
                continue
            tx = connection.transaction()
            await tx.start()
            try:
                for statement in transaction.statements:
                    if not await _statement(connection, statement, state):
                        await tx.rollback()
                        return False
            except BaseException:
                await tx.rollback()
                raise
            await (tx.commit() if transaction.committed else tx.rollback())
    return True


async def _statement(
    connection: asyncpg.Connection, statement: Statement, state: _ReplayState
) -> bool:
    """Sends one statement; False when it is the stock take and it took nothing."""
    params = [state.value(value) for value in statement.params]
    if statement.rows or not _is_write(statement.sql):
        rows = await connection.fetch(statement.sql, *params)
        state.learn(statement.rows, rows)
        taken = bool(rows)
    else:
        status = await connection.execute(statement.sql, *params)
        taken = not status.endswith(" 0")
    return taken or not _is_stock_take(statement.sql) or statement.rowcount == 0


def _is_write(sql: str) -> bool:
    return sql.lstrip().split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE")


def _is_stock_take(sql: str) -> bool:
    return sql.lstrip().upper().startswith("UPDATE LISTINGS SET STATUS")


def asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@dataclass
class BareResult:
    completed: int
    wall_seconds: float
    hold_ms: list[float]
    pay_ms: list[float]


async def bare_run(
    url: str,
    captured: Captured,
    actors: list[Actor],
    choose_listing: Any,
    seconds: float,
    pool_size: int,
) -> BareResult:
    """The captured checkout replayed by one loop per actor for ``seconds``."""
    replay = Replay(captured)
    pool = await asyncpg.create_pool(asyncpg_dsn(url), min_size=pool_size, max_size=pool_size)
    result = BareResult(0, 0.0, [], [])
    deadline = time.perf_counter() + seconds
    started = time.perf_counter()

    async def loop(actor: Actor, rng: random.Random) -> None:
        while time.perf_counter() < deadline:
            held, paid, done = await replay.run(pool, actor, choose_listing(rng))
            result.hold_ms.append(held * 1000)
            if done:
                result.pay_ms.append(paid * 1000)
                result.completed += 1

    await asyncio.gather(*(loop(actor, random.Random(n)) for n, actor in enumerate(actors)))
    result.wall_seconds = time.perf_counter() - started
    await pool.close()
    return result


def capture_with(app_source: Path, url: str, env: dict[str, str]) -> Captured:
    """Runs the capture in a process of its own, on the app source tree under test."""
    import subprocess

    out = Path(tempfile.mkdtemp(prefix="pas-bench-capture-")) / "captured.pickle"
    python_path = os.pathsep.join([str(app_source / "src"), str(Path(__file__).parent)])
    subprocess.run(
        [sys.executable, __file__, url, str(out)],
        env={**os.environ, **env, "PYTHONPATH": python_path},
        check=True,
    )
    captured: Captured = pickle.loads(out.read_bytes())  # noqa: S301 (our own file)
    return captured


if __name__ == "__main__":
    # Pickled under this module's importable name, so the bench can load it.
    from _statements import _capture as capture

    Path(sys.argv[2]).write_bytes(pickle.dumps(asyncio.run(capture(sys.argv[1]))))
