"""The checkout benchmark's honest limit: the app's own checkout SQL, replayed by a bare asyncpg
loop with the same buyers, the same listings (hot ones included) and the same concurrency, on
a copy of the database taken before either run sold anything."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Protocol

import asyncpg
from sqlalchemy.engine import make_url

from _statements import Actor, BareResult, Captured, asyncpg_dsn, bare_run


class StockLike(Protocol):
    @property
    def listing_id(self) -> int: ...
    @property
    def quantity(self) -> int: ...
    @property
    def sell_together(self) -> bool: ...


async def copy_database(url: str) -> str:
    """A copy of the bench database as it is now (PostgreSQL's template copy)."""
    parsed = make_url(url)
    copy = f"{parsed.database}_bare"
    admin = await asyncpg.connect(asyncpg_dsn(str(parsed.set(database="postgres"))))
    await admin.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
    await admin.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{parsed.database}"')
    await admin.close()
    return parsed.set(database=copy).render_as_string(hide_password=False)


async def _actors(url: str, emails: Sequence[str]) -> list[Actor]:
    """The bench's buyers, each signed in (a live session row, as a log-in makes)."""
    connection = await asyncpg.connect(asyncpg_dsn(url))
    rows = await connection.fetch("SELECT id, email FROM users WHERE email = ANY($1)", emails)
    ids = {row["email"]: row["id"] for row in rows}
    now = datetime.now(UTC)
    actors = [Actor(ids[email], f"{n:032x}") for n, email in enumerate(emails, start=1)]
    await connection.executemany(
        "INSERT INTO auth_sessions (id, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        [(a.session_id, a.buyer_id, now, now + timedelta(days=1)) for a in actors],
    )
    await connection.close()
    return actors


def listing_chooser(stock: Sequence[StockLike], hot: Sequence[StockLike]) -> Callable[..., int]:
    """The HTTP run's choice (half of the holds on the hot listings), among the listings
    where it holds one ticket: the captured hold is of one ticket."""

    def one_ticket(listings: Sequence[StockLike]) -> list[int]:
        return [s.listing_id for s in listings if not s.sell_together or s.quantity == 1]

    plain, plain_hot = one_ticket(stock), one_ticket(hot)

    def choose(rng: random.Random) -> int:
        return rng.choice(plain_hot if rng.random() < 0.5 else plain)

    return choose


async def run_bare(
    url: str,
    captured: Captured,
    emails: Sequence[str],
    chooser: Callable[..., int],
    seconds: float,
    pool_size: int,
) -> BareResult:
    actors = await _actors(url, emails)
    return await bare_run(url, captured, actors, chooser, seconds, pool_size)


BENCH_QUEUE = "bench_checkout"


def broker_settings(broker_url: str | None) -> dict[str, str]:
    """The app's settings for a broker of its own queue (no worker reads it during the run:
    the emails wait, as they would for a worker on another machine)."""
    if not broker_url:
        return {}
    drop_bench_queues(broker_url)
    return {"PITCHASEAT_BROKER_URL": broker_url, "PITCHASEAT_JOB_QUEUE": BENCH_QUEUE}


def drop_bench_queues(broker_url: str | None) -> None:
    if not broker_url or not broker_url.startswith("amqp"):
        return
    import pika

    connection = pika.BlockingConnection(pika.URLParameters(broker_url))
    channel = connection.channel()
    for name in (BENCH_QUEUE, f"{BENCH_QUEUE}.DQ", f"{BENCH_QUEUE}.XQ"):
        channel.queue_delete(queue=name)
    connection.close()
